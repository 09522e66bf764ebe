// Инциденты (001 §4.3): changes to the journal after a report was produced; the deputy may record one.
import { Button, Group, Paper, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { api, itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, ScrollTable } from "../components/common.tsx";
import { fmtDateTime } from "../format.ts";
import { may, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface Incident {
  id: string | number;
  kind?: string;
  title?: string;
  description?: string;
  detail?: string;
  status?: string;
  createdAt?: string;
  detectedAt?: string;
  createdBy?: string | null;
  [key: string]: unknown;
}

export default function IncidentsPage() {
  const { user, base } = useSchool();
  const list = useApi<Page<Incident> | Incident[]>(`${base}/incidents`);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const items = itemsOf(list.data);

  async function create() {
    setBusy(true);
    try {
      await api.post(`${base}/incidents`, { title: title.trim(), description: description.trim() });
      notifications.show({ color: "green", message: "Инцидент записан." });
      setTitle("");
      setDescription("");
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
        Изменения в журнале после того, как отчёт уже сформирован или подписан (п. 4.3 регламента).
      </Text>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && items.length === 0} />
      {items.length > 0 && (
        <ScrollTable caption="Инциденты" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Когда</Table.Th>
              <Table.Th>Что случилось</Table.Th>
              <Table.Th>Статус</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{fmtDateTime(i.createdAt ?? i.detectedAt)}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {i.title ?? i.kind ?? "—"}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {i.description ?? i.detail ?? ""}
                  </Text>
                </Table.Td>
                <Table.Td>{i.status ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {may(user.role, "incidents.change") && (
        <Paper withBorder p="md" mt="md" maw={640}>
          <Title order={2} size="h4" mb="sm">
            Записать инцидент
          </Title>
          <Stack gap="xs">
            <TextInput
              label="Кратко"
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Textarea
              label="Описание"
              autosize
              minRows={3}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Group>
              <Button onClick={create} loading={busy} disabled={title.trim().length < 3}>
                Записать
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </>
  );
}
