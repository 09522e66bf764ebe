// Архив: the registry of archived journals, awaiting signature or signed, with fixity checks.
import { Badge, SegmentedControl, Table, Text } from "@mantine/core";
import { useState } from "react";
import { itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, Pager, ScrollTable } from "../components/common.tsx";
import { fmtDateTime } from "../format.ts";
import { useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface ArchiveRow {
  id?: string | number;
  journal: string;
  period?: string | null;
  class?: string | null;
  className?: string | null;
  status: string;
  signedAt?: string | null;
  sha256?: string | null;
  fixity?: { lastCheckedAt?: string | null; ok?: boolean | null } | null;
  fileName?: string;
  signer?: string | null;
  verification?: { target: string; status: string; lastVerifiedAt: string | null }[];
}

const STATUS: Record<string, { label: string; color: string }> = {
  "awaiting-signature": { label: "Ждёт подписи", color: "yellow" },
  signed: { label: "Подписан", color: "green" },
};

export default function ArchivePage() {
  const { base } = useSchool();
  const [status, setStatus] = useState("");
  const [page, setPage] = useState(1);
  const list = useApi<Page<ArchiveRow>>(`${base}/archive`, { status, page, pageSize: 25 });
  const rows = itemsOf(list.data);
  return (
    <>
      <PageHeader title="Архив">
        <SegmentedControl
          aria-label="Состояние"
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          data={[
            { value: "", label: "Все" },
            { value: "awaiting-signature", label: "Ждут подписи" },
            { value: "signed", label: "Подписаны" },
          ]}
        />
      </PageHeader>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && rows.length === 0} />
      {rows.length > 0 && (
        <ScrollTable caption="Реестр архива" minWidth={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Журнал</Table.Th>
              <Table.Th>Период</Table.Th>
              <Table.Th>Класс</Table.Th>
              <Table.Th>Состояние</Table.Th>
              <Table.Th>Подписан</Table.Th>
              <Table.Th>Целостность</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={r.id ?? `${r.journal}-${i}`}>
                <Table.Td>
                  <Text size="sm">{r.journal}</Text>
                  {r.fileName && (
                    <Text size="xs" c="dimmed">
                      {r.fileName}
                    </Text>
                  )}
                  {r.sha256 && (
                    <Text size="xs" c="dimmed" ff="monospace" title={r.sha256}>
                      SHA-256 {r.sha256.slice(0, 12)}…
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{r.period ?? "—"}</Table.Td>
                <Table.Td>{r.className ?? r.class ?? "—"}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS[r.status]?.color ?? "gray"}>
                    {STATUS[r.status]?.label ?? r.status}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {fmtDateTime(r.signedAt)}
                  {r.signer && (
                    <Text size="xs" c="dimmed">
                      {r.signer}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.fixity?.ok === true ? (
                    <Badge color="green" variant="light">
                      Не изменён
                    </Badge>
                  ) : r.fixity?.ok === false ? (
                    <Badge color="red">Нарушена</Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      Не проверялся
                    </Badge>
                  )}
                  {(r.verification ?? []).map((v) => (
                    <Text size="xs" key={v.target}>
                      {v.target}: {v.status}
                    </Text>
                  ))}
                  {r.fixity?.lastCheckedAt && (
                    <Text size="xs" c="dimmed">
                      {fmtDateTime(r.fixity.lastCheckedAt)}
                    </Text>
                  )}
                </Table.Td>
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
