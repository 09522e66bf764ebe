// Пользователи: accounts of the school; the admin adds accounts, changes roles, resets passwords,
// disables accounts (the director reads only).
import {
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { api, itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, ScrollTable } from "../components/common.tsx";
import { fmtDateTime } from "../format.ts";
import { may, type Role, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface UserRow {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  roleLabel?: string;
  disabled?: boolean;
  personId?: string | null;
  /** Locked after five wrong passwords in a row (for 15 minutes). */
  locked?: boolean;
  createdAt?: string;
}

const ROLES: { value: Role; label: string }[] = [
  { value: "deputy", label: "Заместитель директора по УВР" },
  { value: "director", label: "Директор" },
  { value: "coordinator", label: "Координатор" },
  { value: "teacher", label: "Учитель" },
  { value: "admin", label: "Администратор (ИТ)" },
];

function UserForm({ initial, onDone }: { initial: UserRow | null; onDone(saved: boolean): void }) {
  const { school } = useSchool();
  const [login, setLogin] = useState(initial?.login ?? "");
  const [displayName, setDisplayName] = useState(initial?.displayName ?? "");
  const [role, setRole] = useState<Role>(initial?.role ?? "teacher");
  const [personId, setPersonId] = useState(initial?.personId ?? "");
  const [password, setPassword] = useState("");
  const [disabled, setDisabled] = useState(initial?.disabled ?? false);
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    try {
      if (initial) {
        await api.patch(`/api/v1/users/${initial.id}`, {
          displayName,
          role,
          disabled,
          ...(password ? { password } : {}),
        });
      } else {
        await api.post("/api/v1/users", {
          login: login.trim(),
          displayName: displayName.trim(),
          password,
          role,
          schoolIds: [school],
          ...(personId.trim() ? { personId: personId.trim() } : {}),
        });
      }
      notifications.show({ color: "green", message: "Учётная запись сохранена." });
      onDone(true);
    } catch {
      // shown by the notification
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Логин"
            required
            disabled={initial !== null}
            autoComplete="off"
            value={login}
            onChange={(e) => setLogin(e.currentTarget.value)}
          />
          <TextInput
            label="Имя для показа"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
          />
          <NativeSelect
            label="Роль"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data={ROLES}
          />
          {role === "teacher" && !initial && (
            <TextInput
              label="Код учителя на платформе"
              description="Чтобы учитель видел свои замечания"
              value={personId}
              onChange={(e) => setPersonId(e.currentTarget.value)}
            />
          )}
          <PasswordInput
            label={initial ? "Новый пароль" : "Пароль"}
            description={initial ? "Оставьте пустым, чтобы не менять" : undefined}
            required={!initial}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
        </SimpleGrid>
        {initial && (
          <Switch
            label="Учётная запись отключена"
            checked={disabled}
            onChange={(e) => setDisabled(e.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>
            Отмена
          </Button>
          <Button type="submit" loading={busy}>
            Сохранить
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export default function UsersPage() {
  const { user, base } = useSchool();
  const list = useApi<UserRow[] | Page<UserRow>>(`${base}/users`);
  const [editing, setEditing] = useState<UserRow | "new" | null>(null);
  const canChange = may(user.role, "users.change");
  const users = itemsOf(list.data);

  return (
    <>
      <PageHeader title="Пользователи">
        {canChange && <Button onClick={() => setEditing("new")}>Добавить пользователя</Button>}
      </PageHeader>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && users.length === 0} />
      {users.length > 0 && (
        <ScrollTable caption="Пользователи" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Логин</Table.Th>
              <Table.Th>Имя</Table.Th>
              <Table.Th>Роль</Table.Th>
              <Table.Th>Создана</Table.Th>
              <Table.Th>Состояние</Table.Th>
              {canChange && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.login}</Table.Td>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>{u.roleLabel ?? ROLES.find((r) => r.value === u.role)?.label ?? u.role}</Table.Td>
                <Table.Td>{fmtDateTime(u.createdAt)}</Table.Td>
                <Table.Td>
                  {u.disabled ? (
                    <Badge color="gray">Отключена</Badge>
                  ) : u.locked ? (
                    <Badge color="red">Заблокирована</Badge>
                  ) : (
                    <Badge color="green">Активна</Badge>
                  )}
                </Table.Td>
                {canChange && (
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setEditing(u)}>
                      Изменить
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? "Новый пользователь" : "Учётная запись"}
        size="lg"
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        {editing !== null && (
          <UserForm
            initial={editing === "new" ? null : editing}
            onDone={(saved) => {
              setEditing(null);
              if (saved) list.reload();
            }}
          />
        )}
      </Modal>
    </>
  );
}
