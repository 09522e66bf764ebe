// Соблюдение регламента: share of entries on time per teacher and class, the weekly trend, top rules.
import "@mantine/charts/styles.css";
import { BarChart, LineChart, Sparkline } from "@mantine/charts";
import { Group, Paper, SegmentedControl, Select, SimpleGrid, Table, Tabs, Text, Title } from "@mantine/core";
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
  /** Weekly shares, one per week of the school-wide trend. */
  trend: (number | null)[];
}
interface Share {
  onTime: number;
  total: number;
  share: number | null;
}
interface Compliance {
  summary: { week: Share; month: Share; period: Share };
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
          <Table.Th>По неделям</Table.Th>
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
            <Table.Td
              aria-label={`По неделям: ${r.trend.map((v) => (v === null ? "нет уроков" : fmtPercent(v))).join(", ")}`}
            >
              <Sparkline
                w={120}
                h={28}
                data={r.trend.map((v) => v ?? 0)}
                curveType="linear"
                color={(r.share ?? 100) < 80 ? "red.6" : "indigo.6"}
                fillOpacity={0.15}
                strokeWidth={1.5}
              />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ScrollTable>
  );
}

const SUMMARY: [keyof Compliance["summary"], string][] = [
  ["week", "Эта неделя"],
  ["month", "Этот месяц"],
  ["period", "Учебный период"],
];

function SummaryCards({ summary }: { summary: Compliance["summary"] }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} mb="md">
      {SUMMARY.map(([key, title]) => (
        <Paper withBorder p="sm" key={key}>
          <Text size="sm" c="dimmed">
            {title}: записей вовремя
          </Text>
          <Text fz={26} fw={700} c={(summary[key].share ?? 100) < 80 ? "red.7" : undefined}>
            {fmtPercent(summary[key].share)}
          </Text>
          <Text size="xs" c="dimmed">
            {summary[key].onTime.toLocaleString("ru-RU")} из {summary[key].total.toLocaleString("ru-RU")}{" "}
            уроков
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** The school's weekly line and, when one is picked, a teacher's or a class's beside it. */
function TrendChart({ data }: { data: Compliance }) {
  const [picked, setPicked] = useState<string | null>(null);
  const options = [
    { group: "Учителя", items: data.byTeacher.map((r) => ({ value: `t:${r.id}`, label: r.name })) },
    { group: "Классы", items: data.byClass.map((r) => ({ value: `c:${r.id}`, label: r.name })) },
  ];
  const row = picked
    ? (picked.startsWith("t:") ? data.byTeacher : data.byClass).find((r) => r.id === picked.slice(2))
    : undefined;
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          Доля записей вовремя по неделям
        </Title>
        <Select
          aria-label="Сравнить со школой"
          placeholder="Учитель или класс"
          data={options}
          value={picked}
          onChange={setPicked}
          searchable
          clearable
          size="xs"
          w={220}
        />
      </Group>
      {data.trend.length > 0 ? (
        <LineChart
          h={240}
          data={data.trend.map((t, i) => ({
            week: fmtDate(t.weekStart),
            share: pct(t.share),
            picked: row ? pct(row.trend[i]) : null,
          }))}
          dataKey="week"
          series={[
            { name: "share", label: "Школа, %", color: "indigo.6" },
            ...(row ? [{ name: "picked", label: `${row.name}, %`, color: "orange.6" }] : []),
          ]}
          withLegend={Boolean(row)}
          yAxisProps={{ domain: [0, 100] }}
          unit=" %"
          curveType="monotone"
          connectNulls
        />
      ) : (
        <Text c="dimmed">Нет данных за период.</Text>
      )}
    </Paper>
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
          <SummaryCards summary={data.summary} />
          <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
            <TrendChart data={data} />
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
                  xAxisProps={{ allowDecimals: false }}
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
