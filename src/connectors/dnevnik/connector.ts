// The Dnevnik.ru connector: check, discover, read(stream) as pages of canonical records.
// A page is one unit of work (one class, or one class × one date window); the cursor names the
// next unit, so an interrupted read of the same window resumes where it stopped. The API has no change
// feed: a read that reaches the end returns cursor null and the next read starts again. Each page
// names its scope (the class × window it read in full), so absence is proven only where it looked.
import { DateTime } from "luxon";
import type { School, StreamName } from "../../model/records.ts";
import { BadPayloadError, ConnectorError } from "../errors.ts";
import type { ConnectorDeps } from "../registry.ts";
import { decryptSecret, isEncryptedSecret } from "../secrets.ts";
import type {
  CheckResult,
  Connector,
  Discovery,
  Page,
  ReadOptions,
  ReadScope,
  RejectedRecord,
} from "../types.ts";
import { DnevnikClient, type Fetched } from "./client.ts";
import type { DnevnikConfig } from "./config.ts";
import { dateChunks } from "./date-chunks.ts";
import * as M from "./mapping.ts";
import { RunCache, windowKey } from "./run-cache.ts";
import { schoolSchema, userSchema } from "./schemas.ts";
import { zoneFromOffsetHours } from "./time.ts";

/** Streams this connector reads (parents, activity and outages are not in the partner API). */
export const DNEVNIK_STREAMS = [
  "periods",
  "calendar",
  "subjects",
  "persons",
  "classes",
  "lessons",
  "works",
  "marks",
  "attendance",
  "periodMarks",
] as const satisfies readonly StreamName[];

type DnevnikStream = (typeof DNEVNIK_STREAMS)[number];

/** Streams read per class × date window; the others are read whole, whatever the window. */
const DATED_STREAMS: readonly DnevnikStream[] = ["lessons", "works", "marks", "attendance"];

interface Unit {
  key: string;
  /** What the unit reads in full (a dated stream's class × window). */
  scope?: ReadScope;
  run(signal?: AbortSignal): Promise<M.Mapped<StreamName>>;
}

interface CursorState {
  v: 1;
  from: string;
  to: string;
  next: string;
}

function parseCursor(cursor: string | null): CursorState | null {
  if (!cursor) return null;
  try {
    const c = JSON.parse(cursor) as Partial<CursorState>;
    if (c.v === 1 && typeof c.from === "string" && typeof c.to === "string" && typeof c.next === "string") {
      return c as CursorState;
    }
  } catch {
    // an unreadable cursor means a full read: re-reading is idempotent
  }
  return null;
}

function dedupe<T>(records: T[], key: (r: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const r of records) if (!seen.has(key(r))) seen.set(key(r), r);
  return [...seen.values()];
}

function dedupeRejected(rejected: RejectedRecord[]): RejectedRecord[] {
  return dedupe(rejected, (r) => `${r.reason}|${r.field ?? ""}|${JSON.stringify(r.raw)}`);
}

export class DnevnikConnector implements Connector {
  readonly kind = "dnevnik";
  private readonly client: DnevnikClient;
  private schoolCache: Promise<School> | null = null;
  private readonly cache = new RunCache();

  constructor(
    private readonly config: DnevnikConfig,
    deps: ConnectorDeps = {},
  ) {
    const token = isEncryptedSecret(config.token) ? decryptSecret(config.token, deps.secret) : config.token;
    this.client = new DnevnikClient({
      baseUrl: config.baseUrl,
      token,
      timeoutMs: deps.http?.timeoutMs ?? config.timeoutMs,
      requestsPerSecond: deps.http?.rateLimit?.requestsPerSecond ?? config.requestsPerSecond,
      burst: deps.http?.rateLimit?.burst ?? config.burst,
      retry: { retries: config.retries, ...deps.http?.retry },
      breaker: deps.http?.breaker,
      clock: deps.clock,
      random: deps.random,
    });
  }

  stats(): { requests: number; retries: number } {
    return this.client.stats();
  }

  async check(): Promise<CheckResult> {
    try {
      const me = await this.client.me();
      const user = userSchema.safeParse(me.body);
      if (!user.success) throw new BadPayloadError({ detail: `${me.origin}: not a user object` });
      const school = await this.school();
      const roles = user.data.roles?.length ? user.data.roles.join(", ") : "none listed";
      return {
        ok: true,
        detail: `user ${user.data.id_str} (roles: ${roles}); school ${school.id} "${school.name}"`,
      };
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      return { ok: false, detail: `${e.kind}: ${e.detail}`, problems: [e.userMessage] };
    }
  }

  /** Starts a run: answers cached by the previous run are dropped. */
  async discover(): Promise<Discovery> {
    this.cache.clear();
    // Lesson log entries list only pupils who were not present: an empty lesson proves nothing.
    return {
      school: await this.school(),
      streams: [...DNEVNIK_STREAMS],
      attendanceEvidence: "absences-only",
    };
  }

  /** The school with its IANA zone (config wins over the platform's whole-hour `timeZone`). */
  school(signal?: AbortSignal): Promise<School> {
    this.schoolCache ??= this.loadSchool(signal).catch((e) => {
      this.schoolCache = null;
      throw e;
    });
    return this.schoolCache;
  }

  private async loadSchool(signal?: AbortSignal): Promise<School> {
    const f = await this.client.school(this.config.schoolId, signal);
    const s = schoolSchema.safeParse(f.body);
    if (!s.success) throw new BadPayloadError({ detail: `${f.origin}: ${s.error.issues[0].message}` });
    const zone =
      this.config.timezone ??
      (typeof s.data.timeZone === "number" ? zoneFromOffsetHours(s.data.timeZone) : null) ??
      null;
    if (!zone) {
      throw new BadPayloadError({
        detail: `${f.origin}: school time zone unknown (timeZone=${String(s.data.timeZone)}); set "timezone" in the source config`,
      });
    }
    return { id: s.data.id_str, name: s.data.name, timezone: zone, workweek: this.config.workweek };
  }

  async *read<S extends StreamName>(stream: S, options: ReadOptions): AsyncIterable<Page<S>> {
    if (!(DNEVNIK_STREAMS as readonly string[]).includes(stream)) {
      throw new Error(`dnevnik connector does not read stream "${stream}" (see discover())`);
    }
    const signal = options.signal;
    const school = await this.school(signal);
    const dated = DATED_STREAMS.includes(stream as DnevnikStream);
    const wanted = this.window(school.timezone, options);
    // A cursor resumes only the window it was made for; another window is read from its start.
    const saved = parseCursor(options.cursor);
    const resume = saved && saved.from === wanted.from && saved.to === wanted.to ? saved : null;
    const window = { from: wanted.from, to: wanted.to };
    const units = await this.unitsOf(
      stream as DnevnikStream,
      school.timezone,
      window.from,
      window.to,
      signal,
    );
    let start = resume ? units.findIndex((u) => u.key === resume.next) : 0;
    if (start < 0) start = 0; // the unit is gone (class removed): read it all again
    const whole = start === 0;
    // An undated stream is covered only by a read of all its units; a dated one unit by unit. Only a
    // read of every unit of the whole school year is a full read.
    const full = whole && (!dated || wanted.schoolYear);
    const closing: ReadScope[] = whole ? [dated ? { from: window.from, to: window.to } : {}] : [];
    if (units.length === 0) {
      yield {
        records: [],
        rejected: [],
        cursor: null,
        progress: { done: 0, total: 0 },
        scope: closing,
        full,
      };
      return;
    }
    // Up to `concurrency` units are read at once; pages still come out in order, so cursors stay exact.
    const inFlight: Promise<M.Mapped<StreamName>>[] = [];
    let launched = start;
    for (let i = start; i < units.length; i += 1) {
      signal?.throwIfAborted();
      while (launched < units.length && inFlight.length < this.config.concurrency) {
        const running = units[launched++].run(signal);
        running.catch(() => {}); // awaited in turn below; an early stop must not leave it unhandled
        inFlight.push(running);
      }
      const mapped = await (inFlight.shift() as Promise<M.Mapped<StreamName>>);
      const unit = units[i];
      const next = units[i + 1];
      const scope = dated ? (unit.scope ? [unit.scope] : []) : next ? [] : closing;
      yield {
        records: mapped.records as Page<S>["records"],
        rejected: mapped.rejected,
        cursor: next ? JSON.stringify({ v: 1, from: window.from, to: window.to, next: next.key }) : null,
        progress: { done: i + 1, total: units.length },
        scope,
        ...(next ? {} : { full }),
      };
    }
  }

  /**
   * The window to read. Named by the caller, it is read as named. Otherwise the school year of the
   * sync's clock (1 September – 31 August, in the school's zone), so a new school year never reads,
   * nor deletes, the last one. An incremental sync with `rereadDays` set starts that many days before
   * the stream's last completed read instead of on 1 September: Dnevnik.ru has no change feed and
   * its marks range follows the lesson date, so a late mark for an old lesson is seen only by a read
   * of that lesson's window; the trailing span is how far back a late entry is still caught without a
   * full read (`sync --full`, or no `rereadDays`, reads the whole year).
   */
  private window(zone: string, options: ReadOptions): { from: string; to: string; schoolYear: boolean } {
    const today = DateTime.fromJSDate(options.now ?? new Date()).setZone(zone);
    const startYear = today.month >= 9 ? today.year : today.year - 1;
    const year = { from: `${startYear}-09-01`, to: `${startYear + 1}-08-31` };
    let from = options.from ?? year.from;
    const to = options.to ?? year.to;
    const reread = this.config.rereadDays;
    if (options.from === undefined && !options.full && reread !== undefined && options.lastReadAt) {
      const since = DateTime.fromJSDate(options.lastReadAt)
        .setZone(zone)
        .minus({ days: reread })
        .toISODate()!;
      if (since > from) from = since;
    }
    return { from, to, schoolYear: from === year.from && to === year.to };
  }

  private eduGroups(signal?: AbortSignal): Promise<Fetched> {
    return this.cache.once("edu-groups", () => this.client.eduGroups(this.config.schoolId, signal));
  }

  private async groupIds(signal?: AbortSignal): Promise<string[]> {
    const f = await this.eduGroups(signal);
    return M.classGroupIds(f.body, f.origin);
  }

  /** The school's work types, read once per run. */
  private workTypes(signal?: AbortSignal): Promise<Map<string, M.WorkTypeInfo>> {
    return this.cache.once("work-types", () =>
      this.client
        .workTypes(this.config.schoolId, signal)
        .then((f) => M.workTypeIndex(f.body, f.origin, this.config.workTypeKinds)),
    );
  }

  /** A class's bell times, read once per run; a class the platform has no timetable for (404) has none. */
  private bells(groupId: string, zone: string, signal?: AbortSignal): Promise<M.BellSchedule> {
    return this.cache.once(`timetable:${groupId}`, () =>
      this.client
        .timetable(groupId, signal)
        .then((f) => M.bellSchedule(f.body, zone))
        .catch((e) => {
          if (e instanceof ConnectorError && e.kind === "not-found") return M.bellSchedule([], zone);
          throw e;
        }),
    );
  }

  /** A class's pupils, read once per run: the persons stream maps them, attendance reads per pupil. */
  private groupPersons(groupId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.cache.once(`persons:${groupId}`, () => this.client.groupPersons(groupId, signal));
  }

  private periodGroup(groupId: string, signal?: AbortSignal): Promise<Fetched> {
    return this.cache.once(`periods:${groupId}`, () => this.client.reportingPeriodGroup(groupId, signal));
  }

  private groupLessons(groupId: string, from: string, to: string, signal?: AbortSignal): Promise<Fetched> {
    return this.cache.lessonWindow(windowKey(groupId, from, to), () =>
      this.client.groupLessons(groupId, from, to, signal),
    );
  }

  private async unitsOf(
    stream: DnevnikStream,
    zone: string,
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<Unit[]> {
    const schoolId = this.config.schoolId;
    const c = this.client;
    switch (stream) {
      case "subjects":
        return [
          {
            key: "school",
            run: async (s) => {
              const f = await c.subjects(schoolId, s);
              return M.mapSubjects(f.body, f.origin);
            },
          },
        ];
      case "classes":
        return [
          {
            key: "school",
            run: async (s) => {
              const f = await this.eduGroups(s);
              const teachers = new Map<string, string | undefined>();
              for (const g of M.classGroupIds(f.body, f.origin)) {
                const t = await c.classTeacher(g, s);
                teachers.set(g, t ? M.classTeacherId(t.body) : undefined);
              }
              return M.mapClasses(f.body, f.origin, teachers);
            },
          },
        ];
      case "persons": {
        const groups = await this.groupIds(signal);
        const staff: Unit = {
          key: "staff",
          run: async (s) => {
            const f = await c.teachers(schoolId, s);
            return M.mapStaff(f.body, f.origin);
          },
        };
        return [
          staff,
          ...groups.map(
            (g): Unit => ({
              key: `group:${g}`,
              run: async (s) => {
                const f = await this.groupPersons(g, s);
                return M.mapStudents(f.body, f.origin, g);
              },
            }),
          ),
        ];
      }
      case "periods":
      case "calendar": {
        const groups = await this.groupIds(signal);
        return [
          {
            key: "school",
            run: async (s) => {
              const all: M.Mapped<StreamName> = { records: [], rejected: [] };
              for (const g of groups) {
                const f = await this.periodGroup(g, s);
                const part =
                  stream === "periods"
                    ? M.mapPeriods(f.body, f.origin, zone)
                    : M.mapHolidays(f.body, f.origin, zone);
                all.records.push(...part.records);
                all.rejected.push(...part.rejected);
              }
              const key = (r: unknown) =>
                stream === "periods" ? (r as { id: string }).id : (r as { date: string }).date;
              return { records: dedupe(all.records, key), rejected: dedupeRejected(all.rejected) };
            },
          },
        ];
      }
      case "periodMarks": {
        const groups = await this.groupIds(signal);
        return groups.map((g) => ({
          key: `group:${g}`,
          run: async (s) => {
            const f = await c.groupFinalMarks(g, s);
            return M.mapFinalMarks(f.body, f.origin);
          },
        }));
      }
      case "lessons":
      case "works":
      case "marks":
      case "attendance": {
        const groups = await this.groupIds(signal);
        const chunks = dateChunks(from, to, this.config.chunkDays);
        const units: Unit[] = [];
        for (const g of groups) {
          for (const chunk of chunks) {
            units.push({
              key: `group:${g}:${chunk.from}`,
              scope: { from: chunk.from, to: chunk.to, classId: g },
              run: (s) => this.readWindow(stream, zone, g, chunk.from, chunk.to, s),
            });
          }
        }
        return units;
      }
    }
  }

  private async readWindow(
    stream: "lessons" | "works" | "marks" | "attendance",
    zone: string,
    groupId: string,
    from: string,
    to: string,
    signal: AbortSignal | undefined,
  ): Promise<M.Mapped<StreamName>> {
    const c = this.client;
    if (stream === "attendance") {
      // The group call takes a subject in every client that models it; the working client reads each
      // pupil's entries instead (real-shapes.md D3), a few pupils at a time.
      const f = await this.groupPersons(groupId, signal);
      const pupils = M.pupilIds(f.body, f.origin);
      const all: M.Mapped<"attendance"> = { records: [], rejected: [] };
      for (let i = 0; i < pupils.length; i += this.config.concurrency) {
        const batch = pupils.slice(i, i + this.config.concurrency);
        const parts = await Promise.all(
          batch.map(async (pupil) => {
            const e = await c.pupilLogEntries(pupil, from, to, signal);
            return M.mapLogEntries(e.body, e.origin, zone, pupil);
          }),
        );
        for (const part of parts) {
          all.records.push(...part.records);
          all.rejected.push(...part.rejected);
        }
      }
      return all;
    }
    if (stream === "lessons") {
      const bells = await this.bells(groupId, zone, signal);
      const f = await this.groupLessons(groupId, from, to, signal);
      return M.mapLessons(f.body, f.origin, { zone, groupId, bells });
    }
    const workTypes = await this.workTypes(signal);
    const lessons = await this.groupLessons(groupId, from, to, signal);
    if (stream === "works") return M.mapWorks(lessons.body, lessons.origin, { zone, groupId, workTypes });

    const marks = await c.groupMarks(groupId, from, to, signal);
    // Marks are the last stream to read a lessons answer (STREAMS order); what they need of it is indexed.
    this.cache.forgetLessonWindow(windowKey(groupId, from, to));
    // A mark set in this window may belong to a lesson outside it: one the run has not read is fetched alone.
    const index = this.cache.lessons;
    const refs = M.markRefs(marks.body, marks.origin);
    for (const id of refs.lessonIds) {
      if (index.subjectOfLesson.has(id)) continue;
      try {
        index.add((await c.lesson(id, signal)).body);
      } catch (e) {
        if (!(e instanceof ConnectorError && e.kind === "not-found")) throw e;
      }
    }
    return M.mapMarks(marks.body, marks.origin, { zone, lessons: index, workTypes });
  }
}

export function createDnevnikConnector(config: DnevnikConfig, deps: ConnectorDeps): Connector {
  return new DnevnikConnector(config, deps);
}
