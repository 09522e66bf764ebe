// Аналитика: успеваемость, качество, СОУ, посещаемость, активность per class or subject, month on month.
import "@mantine/charts/styles.css";
import { LineChart } from "@mantine/charts";
import { Group, NativeSelect, Paper, SimpleGrid, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader } from "../components/common.tsx";
import { useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

type SeriesPoint = Record<string, number | string | null>;
interface Analytics {
  months: string[];
  /** metric → rows, each {name (class/subject), values per month} or month-keyed points. */
  series: Record<string, unknown>;
}
interface Lookup {
  id: string;
  name?: string;
}

const METRICS: { key: string; title: string; unit: string }[] = [
  { key: "performance", title: "Успеваемость", unit: " %" },
  { key: "quality", title: "Качество знаний", unit: " %" },
  { key: "sou", title: "СОУ", unit: " %" },
  { key: "attendance", title: "Посещаемость", unit: " %" },
  { key: "activity", title: "Активность (оценок на ученика)", unit: "" },
];
const COLORS = ["indigo.6", "orange.6", "teal.6", "grape.6", "red.6", "cyan.6", "lime.7", "pink.6"];

const MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
function monthLabel(m: string): string {
  const match = /^(\d{4})-(\d{2})/.exec(m);
  return match ? `${MONTHS[Number(match[2]) - 1]} ${match[1]}` : m;
}

/**
 * Turns one metric's series into chart rows {month, <name>: value}. Accepts either
 * [{name, values: number[] | Record<month, number>}] or [{month, <name>: value}] or Record<name, number[]>.
 */
function toRows(raw: unknown, months: string[]): { rows: SeriesPoint[]; names: string[] } {
  const rows: SeriesPoint[] = months.map((m) => ({ month: monthLabel(m) }));
  const names: string[] = [];
  const put = (name: string, values: unknown) => {
    names.push(name);
    months.forEach((m, i) => {
      const v = Array.isArray(values) ? values[i] : (values as Record<string, unknown>)?.[m];
      rows[i]![name] = typeof v === "number" ? Math.round(v * 10) / 10 : null;
    });
  };
  if (Array.isArray(raw)) {
    for (const item of raw as Record<string, unknown>[]) {
      if (item && typeof item === "object" && ("values" in item || "points" in item)) {
        put(String(item.name ?? item.label ?? item.id ?? "—"), item.values ?? item.points);
      } else if (item && typeof item === "object" && "month" in item) {
        const i = months.indexOf(String(item.month));
        if (i < 0) continue;
        for (const [k, v] of Object.entries(item)) {
          if (k === "month") continue;
          if (!names.includes(k)) names.push(k);
          rows[i]![k] = typeof v === "number" ? Math.round(v * 10) / 10 : null;
        }
      }
    }
  } else if (raw && typeof raw === "object") {
    for (const [name, values] of Object.entries(raw as Record<string, unknown>)) put(name, values);
  }
  return { rows, names: names.slice(0, COLORS.length) };
}

export default function AnalyticsPage() {
  const { base } = useSchool();
  const [month, setMonth] = useState("");
  const [klass, setClass] = useState("");
  const [subject, setSubject] = useState("");
  const classes = useApi<Lookup[] | Page<Lookup>>(`${base}/classes`);
  const subjects = useApi<Lookup[] | Page<Lookup>>(`${base}/subjects`);
  const { data, error, loading } = useApi<Analytics>(`${base}/analytics`, { month, class: klass, subject });

  return (
    <>
      <PageHeader title="Аналитика" />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Месяц"
          type="month"
          value={month}
          onChange={(e) => setMonth(e.currentTarget.value)}
        />
        <NativeSelect
          label="Класс"
          value={klass}
          onChange={(e) => setClass(e.currentTarget.value)}
          data={[
            { value: "", label: "Все классы" },
            ...itemsOf(classes.data).map((c) => ({ value: c.id, label: c.name ?? c.id })),
          ]}
        />
        <NativeSelect
          label="Предмет"
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          data={[
            { value: "", label: "Все предметы" },
            ...itemsOf(subjects.data).map((s) => ({ value: s.id, label: s.name ?? s.id })),
          ]}
        />
      </Group>
      <LoadState loading={loading} error={error} empty={!data && !loading} />
      {data && (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          {METRICS.map((metric) => {
            const { rows, names } = toRows(data.series?.[metric.key], data.months ?? []);
            return (
              <Paper withBorder p="md" key={metric.key}>
                <Title order={2} size="h4" mb="sm">
                  {metric.title}
                </Title>
                {names.length > 0 && rows.length > 0 ? (
                  <LineChart
                    h={220}
                    data={rows}
                    dataKey="month"
                    unit={metric.unit}
                    withLegend
                    connectNulls
                    series={names.map((name, i) => ({ name, color: COLORS[i % COLORS.length]! }))}
                  />
                ) : (
                  <Text c="dimmed">Нет данных.</Text>
                )}
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
    </>
  );
}
