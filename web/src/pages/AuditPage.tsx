// Журнал аудита (director): who did or read what, when, from where.

import { Code, SimpleGrid, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, Pager, ScrollTable } from "../components/common.tsx";
import { DayInput } from "../components/DayInput.tsx";
import { fmtDateTime } from "../format.ts";
import { useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface AuditRow {
  id: number | string;
  at: string;
  login?: string | null;
  displayName?: string | null;
  action: string;
  target?: string | null;
  detail?: unknown;
  ip?: string | null;
}

export default function AuditPage() {
  const { base } = useSchool();
  const [action, setAction] = useState("");
  const [login, setLogin] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [page, setPage] = useState(1);
  const list = useApi<Page<AuditRow>>(`${base}/audit`, { action, login, from, to, page, pageSize: 50 });
  const rows = itemsOf(list.data);
  const on = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement }) => {
    set(e.currentTarget.value);
    setPage(1);
  };
  return (
    <>
      <PageHeader title="Журнал аудита" />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs" mb="sm">
        <TextInput
          label="Действие"
          placeholder="например, findings.waive"
          value={action}
          onChange={on(setAction)}
        />
        <TextInput label="Пользователь (логин)" value={login} onChange={on(setLogin)} />
        <DayInput label="С даты" value={from} onChange={setFrom} />
        <DayInput label="По дату" value={to} onChange={setTo} />
      </SimpleGrid>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && rows.length === 0} />
      {rows.length > 0 && (
        <ScrollTable caption="Журнал аудита" minWidth={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Когда</Table.Th>
              <Table.Th>Кто</Table.Th>
              <Table.Th>Действие</Table.Th>
              <Table.Th>Объект</Table.Th>
              <Table.Th>Откуда</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{fmtDateTime(r.at)}</Table.Td>
                <Table.Td>{r.displayName ?? r.login ?? "—"}</Table.Td>
                <Table.Td>
                  <Code>{r.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.target ?? "—"}</Text>
                  {r.detail !== undefined && r.detail !== null && (
                    <Text size="xs" c="dimmed">
                      {typeof r.detail === "string" ? r.detail : JSON.stringify(r.detail)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{r.ip ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {list.data && !Array.isArray(list.data) && (
        <Pager total={list.data.total} page={page} pageSize={list.data.pageSize} onChange={setPage} />
      )}
    </>
  );
}
