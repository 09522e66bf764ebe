// The BARS «Электронная школа» connector: check, discover and read canonical streams. BARS has no
// class-wide or staff API (real-shapes.md §3.3): everything is read per pupil the account may select,
// and a run reads the whole window once (harvest.ts), then serves each stream from that read.
// BARS gives no entry times at all (real-shapes.md §4): no record carries a `recordedAt`; the store
// dates entries by observation (first seen / last absent), so a school on BARS is checked on deadlines
// only as well as its syncs are frequent.
import { DateTime } from "luxon";
import type { StreamName, StreamRecords } from "../../model/records.ts";
import { InvalidRequestError } from "../errors.ts";
import type { ConnectorDeps } from "../registry.ts";
import { decryptSecret, isEncryptedSecret } from "../secrets.ts";
import type { CheckResult, Connector, Discovery, Page, ReadOptions, ReadScope } from "../types.ts";
import { type BarsAuth, BarsClient } from "./client.ts";
import type { BarsConfig } from "./config.ts";
import { Harvest, type Pupil, type Window, weeksOf } from "./harvest.ts";
import { barsMessages } from "./messages.ru.ts";

/** Streams a BARS source gives. No activity (no logins of others), no outages, no entry times. */
export const BARS_STREAMS = [
  "periods",
  "calendar",
  "subjects",
  "classes",
  "persons",
  "lessons",
  "works",
  "marks",
  "attendance",
  "periodMarks",
] as const satisfies readonly StreamName[];

/** Streams served one page per class, each page covering its class × the window in full. */
const PER_CLASS = new Set<StreamName>(["lessons", "works", "marks", "attendance"]);

const plain = (value: string, secret?: string) =>
  isEncryptedSecret(value) ? decryptSecret(value, secret) : value;

export class BarsConnector implements Connector {
  readonly kind = "bars";
  private readonly client: BarsClient;
  private harvest: { key: string; done: Promise<Harvest> } | undefined;
  private pupilList: Promise<{ pupils: Pupil[]; rejected: Page["rejected"] }> | undefined;

  constructor(
    private readonly config: BarsConfig,
    deps: ConnectorDeps = {},
  ) {
    const a = config.auth;
    const auth: BarsAuth =
      a.method === "password"
        ? { method: "password", login: a.login, password: plain(a.password, deps.secret) }
        : { method: "cookie", sessionid: plain(a.sessionid, deps.secret) };
    this.client = new BarsClient({
      url: config.url,
      auth,
      timeoutMs: deps.http?.timeoutMs ?? config.timeoutMs,
      requestsPerSecond: config.requestsPerSecond,
      rateLimit: deps.http?.rateLimit,
      retry: { retries: config.retries, ...deps.http?.retry },
      breaker: deps.http?.breaker,
      clock: deps.clock,
      random: deps.random,
    });
  }

  /**
   * Logs in (or tries the copied cookie), lists the pupils the account may select and reads one week
   * of one pupil. A dead cookie or a refused password throws its typed error, whose Russian text says
   * what to do; an account that may select no pupil is not ok.
   */
  async check(): Promise<CheckResult> {
    const { pupils, rejected } = await this.pupils();
    const how =
      this.client.authMethod === "password" ? "вход по логину и паролю" : "вход по cookie sessionid (ЕСИА)";
    const classes = [...new Set(pupils.flatMap((p) => (p.classId ? [p.classId] : [])))].sort();
    const lines = [
      `БАРС «Электронная школа» ${new URL(this.config.url).host}: ${how}; доступно учеников: ${pupils.length}, классов: ${classes.length}${classes.length ? ` (${classes.join(", ")})` : ""}.`,
    ];
    if (pupils.length === 0)
      return {
        ok: false,
        detail: [...lines, barsMessages.noPupils].join("\n"),
        problems: [barsMessages.noPupils],
      };
    const problems = rejected.map(
      (r) =>
        `ученик ${String((r.raw as { person_id?: unknown })?.person_id ?? "?")}: ${r.reason} — пропускается`,
    );
    for (const p of problems) lines.push(`- ${p}`);
    const probe = pupils.find((p) => p.classId) ?? pupils[0];
    await this.client.setChild(probe.id);
    const today = DateTime.now().setZone(this.config.school.timezone).toISODate()!;
    await this.client.api("ScheduleService/GetDiary", {
      date: weeksOf({ from: today, to: today })[0],
      is_diary: true,
    });
    lines.push(
      "Дневник ученика читается. БАРС не сообщает время внесения записей: сроки проверяются по наблюдениям (первое появление записи при синхронизации), поэтому синхронизируйте источник после уроков каждый рабочий день.",
    );
    if (this.client.authMethod === "cookie")
      lines.push(
        "Cookie sessionid действует, пока сессия не закрыта в браузере; когда она истечёт, проверка скажет, как обновить её.",
      );
    return { ok: true, detail: lines.join("\n"), problems };
  }

  async discover(): Promise<Discovery> {
    // A new run: forget the last run's answers.
    this.harvest = undefined;
    this.pupilList = undefined;
    const { school } = this.config;
    return {
      school: {
        id: school.id,
        name: school.name ?? `БАРС ${new URL(this.config.url).host}`,
        timezone: school.timezone,
        workweek: school.workweek,
      },
      streams: [...BARS_STREAMS],
      // The diary's `attendance` is empty for a pupil who came and for a lesson never marked alike.
      attendanceEvidence: "absences-only",
    };
  }

  stats(): { requests: number; retries: number } {
    return this.client.stats();
  }

  read<S extends StreamName>(stream: S, options: ReadOptions): AsyncIterable<Page<S>> {
    return this.readStream(stream, options) as AsyncIterable<Page<S>>;
  }

  private pupils(signal?: AbortSignal): Promise<{ pupils: Pupil[]; rejected: Page["rejected"] }> {
    this.pupilList ??= (async () => {
      const f = await this.client.api("ProfileService/GetPersonData", undefined, signal);
      const { pupils, rejected } = Harvest.pupilsOf(f);
      const only = this.config.pupils ? new Set(this.config.pupils) : undefined;
      return { pupils: only ? pupils.filter((p) => only.has(p.id)) : pupils, rejected };
    })();
    this.pupilList.catch(() => {
      this.pupilList = undefined;
    });
    return this.pupilList;
  }

  /** The window to read: as named, else the school year of the sync's clock up to the end of its week. */
  private window(options: ReadOptions): Window & { schoolYear: boolean } {
    const zone = this.config.school.timezone;
    const today = DateTime.fromJSDate(options.now ?? new Date()).setZone(zone);
    const startYear = today.month >= 9 ? today.year : today.year - 1;
    const year = { from: `${startYear}-09-01`, to: `${startYear + 1}-08-31` };
    const weekEnd = today.endOf("week").toISODate()!;
    let from = options.from ?? year.from;
    // Weeks after this one hold no entries yet: one request per pupil and week is not spent on them.
    const to = options.to ?? [weekEnd, year.to].sort()[0];
    const reread = this.config.rereadDays;
    if (options.from === undefined && !options.full && reread !== undefined && options.lastReadAt) {
      const since = DateTime.fromJSDate(options.lastReadAt)
        .setZone(zone)
        .minus({ days: reread })
        .toISODate()!;
      if (since > from) from = since;
    }
    return { from, to, schoolYear: from === year.from };
  }

  private read_(window: Window, signal?: AbortSignal): Promise<Harvest> {
    const key = `${window.from}..${window.to}`;
    if (this.harvest?.key === key) return this.harvest.done;
    const done = (async () => {
      const { pupils } = await this.pupils(signal);
      const h = new Harvest(this.client, this.config, window);
      for (const p of pupils) {
        signal?.throwIfAborted();
        await h.readPupil(p, signal);
      }
      h.finishPeriods();
      return h;
    })();
    this.harvest = { key, done };
    done.catch(() => {
      if (this.harvest?.done === done) this.harvest = undefined;
    });
    return done;
  }

  private async *readStream(stream: StreamName, options: ReadOptions): AsyncGenerator<Page> {
    if (!(BARS_STREAMS as readonly StreamName[]).includes(stream))
      throw new InvalidRequestError({ detail: `bars: stream "${stream}" is not carried` });
    const window = this.window(options);
    const h = await this.read_(window, options.signal);
    const records = [...h.records[stream].values()] as StreamRecords[StreamName][];
    const rejected = h.rejected[stream] ?? [];
    if (!PER_CLASS.has(stream)) {
      // The calendar is the school's: any pupil's diary covers the window. Roster, periods and finals
      // are never proven absent: a pupil's diary shows only that pupil's subjects and teachers, and
      // GetTotalMarks only the current year.
      const scope: ReadScope[] =
        stream === "calendar" && h.pupilsRead > 0 ? [{ from: window.from, to: window.to }] : [];
      yield { records, rejected, cursor: null, scope };
      return;
    }
    const classes = [...h.classes].sort();
    const start = parseCursor(options.cursor);
    const classOfPupil = new Map([...h.records.persons.values()].map((p) => [p.id, p.classId]));
    const classOf = (r: StreamRecords[StreamName]): string | undefined => {
      if ("classId" in r && r.classId) return r.classId;
      if ("studentId" in r) return classOfPupil.get(r.studentId);
      return undefined;
    };
    if (classes.length === 0) {
      yield { records: [], rejected, cursor: null, scope: [] };
      return;
    }
    // A read of every class from the school year's start, begun from the first class, is a full read:
    // what it did not see up to the end of this week is absent (weeks after hold no entries yet), as
    // Dnevnik.ru's read of the whole year is.
    const full = start === 0 && window.schoolYear && h.unreadClasses.size === 0;
    for (let i = start; i < classes.length; i += 1) {
      const c = classes[i];
      const last = i === classes.length - 1;
      yield {
        records: records.filter((r) => classOf(r) === c),
        rejected: i === start ? rejected : [],
        cursor: last ? null : `class:${i + 1}`,
        progress: { done: i + 1, total: classes.length },
        scope: h.unreadClasses.has(c) ? [] : [{ from: window.from, to: window.to, classId: c }],
        ...(last ? { full } : {}),
      };
    }
  }
}

function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const m = /^class:(\d+)$/.exec(cursor);
  if (!m) throw new InvalidRequestError({ detail: `bars: unreadable cursor "${cursor.slice(0, 40)}"` });
  return Number(m[1]);
}

export function createBarsConnector(config: BarsConfig, deps: ConnectorDeps = {}): Connector {
  return new BarsConnector(config, deps);
}
