// Соблюдение регламента: share of entries on time per teacher and class, the weekly trend, top rules.
import "@mantine/charts/styles.css";
import { BarChart, LineChart } from "@mantine/charts";
import { Paper, SegmentedControl, SimpleGrid, Table, Tabs, Text, Title } from "@mantine/core";
import { useState } from "react";
import { LoadState, PageHeader, ScrollTable } from "../components/common.tsx";
import { fmtDate, fmtPercent } from "../format.ts";
import { useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface Row {
  id: string;
  name: string;
  onTime: number;
  total: number;
  /** Percent 0–100, null when there were no lessons. */
  share: number | null;
}
interface Compliance {
  byTeacher: Row[];
  byClass: Row[];
  trend: { weekStart: string; share: number | null }[];
  topRules: { ruleId: string; title: string; count: number }[];
}

const pct = (share: number | null) => (share === null ? null : Math.round(share * 10) / 10);

function ShareTable({ rows, who }: { rows: Row[]; who: string }) {
  const sorted = [...rows].sort((a, b) => (a.share ?? 101) - (b.share ?? 101));
  return (
    <ScrollTable caption={`Доля записей вовремя: ${who}`} minWidth={420}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{who}</Table.Th>
          <Table.Th ta="right">Вовремя</Table.Th>
          <Table.Th ta="right">Всего</Table.Th>
          <Table.Th ta="right">Доля</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td ta="right">{r.onTime}</Table.Td>
            <Table.Td ta="right">{r.total}</Table.Td>
            <Table.Td ta="right" c={(r.share ?? 100) < 80 ? "red" : undefined}>
              {fmtPercent(r.share)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ScrollTable>
  );
}

export default function CompliancePage() {
  const { base } = useSchool();
  const [range, setRange] = useState("month");
  const { data, error, loading } = useApi<Compliance>(`${base}/compliance`, { range });

  return (
    <>
      <PageHeader title="Соблюдение регламента">
        <SegmentedControl
          aria-label="Период"
          value={range}
          onChange={setRange}
          data={[
            { value: "week", label: "Неделя" },
            { value: "month", label: "Месяц" },
            { value: "period", label: "Учебный период" },
          ]}
        />
      </PageHeader>
      <LoadState loading={loading} error={error} empty={!data && !loading} />
      {data && (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Доля записей вовремя по неделям
              </Title>
              {data.trend.length > 0 ? (
                <LineChart
                  h={240}
                  data={data.trend.map((t) => ({ week: fmtDate(t.weekStart), share: pct(t.share) }))}
                  dataKey="week"
                  series={[{ name: "share", label: "Вовремя, %", color: "indigo.6" }]}
                  yAxisProps={{ domain: [0, 100] }}
                  unit=" %"
                  curveType="monotone"
                  connectNulls
                />
              ) : (
                <Text c="dimmed">Нет данных за период.</Text>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Чаще всего нарушаемые правила
              </Title>
              {data.topRules.length > 0 ? (
                <BarChart
                  h={240}
                  data={data.topRules.slice(0, 6).map((r) => ({ rule: r.title, count: r.count }))}
                  dataKey="rule"
                  orientation="vertical"
                  yAxisProps={{ width: 180 }}
                  series={[{ name: "count", label: "Нарушений", color: "orange.6" }]}
                />
              ) : (
                <Text c="dimmed">Нарушений нет.</Text>
              )}
            </Paper>
          </SimpleGrid>
          <Tabs defaultValue="teachers">
            <Tabs.List>
              <Tabs.Tab value="teachers">По учителям</Tabs.Tab>
              <Tabs.Tab value="classes">По классам</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="teachers" pt="sm">
              <ShareTable rows={data.byTeacher} who="Учитель" />
            </Tabs.Panel>
            <Tabs.Panel value="classes" pt="sm">
              <ShareTable rows={data.byClass} who="Класс" />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </>
  );
}
