// Инциденты (001 §4.2–4.3): the deputy records that a platform account was compromised; every change
// made through it after the report is listed for review.
import {
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { api, itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, Pager, ScrollTable } from "../components/common.tsx";
import type { Facets } from "../components/findings.ts";
import { fmtDateTime } from "../format.ts";
import { may, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface Incident {
  id: number;
  accountId: string;
  accountName: string | null;
  reportedAt: string;
  note: string | null;
  changes: number;
}
interface IncidentDetail extends Incident {
  items: { stream: string; key: string; field: string; at: string; basis: string; certain: boolean }[];
}

const STREAM: Record<string, string> = {
  marks: "Оценка",
  lessons: "Урок",
  works: "Работа",
  attendance: "Посещаемость",
  periodMarks: "Итоговая оценка",
};

/** A local date-time input's value ("2026-09-17T09:00") for now. */
function nowLocal(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function Detail({ path }: { path: string }) {
  const { data, error, loading } = useApi<IncidentDetail>(path);
  if (!data) return <LoadState loading={loading} error={error} />;
  return (
    <Stack gap="xs">
      <Text size="sm">
        Учётная запись: <b>{data.accountName ?? data.accountId}</b>, сообщено {fmtDateTime(data.reportedAt)}
      </Text>
      {data.note && <Text size="sm">{data.note}</Text>}
      {data.items.length === 0 ? (
        <Text c="dimmed">После сообщения через эту учётную запись ничего не менялось.</Text>
      ) : (
        <ScrollTable caption="Изменения после сообщения" minWidth={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Когда</Table.Th>
              <Table.Th>Что</Table.Th>
              <Table.Th>Поле</Table.Th>
              <Table.Th>Основание</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((c) => (
              <Table.Tr key={`${c.stream}-${c.key}-${c.field}-${c.at}`}>
                <Table.Td>{fmtDateTime(c.at)}</Table.Td>
                <Table.Td>{STREAM[c.stream] ?? c.stream}</Table.Td>
                <Table.Td>{c.field}</Table.Td>
                <Table.Td>
                  {c.basis}
                  {!c.certain && (
                    <Badge ml={4} size="xs" color="yellow">
                      не точно
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
    </Stack>
  );
}

export default function IncidentsPage() {
  const { user, base } = useSchool();
  const [page, setPage] = useState(1);
  const list = useApi<Page<Incident>>(`${base}/incidents`, { page, pageSize: 25 });
  const facets = useApi<Facets>(`${base}/findings/facets`);
  const [account, setAccount] = useState("");
  const [reportedAt, setReportedAt] = useState(nowLocal());
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const phone = useMediaQuery("(max-width: 48em)");
  const items = itemsOf(list.data);
  const teachers = facets.data?.teachers ?? [];

  async function create() {
    setBusy(true);
    try {
      await api.post(`${base}/incidents`, {
        accountId: account || teachers[0]?.id,
        reportedAt: new Date(reportedAt).toISOString(),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      notifications.show({ color: "green", message: "Инцидент записан." });
      setNote("");
      list.reload();
    } catch {
      // shown by the notification
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="Инциденты" />
      <Text size="sm" c="dimmed" mb="sm">
        Если учётной записью учителя воспользовался кто-то другой (п. 4.2–4.3 регламента), запишите инцидент:
        все изменения, сделанные через неё после сообщения, будут собраны для проверки.
      </Text>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && items.length === 0} />
      {items.length > 0 && (
        <ScrollTable caption="Инциденты" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Сообщено</Table.Th>
              <Table.Th>Учётная запись</Table.Th>
              <Table.Th>Примечание</Table.Th>
              <Table.Th ta="right">Изменений после</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id} className="clickable-row" onClick={() => setOpen(i.id)}>
                <Table.Td>{fmtDateTime(i.reportedAt)}</Table.Td>
                <Table.Td>
                  <Text
                    component="button"
                    type="button"
                    size="sm"
                    ta="left"
                    style={{ background: "none", border: 0, padding: 0, cursor: "pointer", color: "inherit" }}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpen(i.id);
                    }}
                  >
                    {i.accountName ?? i.accountId}
                  </Text>
                </Table.Td>
                <Table.Td>{i.note ?? "—"}</Table.Td>
                <Table.Td ta="right">
                  <Badge color={i.changes > 0 ? "red" : "gray"} variant="light">
                    {i.changes}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {list.data && (
        <Pager total={list.data.total} page={page} pageSize={list.data.pageSize} onChange={setPage} />
      )}
      {may(user.role, "incidents.change") && (
        <Paper withBorder p="md" mt="md" maw={640}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <Stack gap="xs">
              <Title order={2} size="h4">
                Записать инцидент
              </Title>
              <NativeSelect
                label="Чья учётная запись"
                value={account || teachers[0]?.id || ""}
                onChange={(e) => setAccount(e.currentTarget.value)}
                data={teachers.map((t) => ({ value: t.id, label: t.name }))}
              />
              <TextInput
                label="Когда сообщили о взломе"
                type="datetime-local"
                required
                value={reportedAt}
                onChange={(e) => setReportedAt(e.currentTarget.value)}
              />
              <Textarea
                label="Примечание"
                autosize
                minRows={2}
                maxLength={2000}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
              />
              <Group>
                <Button type="submit" loading={busy} disabled={teachers.length === 0}>
                  Записать
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        title="Инцидент"
        size="xl"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        {open !== null && <Detail path={`${base}/incidents/${open}`} />}
      </Modal>
    </>
  );
}
