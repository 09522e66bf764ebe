// Отчёты: the catalogue → kind, period, class, format → generate → download; the files produced so
// far; the schedule of automatic reports. Parameters are drawn from each kind's JSON schema.

import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useCallback, useEffect, useState } from "react";
import { api, itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, Pager, ScrollTable } from "../components/common.tsx";
import { DayInput, MonthInput } from "../components/DayInput.tsx";
import { fmtDate, fmtDateTime } from "../format.ts";
import { may, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
}
interface CatalogEntry {
  kind: string;
  title: string;
  scope?: string;
  formats: string[];
  params?: JsonSchema;
  paramsSchema?: JsonSchema;
}
interface ReportFile {
  id: string | number;
  kind: string;
  title?: string;
  fileName: string;
  format?: string;
  createdAt?: string;
  url?: string;
  params?: Record<string, unknown>;
}
interface Lookup {
  id: string;
  name?: string;
  title?: string;
  from?: string;
  to?: string;
}
interface Schedule {
  rules: { when: string; kinds: string[] }[];
  upcoming: { date: string; kind: string; title: string }[];
  files: ReportFile[];
}

const FORMAT_LABEL: Record<string, string> = { pdf: "PDF", xlsx: "XLSX", csv: "CSV" };

const PARAM_LABEL: Record<string, string> = {
  class: "Класс",
  classId: "Класс",
  period: "Учебный период",
  periodId: "Учебный период",
  month: "Месяц",
  from: "С даты",
  to: "По дату",
  subject: "Предмет",
  subjectId: "Предмет",
  teacher: "Учитель",
  date: "Дата",
  studentId: "Ученик (код на платформе)",
  week: "Неделя (любой день)",
  preset: "Набор правил",
  cutoffs: "Границы оценок «5/4/3», например 4.5/3.5/2.5",
  rounding: "Округление",
};

const ENUM_LABEL: Record<string, string> = { "in-favour": "В пользу ученика", strict: "Строго" };

function fileUrl(base: string, f: ReportFile): string {
  return f.url ?? `${base}/reports/${encodeURIComponent(String(f.id))}/file`;
}

function ParamField({
  name,
  schema,
  required,
  value,
  onChange,
  classes,
  periods,
  subjects,
}: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: string;
  onChange(v: string): void;
  classes: Lookup[];
  periods: Lookup[];
  subjects: Lookup[];
}) {
  const text = PARAM_LABEL[name] ?? schema.title ?? name;
  const optional = required ? [] : [{ value: "", label: "—" }];
  const lookup = /class/i.test(name)
    ? classes
    : /period/i.test(name)
      ? periods
      : /subject/i.test(name)
        ? subjects
        : null;
  if (lookup) {
    return (
      <NativeSelect
        label={text}
        required={required}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[...optional, ...lookup.map((l) => ({ value: l.id, label: l.name ?? l.title ?? l.id }))]}
      />
    );
  }
  if (schema.enum) {
    return (
      <NativeSelect
        label={text}
        required={required}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[
          ...optional,
          ...schema.enum.map((v) => ({ value: String(v), label: ENUM_LABEL[String(v)] ?? String(v) })),
        ]}
      />
    );
  }
  const picker = { label: text, description: schema.description, required, value, onChange };
  if (name === "month" || schema.pattern?.includes("\\d{4}-\\d{2}$")) return <MonthInput {...picker} />;
  if (schema.format === "date" || ["from", "to", "date", "week"].includes(name))
    return <DayInput {...picker} />;
  return (
    <TextInput
      label={text}
      description={schema.description}
      required={required}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

function Generate({ onDone }: { onDone(): void }) {
  const { user, base } = useSchool();
  const catalog = useApi<CatalogEntry[] | Page<CatalogEntry>>(`${base}/reports/catalog`);
  const classes = useApi<Lookup[] | Page<Lookup>>(`${base}/classes`);
  const periods = useApi<Lookup[] | Page<Lookup>>(`${base}/periods`);
  const subjects = useApi<Lookup[] | Page<Lookup>>(`${base}/subjects`);
  const kinds = itemsOf(catalog.data);
  const [kind, setKind] = useState("");
  const [format, setFormat] = useState("pdf");
  const [params, setParams] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<ReportFile | null>(null);
  const entry = kinds.find((k) => k.kind === kind);
  const schema = entry?.params ?? entry?.paramsSchema;

  useEffect(() => {
    if (!kind && kinds[0]) {
      setKind(kinds[0].kind);
      if (!kinds[0].formats.includes("pdf")) setFormat(kinds[0].formats[0] ?? "pdf");
    }
  }, [kind, kinds]);
  function chooseKind(next: string) {
    const nextEntry = kinds.find((k) => k.kind === next);
    setKind(next);
    if (nextEntry && !nextEntry.formats.includes(format)) setFormat(nextEntry.formats[0] ?? "pdf");
    setParams({});
    setMade(null);
  }

  const setParam = useCallback(
    (name: string) => (v: string) => setParams((p) => (p[name] === v ? p : { ...p, [name]: v })),
    [],
  );

  async function generate() {
    setBusy(true);
    setMade(null);
    try {
      const body: Record<string, unknown> = {};
      // a required choice nobody touched is the option its select shows: the first one
      const filled = { ...params };
      for (const name of schema?.required ?? []) {
        if (filled[name]) continue;
        const list = /class/i.test(name)
          ? classes
          : /period/i.test(name)
            ? periods
            : /subject/i.test(name)
              ? subjects
              : null;
        const first = list ? itemsOf(list.data)[0]?.id : undefined;
        if (first) filled[name] = first;
      }
      for (const [k, v] of Object.entries(filled)) {
        if (v === "") continue;
        const t = schema?.properties?.[k]?.type;
        body[k] = t === "integer" || t === "number" ? Number(v) : v;
      }
      const file = await api.post<ReportFile>(`${base}/reports`, { kind, format, params: body });
      setMade(file);
      notifications.show({ color: "green", message: `Отчёт готов: ${file.fileName}` });
      onDone();
    } catch {
      // shown by the notification
    } finally {
      setBusy(false);
    }
  }

  if (!may(user.role, "reports.create")) return null;
  return (
    <Paper withBorder p="md" mb="md">
      <Title order={2} size="h4" mb="sm">
        Сформировать отчёт
      </Title>
      <LoadState loading={catalog.loading} error={catalog.error} />
      {kinds.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void generate();
          }}
        >
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
              <NativeSelect
                label="Вид отчёта"
                value={kind}
                onChange={(e) => chooseKind(e.currentTarget.value)}
                data={kinds.map((k) => ({ value: k.kind, label: k.title }))}
              />
              {Object.entries(schema?.properties ?? {}).map(([name, prop]) => (
                <ParamField
                  key={`${kind}-${name}`}
                  name={name}
                  schema={prop}
                  required={schema?.required?.includes(name) ?? false}
                  value={params[name] ?? ""}
                  onChange={setParam(name)}
                  classes={itemsOf(classes.data)}
                  periods={itemsOf(periods.data)}
                  subjects={itemsOf(subjects.data)}
                />
              ))}
            </SimpleGrid>
            <div>
              <Text size="sm" fw={500} mb={4} id="format-label">
                Формат
              </Text>
              <SegmentedControl
                aria-labelledby="format-label"
                value={format}
                onChange={setFormat}
                data={(entry?.formats ?? ["pdf"]).map((f) => ({ value: f, label: FORMAT_LABEL[f] ?? f }))}
              />
            </div>
            <Group>
              <Button type="submit" loading={busy} disabled={!kind}>
                Сформировать
              </Button>
              {made && (
                <Anchor href={fileUrl(base, made)} download={made.fileName}>
                  Скачать {made.fileName}
                </Anchor>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}

function FilesTable({ files, base }: { files: ReportFile[]; base: string }) {
  return (
    <ScrollTable caption="Сформированные файлы" minWidth={600}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Создан</Table.Th>
          <Table.Th>Отчёт</Table.Th>
          <Table.Th>Файл</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {files.map((f) => (
          <Table.Tr key={f.id}>
            <Table.Td>{fmtDateTime(f.createdAt)}</Table.Td>
            <Table.Td>{f.title ?? f.kind}</Table.Td>
            <Table.Td>
              <Anchor href={fileUrl(base, f)} download={f.fileName}>
                {f.fileName}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ScrollTable>
  );
}

function Files({ tick }: { tick: number }) {
  const { base } = useSchool();
  const [page, setPage] = useState(1);
  const list = useApi<Page<ReportFile>>(`${base}/reports`, { page, pageSize: 20 });
  const { reload } = list;
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);
  const files = itemsOf(list.data);
  return (
    <>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && files.length === 0} />
      {files.length > 0 && <FilesTable files={files} base={base} />}
      {list.data && !Array.isArray(list.data) && (
        <Pager total={list.data.total} page={page} pageSize={list.data.pageSize} onChange={setPage} />
      )}
    </>
  );
}

function ScheduleView() {
  const { base } = useSchool();
  const catalog = useApi<CatalogEntry[]>(`${base}/reports/catalog`);
  const { data, error, loading } = useApi<Schedule>(`${base}/reports/schedule`);
  if (!data) return <LoadState loading={loading} error={error} />;
  const title = (kind: string) => itemsOf(catalog.data).find((k) => k.kind === kind)?.title ?? kind;
  return (
    <Stack>
      {data.rules.length === 0 ? (
        <Alert color="gray">Автоматические отчёты не настроены.</Alert>
      ) : (
        <ScrollTable caption="Расписание автоматических отчётов" minWidth={480}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Когда</Table.Th>
              <Table.Th>Какие отчёты</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.rules.map((r) => (
              <Table.Tr key={r.when}>
                <Table.Td>{r.when}</Table.Td>
                <Table.Td>{r.kinds.map(title).join(", ")}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {data.upcoming.length > 0 && (
        <>
          <Title order={3} size="h5">
            Ближайшие
          </Title>
          <ScrollTable caption="Ближайшие автоматические отчёты" minWidth={420}>
            <Table.Tbody>
              {data.upcoming.slice(0, 10).map((u) => (
                <Table.Tr key={`${u.date}-${u.kind}-${JSON.stringify(u)}`}>
                  <Table.Td>{fmtDate(u.date)}</Table.Td>
                  <Table.Td>{u.title}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
        </>
      )}
      {data.files.length > 0 && (
        <>
          <Title order={3} size="h5">
            Файлы, созданные по расписанию
          </Title>
          <FilesTable files={data.files} base={base} />
        </>
      )}
    </Stack>
  );
}

export default function ReportsPage() {
  const [tick, setTick] = useState(0);
  return (
    <>
      <PageHeader title="Отчёты" />
      <Generate onDone={() => setTick((t) => t + 1)} />
      <Tabs defaultValue="files" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="files">Сформированные файлы</Tabs.Tab>
          <Tabs.Tab value="schedule">Расписание</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="files">
          <Files tick={tick} />
        </Tabs.Panel>
        <Tabs.Panel value="schedule">
          <ScheduleView />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
