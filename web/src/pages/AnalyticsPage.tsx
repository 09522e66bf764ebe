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
type MetricKey = "performance" | "quality" | "sou" | "attendance" | "activity";
interface Series extends Record<MetricKey, (number | null)[]> {
  classId: string | null;
  className: string | null;
  subjectId: string | null;
  subjectName: string | null;
}
interface Analytics {
  months: string[];
  /** The whole school (or the filtered class/subject) first, then each class, then class × subject. */
  series: Series[];
}
interface Lookup {
  id: string;
  name?: string;
}

const METRICS: { key: MetricKey; title: string; unit: string }[] = [
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

function seriesName(s: Series, index: number): string {
  const who = s.className ?? (index === 0 ? "Вся школа" : "—");
  return s.subjectName ? `${who} · ${s.subjectName}` : who;
}

/** The lines to draw: the school (or the chosen class/subject) and then its parts, at most eight. */
function pick(series: Series[], filtered: boolean): Series[] {
  const [head, ...rest] = series;
  if (!head) return [];
  const parts = filtered ? rest : rest.filter((s) => s.subjectId === null);
  return [head, ...parts].slice(0, COLORS.length);
}

function toRows(lines: Series[], metric: MetricKey, months: string[]): SeriesPoint[] {
  return months.map((m, i) => {
    const row: SeriesPoint = { month: monthLabel(m) };
    lines.forEach((s, k) => {
      const v = s[metric]?.[i];
      row[seriesName(s, k)] = typeof v === "number" ? Math.round(v * 10) / 10 : null;
    });
    return row;
  });
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
            const lines = pick(data.series, Boolean(klass || subject));
            const rows = toRows(lines, metric.key, data.months);
            return (
              <Paper withBorder p="md" key={metric.key}>
                <Title order={2} size="h4" mb="sm">
                  {metric.title}
                </Title>
                {lines.length > 0 && rows.length > 0 ? (
                  <LineChart
                    h={240}
                    data={rows}
                    dataKey="month"
                    unit={metric.unit}
                    withLegend
                    connectNulls
                    series={lines.map((line, i) => ({
                      name: seriesName(line, i),
                      color: COLORS[i % COLORS.length]!,
                    }))}
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
