// Источники (admin): the sources of the school, add / edit / check / sync now / pause; per source its
// sync runs (counts, duration, requests, errors), quarantined records with the reason and the raw
// record, and outages.
import {
  Alert,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  JsonInput,
  List,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useCallback, useEffect, useState } from "react";
import { api, itemsOf, type Page } from "../api.ts";
import { LoadState, PageHeader, Pager, ScrollTable } from "../components/common.tsx";
import { fmtDateTime, fmtDuration, label, RUN_STATUS } from "../format.ts";
import { may, useSchool } from "../session.tsx";
import { useApi } from "../useApi.ts";

interface RunView {
  id: string | number;
  startedAt: string;
  finishedAt?: string | null;
  status: string;
  mode?: string;
  counts?: Partial<Record<"read" | "inserted" | "updated" | "unchanged" | "deleted" | "quarantined", number>>;
  requests?: number | null;
  durationMs?: number | null;
  error?: string | null;
}
interface SourceView {
  id: string;
  kind: string;
  schoolId: string | null;
  paused: boolean;
  lastRun: RunView | null;
  config: Record<string, unknown>;
}
interface CheckResult {
  ok: boolean;
  /** What the account reads, in the platform's words (lines starting "- " are the problems again). */
  detail: string;
  problems: { code: string; message: string }[];
}
interface QuarantineRow {
  id: string | number;
  runId?: string | number;
  stream: string;
  reason: string;
  raw: unknown;
}
interface Outage {
  id?: string | number;
  from?: string;
  to?: string | null;
  startedAt?: string;
  endedAt?: string | null;
  reason?: string;
  kind?: string;
}

const KINDS = [
  { value: "moodle", label: "Moodle" },
  { value: "dnevnik", label: "Дневник.ру" },
  { value: "netschool", label: "Сетевой город" },
  { value: "bars", label: "БАРС" },
  { value: "sheet", label: "Таблица (импорт)" },
];

const SECRET = "••••";

function RunBadge({ run }: { run: RunView | null }) {
  if (!run) return <Badge color="gray">Не запускался</Badge>;
  return <Badge color={RUN_STATUS[run.status]?.color ?? "gray"}>{label(RUN_STATUS, run.status)}</Badge>;
}

function SourceForm({
  initial,
  onSaved,
  onCancel,
}: {
  initial: SourceView | null;
  onSaved(): void;
  onCancel(): void;
}) {
  const [id, setId] = useState(initial?.id ?? "");
  const [kind, setKind] = useState(initial?.kind ?? "moodle");
  const config = initial?.config ?? {};
  const school = (config.school ?? {}) as Record<string, unknown>;
  const [url, setUrl] = useState(String(config.url ?? ""));
  const [token, setToken] = useState(String(config.token ?? ""));
  const [schoolId, setSchoolId] = useState(String(school.id ?? ""));
  const [timezone, setTimezone] = useState(String(school.timezone ?? "Europe/Moscow"));
  const { url: _u, token: _t, school: _s, kind: _k, ...rest } = config;
  const [extra, setExtra] = useState(Object.keys(rest).length ? JSON.stringify(rest, null, 2) : "{}");
  const [busy, setBusy] = useState(false);

  async function save() {
    let more: Record<string, unknown>;
    try {
      more = JSON.parse(extra || "{}");
    } catch {
      notifications.show({ color: "red", title: "Ошибка в JSON", message: "Проверьте прочие параметры." });
      return;
    }
    const next: Record<string, unknown> = { ...more };
    if (url) next.url = url.trim();
    if (token && token !== SECRET) next.token = token;
    else if (token === SECRET) next.token = SECRET;
    if (schoolId) next.school = { ...((more.school as object) ?? {}), id: schoolId.trim(), timezone };
    setBusy(true);
    try {
      if (initial) await api.patch(`/api/v1/sources/${encodeURIComponent(initial.id)}`, { config: next });
      else await api.post("/api/v1/sources", { id: id.trim(), kind, config: next });
      notifications.show({ color: "green", message: initial ? "Источник сохранён." : "Источник добавлен." });
      onSaved();
    } catch {
      // shown by the notification
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Код источника"
            description="Латиница, цифры и дефис, например moodle-school-1"
            required
            disabled={initial !== null}
            value={id}
            onChange={(e) => setId(e.currentTarget.value)}
          />
          <NativeSelect
            label="Платформа"
            disabled={initial !== null}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value)}
            data={KINDS}
          />
          <TextInput
            label="Адрес платформы (URL)"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <TextInput
            label="Токен или пароль"
            description={initial ? "Оставьте «••••», чтобы не менять" : "Хранится в зашифрованном виде"}
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
          />
          <TextInput
            label="Код школы"
            value={schoolId}
            onChange={(e) => setSchoolId(e.currentTarget.value)}
          />
          <TextInput
            label="Часовой пояс школы"
            value={timezone}
            onChange={(e) => setTimezone(e.currentTarget.value)}
          />
        </SimpleGrid>
        <JsonInput
          label="Прочие параметры (JSON)"
          description="Необязательные настройки подключения; см. руководство по платформе."
          autosize
          minRows={3}
          maxRows={12}
          validationError="Неверный JSON"
          value={extra}
          onChange={setExtra}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Отмена
          </Button>
          <Button type="submit" loading={busy}>
            {initial ? "Сохранить" : "Добавить"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Runs({ sourceId, tick }: { sourceId: string; tick: number }) {
  const [page, setPage] = useState(1);
  const list = useApi<Page<RunView>>(`/api/v1/sources/${encodeURIComponent(sourceId)}/runs`, {
    page,
    pageSize: 10,
  });
  const { reload } = list;
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);
  const runs = itemsOf(list.data);
  return (
    <>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && runs.length === 0} />
      {runs.length > 0 && (
        <ScrollTable caption="Запуски синхронизации" minWidth={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Начат</Table.Th>
              <Table.Th>Статус</Table.Th>
              <Table.Th ta="right">Прочитано</Table.Th>
              <Table.Th ta="right">Новых</Table.Th>
              <Table.Th ta="right">Изменено</Table.Th>
              <Table.Th ta="right">Удалено</Table.Th>
              <Table.Th ta="right">В карантине</Table.Th>
              <Table.Th ta="right">Запросов</Table.Th>
              <Table.Th ta="right">Длительность</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  {fmtDateTime(r.startedAt)}
                  {r.error && (
                    <Text size="xs" c="red">
                      {r.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <RunBadge run={r} />
                </Table.Td>
                <Table.Td ta="right">{r.counts?.read ?? "—"}</Table.Td>
                <Table.Td ta="right">{r.counts?.inserted ?? "—"}</Table.Td>
                <Table.Td ta="right">{r.counts?.updated ?? "—"}</Table.Td>
                <Table.Td ta="right">{r.counts?.deleted ?? "—"}</Table.Td>
                <Table.Td ta="right">{r.counts?.quarantined ?? "—"}</Table.Td>
                <Table.Td ta="right">{r.requests ?? "—"}</Table.Td>
                <Table.Td ta="right">{fmtDuration(r.durationMs)}</Table.Td>
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

function Quarantine({ sourceId }: { sourceId: string }) {
  const [page, setPage] = useState(1);
  const list = useApi<Page<QuarantineRow>>(`/api/v1/sources/${encodeURIComponent(sourceId)}/quarantine`, {
    page,
    pageSize: 10,
  });
  const rows = itemsOf(list.data);
  return (
    <>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && rows.length === 0} />
      <Stack gap="sm">
        {rows.map((q) => (
          <div key={q.id}>
            <Text size="sm" fw={500}>
              {q.stream}: {q.reason}
            </Text>
            <Code block className="raw-record">
              {typeof q.raw === "string" ? q.raw : JSON.stringify(q.raw, null, 2)}
            </Code>
          </div>
        ))}
      </Stack>
      {list.data && !Array.isArray(list.data) && (
        <Pager total={list.data.total} page={page} pageSize={list.data.pageSize} onChange={setPage} />
      )}
    </>
  );
}

function Outages({ sourceId }: { sourceId: string }) {
  const list = useApi<Page<Outage> | Outage[]>(`/api/v1/sources/${encodeURIComponent(sourceId)}/outages`);
  const rows = itemsOf(list.data);
  return (
    <>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && rows.length === 0} />
      {rows.length > 0 && (
        <ScrollTable caption="Перебои платформы" minWidth={480}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>С</Table.Th>
              <Table.Th>По</Table.Th>
              <Table.Th>Причина</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((o, i) => (
              <Table.Tr key={o.id ?? i}>
                <Table.Td>{fmtDateTime(o.from ?? o.startedAt)}</Table.Td>
                <Table.Td>
                  {o.to === null || o.endedAt === null ? "продолжается" : fmtDateTime(o.to ?? o.endedAt)}
                </Table.Td>
                <Table.Td>{o.reason ?? o.kind ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}

function SourceDetail({ source, onChanged }: { source: SourceView; onChanged(): void }) {
  const { user } = useSchool();
  const canChange = may(user.role, "sources.change");
  const path = `/api/v1/sources/${encodeURIComponent(source.id)}`;
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState(false);
  const [polling, setPolling] = useState(0);

  // after "sync now" the run appears when the worker takes the job: look again for a while
  useEffect(() => {
    if (polling <= 0) return;
    const timer = setTimeout(() => {
      setTick((t) => t + 1);
      setPolling((p) => p - 1);
      onChanged();
    }, 1500);
    return () => clearTimeout(timer);
  }, [polling, onChanged]);

  async function run(what: "check" | "sync" | "pause") {
    setBusy(what);
    try {
      if (what === "check") {
        setCheck(await api.post<CheckResult>(`${path}/check`, {}));
      } else if (what === "sync") {
        await api.post(`${path}/sync`, {});
        notifications.show({ color: "blue", message: "Синхронизация поставлена в очередь." });
        setPolling(20);
      } else {
        await api.patch(path, { paused: !source.paused });
        onChanged();
      }
    } catch {
      // shown by the notification
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge variant="outline">{KINDS.find((k) => k.value === source.kind)?.label ?? source.kind}</Badge>
        {source.paused && <Badge color="yellow">На паузе</Badge>}
        <RunBadge run={source.lastRun} />
      </Group>
      {canChange && (
        <Group gap="xs">
          <Button size="xs" variant="light" loading={busy === "check"} onClick={() => run("check")}>
            Проверить
          </Button>
          <Button size="xs" loading={busy === "sync"} disabled={source.paused} onClick={() => run("sync")}>
            Синхронизировать сейчас
          </Button>
          <Button size="xs" variant="default" loading={busy === "pause"} onClick={() => run("pause")}>
            {source.paused ? "Возобновить" : "Приостановить"}
          </Button>
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            Изменить
          </Button>
        </Group>
      )}
      {check && (
        <Alert
          color={!check.ok ? "red" : check.problems.length > 0 ? "yellow" : "green"}
          title={
            !check.ok
              ? "Проверка нашла проблемы"
              : check.problems.length > 0
                ? "Проверка пройдена, но не всё доступно"
                : "Проверка пройдена"
          }
          role="status"
        >
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              Что читает учётная запись
            </Text>
            <Text size="xs" style={{ whiteSpace: "pre-line" }}>
              {check.detail
                .split("\n")
                .filter((l) => !l.startsWith("- ") && !l.startsWith("  "))
                .join("\n")}
            </Text>
            {check.problems.length > 0 ? (
              <>
                <Text size="sm" fw={500}>
                  Чего не хватает ({check.problems.length})
                </Text>
                <List size="sm" aria-label="Проблемы проверки">
                  {check.problems.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: problems are a fixed list of lines
                    <List.Item key={i}>{p.message}</List.Item>
                  ))}
                </List>
              </>
            ) : (
              <Text size="sm">Подключение работает, все нужные данные доступны.</Text>
            )}
          </Stack>
        </Alert>
      )}
      <Tabs defaultValue="runs" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="runs">Запуски</Tabs.Tab>
          <Tabs.Tab value="quarantine">Карантин</Tabs.Tab>
          <Tabs.Tab value="outages">Перебои</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="runs" pt="sm">
          <Runs sourceId={source.id} tick={tick} />
        </Tabs.Panel>
        <Tabs.Panel value="quarantine" pt="sm">
          <Quarantine sourceId={source.id} />
        </Tabs.Panel>
        <Tabs.Panel value="outages" pt="sm">
          <Outages sourceId={source.id} />
        </Tabs.Panel>
      </Tabs>
      <Modal
        opened={editing}
        onClose={() => setEditing(false)}
        title={`Источник ${source.id}`}
        size="lg"
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        <SourceForm
          initial={source}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      </Modal>
    </Stack>
  );
}

/**
 * The sources of every school of the admin: a new source has no school until its first sync, then it
 * belongs to the school its platform names, which need not be the one chosen in the header.
 */
function useAllSchoolsSources(schoolIds: string[]) {
  const [data, setData] = useState<SourceView[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const key = schoolIds.join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for schoolIds; tick reloads
  useEffect(() => {
    let live = true;
    setLoading(true);
    Promise.all(
      key
        .split("|")
        .filter(Boolean)
        .map((id) => api.get<SourceView[]>(`/api/v1/schools/${encodeURIComponent(id)}/sources`)),
    )
      .then((lists) => {
        if (!live) return;
        const byId = new Map<string, SourceView>();
        for (const s of lists.flat()) byId.set(s.id, s);
        setData([...byId.values()].sort((a, b) => a.id.localeCompare(b.id)));
        setError(undefined);
      })
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export default function SourcesPage() {
  const { user } = useSchool();
  const list = useAllSchoolsSources(user.schools.map((s) => s.id));
  const [adding, setAdding] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const phone = useMediaQuery("(max-width: 48em)");
  const sources = itemsOf(list.data);
  const open = sources.find((s) => s.id === openId) ?? null;

  return (
    <>
      <PageHeader title="Источники">
        {may(user.role, "sources.change") && (
          <Button onClick={() => setAdding(true)}>Добавить источник</Button>
        )}
      </PageHeader>
      <LoadState loading={list.loading} error={list.error} empty={!list.loading && sources.length === 0} />
      {sources.length > 0 && (
        <ScrollTable caption="Источники данных" minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Источник</Table.Th>
              <Table.Th>Платформа</Table.Th>
              <Table.Th>Школа</Table.Th>
              <Table.Th>Последняя синхронизация</Table.Th>
              <Table.Th>Состояние</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sources.map((s) => (
              <Table.Tr key={s.id} className="clickable-row" onClick={() => setOpenId(s.id)}>
                <Table.Td>
                  <Text
                    component="button"
                    type="button"
                    size="sm"
                    fw={500}
                    style={{ background: "none", border: 0, padding: 0, cursor: "pointer", color: "inherit" }}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOpenId(s.id);
                    }}
                  >
                    {s.id}
                  </Text>
                </Table.Td>
                <Table.Td>{KINDS.find((k) => k.value === s.kind)?.label ?? s.kind}</Table.Td>
                <Table.Td>
                  {s.lastRun ? fmtDateTime(s.lastRun.finishedAt ?? s.lastRun.startedAt) : "—"}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <RunBadge run={s.lastRun} />
                    {s.paused && <Badge color="yellow">На паузе</Badge>}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Modal
        opened={adding}
        onClose={() => setAdding(false)}
        title="Новый источник"
        size="lg"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        <SourceForm
          initial={null}
          onCancel={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            list.reload();
          }}
        />
      </Modal>
      <Drawer
        opened={open !== null}
        onClose={() => setOpenId(null)}
        position="right"
        size={phone ? "100%" : "min(1040px, 92vw)"}
        title={
          <Title order={2} size="h4">
            {open ? `Источник ${open.id}` : ""}
          </Title>
        }
        closeButtonProps={{ "aria-label": "Закрыть" }}
      >
        {open && <SourceDetail source={open} onChanged={list.reload} />}
      </Drawer>
    </>
  );
}
