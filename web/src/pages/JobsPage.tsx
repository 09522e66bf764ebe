// Очередь заданий (admin): counts per state, the jobs of a state, retry of a failed one.
import { Badge, Button, Group, Paper, SegmentedControl, SimpleGrid, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { api } from "../api.ts";
import { LoadState, PageHeader, ScrollTable } from "../components/common.tsx";
import { fmtDateTime, JOB_STATE } from "../format.ts";
import { may, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface Job {
  id: string;
  name: string;
  state: string;
  attempts?: number;
  failedReason?: string | null;
  timestamp?: number | string;
}
interface Jobs {
  counts: Record<string, number>;
  items: Job[];
}

const JOB_NAME: Record<string, string> = {
  sync: "Синхронизация",
  check: "Проверка правил",
  escalate: "Эскалация",
  report: "Отчёт",
  archive: "Архив",
  digest: "Сводка",
};

export default function JobsPage() {
  const { user } = useSchool();
  const [state, setState] = useState("failed");
  const { data, error, loading, reload } = useApi<Jobs>("/api/v1/jobs", { state });
  const [busy, setBusy] = useState<string | null>(null);

  async function retry(id: string) {
    setBusy(id);
    try {
      await api.post(`/api/v1/jobs/${encodeURIComponent(id)}/retry`, {});
      notifications.show({ color: "green", message: "Задание поставлено в очередь повторно." });
      reload();
    } catch {
      // shown by the notification
    } finally {
      setBusy(null);
    }
  }

  const states = ["waiting", "active", "delayed", "failed", "completed"];
  return (
    <>
      <PageHeader title="Очередь заданий">
        <Button variant="default" onClick={reload}>
          Обновить
        </Button>
      </PageHeader>
      <SimpleGrid cols={{ base: 2, sm: 5 }} mb="md">
        {states.map((s) => (
          <Paper withBorder p="sm" key={s}>
            <Text size="xs" c="dimmed">
              {JOB_STATE[s]}
            </Text>
            <Text size="xl" fw={700} c={s === "failed" && (data?.counts?.[s] ?? 0) > 0 ? "red" : undefined}>
              {data?.counts?.[s] ?? "—"}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <SegmentedControl
        aria-label="Состояние заданий"
        mb="sm"
        value={state}
        onChange={setState}
        data={states.map((s) => ({ value: s, label: JOB_STATE[s] ?? s }))}
      />
      <LoadState loading={loading} error={error} empty={!loading && (data?.items.length ?? 0) === 0} />
      {data && data.items.length > 0 && (
        <ScrollTable caption="Задания" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Задание</Table.Th>
              <Table.Th>Создано</Table.Th>
              <Table.Th>Попыток</Table.Th>
              <Table.Th>Ошибка</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((j) => (
              <Table.Tr key={j.id}>
                <Table.Td>
                  <Group gap={4}>
                    <Text size="sm">{JOB_NAME[j.name] ?? j.name}</Text>
                    <Badge size="xs" variant="outline">
                      {JOB_STATE[j.state] ?? j.state}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td>
                  {fmtDateTime(
                    typeof j.timestamp === "number" ? new Date(j.timestamp).toISOString() : j.timestamp,
                  )}
                </Table.Td>
                <Table.Td>{j.attempts ?? "—"}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="red">
                    {j.failedReason ?? ""}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {j.state === "failed" && may(user.role, "jobs.change") && (
                    <Button size="xs" variant="light" loading={busy === j.id} onClick={() => retry(j.id)}>
                      Повторить
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}
