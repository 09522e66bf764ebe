// The NetSchool («Сетевой город. Образование») connector: check, discover, read(stream).
// One login per run (logout at the end), the account's context (roles, rights, school year, server
// version), the pupils it can see (`student/diary/init`), the assignment types, the terms (reports
// filters), then each pupil's diary window by window: a unit is one class × one window, read for
// every pupil of the class, so it proves absence in that class and window (Page.scope). The diary
// has no entry times: no record carries recordedAt; evidence comes from first-seen / last-absent.
import { DateTime } from "luxon";
import { log } from "../../log/logger.ts";
import type { Attendance, Mark, Period, School, StreamName } from "../../model/records.ts";
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
import { NetschoolClient } from "./client.ts";
import type { NetschoolConfig } from "./config.ts";
import * as M from "./mapping.ts";
import { netschoolMessages } from "./messages.ru.ts";
import { parseStudentGrades, parseStudentTotal, type TotalSubject } from "./report-html.ts";
import { periodFilter, type ReportRun, runReport } from "./report-queue.ts";
import { addSetDates, attendanceOf, gradeKey, periodMarksOf } from "./report-records.ts";
import {
  contextSchema,
  diaryInitSchema,
  filterSourcesSchema,
  type NetschoolContext,
  type StudentEntry,
} from "./schemas.ts";
import { hubRoute } from "./server-version.ts";

/**
 * Streams read: the web diary's, and from the reports (queue + SignalR + HTML) attendance and period
 * marks, plus the day each mark was set (`Mark.recordedOn`). Activity is not read.
 */
export const NETSCHOOL_STREAMS = [
  "periods",
  "subjects",
  "classes",
  "persons",
  "lessons",
  "works",
  "marks",
  "attendance",
  "periodMarks",
] as const satisfies readonly StreamName[];

/** What this run's reports gave, or why they are unavailable (the diary is stored either way). */
interface ReportsData {
  status: "available" | "unavailable" | "off";
  reason?: string;
  /** gradeKey → the StudentGrades «Дата выставления». */
  setDates: Map<string, string>;
  /** StudentTotal of each pupil. */
  totals: Map<string, { subjects: TotalSubject[]; origin: string }>;
  rejected: RejectedRecord[];
}

const DIARY_STREAMS = new Set<StreamName>(["lessons", "works", "marks"]);
const REPORT_STREAMS = new Set<StreamName>(["attendance", "periodMarks"]);

export type ReadableScope = "school" | "classes" | "pupil" | "none";

/** What the account's roles let it read (BN §B4 `context.roles`; real-shapes §2.1 role catalogue). */
export function scopeOfRoles(roles: string[]): ReadableScope {
  const has = (r: string) => roles.some((x) => x.toLowerCase() === r.toLowerCase());
  if (has("Admin") || has("Principal") || has("Director") || has("Deputy")) return "school";
  if (has("Teacher") || has("ClassTeacher")) return "classes";
  if (has("Parent") || has("Student")) return "pupil";
  return "none";
}

interface Session {
  context: NetschoolContext;
  students: StudentEntry[];
  rejected: RejectedRecord[];
  types: Map<string, M.TypeInfo>;
}

interface Window {
  from: string;
  to: string;
  schoolYear: boolean;
}

export class NetschoolConnector implements Connector {
  readonly kind = "netschool";
  private readonly client: NetschoolClient;
  private session: Promise<Session> | null = null;
  /** Diary windows read in this run, by `class|from`: lessons, works and marks come from one read. */
  private readonly windows = new Map<string, Promise<M.DiaryWindow>>();
  private serverVersion: string | undefined;
  private reports: Promise<ReportsData> | null = null;
  private reportsOutcome: { status: ReportsData["status"]; reason?: string; hub?: string } | undefined;
  private termList: Promise<{
    periods: Period[];
    rejected: RejectedRecord[];
    titles: { id: string; title: string }[];
  }> | null = null;

  constructor(
    private readonly config: NetschoolConfig,
    deps: ConnectorDeps = {},
  ) {
    const password = isEncryptedSecret(config.password)
      ? decryptSecret(config.password, deps.secret)
      : config.password;
    this.client = new NetschoolClient({
      baseUrl: config.baseUrl,
      login: config.login,
      password,
      schoolId: config.schoolId,
      timeoutMs: deps.http?.timeoutMs ?? config.timeoutMs,
      requestsPerSecond: deps.http?.rateLimit?.requestsPerSecond ?? config.requestsPerSecond,
      burst: deps.http?.rateLimit?.burst,
      retry: { retries: config.retries, ...deps.http?.retry },
      breaker: deps.http?.breaker,
      clock: deps.clock,
      random: deps.random,
    });
  }

  /** Requests and retries, and the server version this run talked to (kept in the run's counts). */
  stats(): {
    requests: number;
    retries: number;
    serverVersion?: string;
    reports?: { status: string; reason?: string; hub?: string };
  } {
    return {
      ...this.client.stats(),
      ...(this.serverVersion ? { serverVersion: this.serverVersion } : {}),
      ...(this.reportsOutcome ? { reports: this.reportsOutcome } : {}),
    };
  }

  async check(): Promise<CheckResult> {
    this.session = null;
    try {
      const s = await this.loadSession();
      const scope = scopeOfRoles(s.context.roles);
      const roles = s.context.roles.join(", ") || "нет";
      const version = s.context.version ?? "неизвестна";
      if (scope === "none")
        return {
          ok: false,
          detail: `роли ${roles}: ${netschoolMessages.nothingUseful}`,
          problems: [netschoolMessages.nothingUseful],
        };
      if (s.students.length === 0)
        return {
          ok: false,
          detail: `роли ${roles}: ${netschoolMessages.noPupils}`,
          problems: [netschoolMessages.noPupils],
        };
      const classes = new Set(s.students.map((x) => x.classId).filter(Boolean)).size;
      const what =
        scope === "school"
          ? netschoolMessages.scopeSchool
          : scope === "classes"
            ? netschoolMessages.scopeClasses
            : netschoolMessages.scopePupil;
      return {
        ok: true,
        detail: `роли ${roles}; читается: ${what} (${classes} кл., ${s.students.length} уч.); версия сервера ${version}`,
      };
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      return { ok: false, detail: `${e.userMessage} (${e.detail})`, problems: [e.userMessage] };
    } finally {
      await this.close();
    }
  }

  /** Starts a run: logs in, reads the context; answers of an earlier run are dropped. */
  async discover(): Promise<Discovery> {
    this.session = null;
    this.windows.clear();
    this.reports = null;
    this.termList = null;
    this.reportsOutcome = undefined;
    const s = await this.loadSession();
    if (scopeOfRoles(s.context.roles) === "none") {
      throw new ConnectorError("not-permitted", false, netschoolMessages.nothingUseful, {
        detail: `webapi/context: roles [${s.context.roles.join(", ")}] read no pupil's diary`,
      });
    }
    // The diary has no entry times: the sync's observations are the evidence (marks may carry the day
    // they were set, from StudentGrades). The reports list absences only, never a lesson's roll call.
    return {
      school: this.school(s.context),
      // Without the reports there is no attendance and no period mark to read.
      streams: NETSCHOOL_STREAMS.filter((x) => this.config.reports || !REPORT_STREAMS.has(x)),
      entryTimes: "none",
      attendanceEvidence: "absences-only",
    };
  }

  /** Logs out: a session left open pushes a person using the same login out of the site. */
  async close(): Promise<void> {
    this.session = null;
    await this.client.logout();
  }

  private school(context: NetschoolContext): School {
    return {
      id: this.config.schoolId,
      name: context.organization?.name ?? `Школа ${this.config.schoolId}`,
      timezone: this.config.timezone,
      workweek: this.config.workweek,
    };
  }

  private loadSession(signal?: AbortSignal): Promise<Session> {
    this.session ??= this.openSession(signal).catch((e) => {
      this.session = null;
      throw e;
    });
    return this.session;
  }

  private async openSession(signal?: AbortSignal): Promise<Session> {
    const c = await this.client.context(signal);
    const context = contextSchema.safeParse(c.body);
    if (!context.success) {
      throw new BadPayloadError({ detail: `${c.origin}: ${context.error.issues[0].message}` });
    }
    this.serverVersion = context.data.version;
    log.info("netschool server", {
      version: context.data.version ?? "unknown",
      roles: context.data.roles.join(","),
    });
    const i = await this.client.diaryInit(signal);
    const init = diaryInitSchema.safeParse(i.body);
    if (!init.success) throw new BadPayloadError({ detail: `${i.origin}: ${init.error.issues[0].message}` });
    const { students, rejected } = M.parseStudents(init.data.students, i.origin);
    const t = await this.client.assignmentTypes(signal);
    const types = M.typeIndex(t.body, t.origin, this.config.homeworkTypes, this.config.workTypeKinds);
    return { context: context.data, students, rejected, types };
  }

  async *read<S extends StreamName>(stream: S, options: ReadOptions): AsyncIterable<Page<S>> {
    if (!(NETSCHOOL_STREAMS as readonly string[]).includes(stream)) {
      throw new Error(`netschool connector does not read stream "${stream}" (see discover())`);
    }
    const signal = options.signal;
    const s = await this.loadSession(signal);
    const window = this.window(s.context, options);
    const page = (
      records: unknown[],
      rejected: RejectedRecord[],
      scope: ReadScope[],
      full: boolean,
      done = 1,
      total = 1,
    ) => ({ records, rejected, cursor: null, scope, full, progress: { done, total } }) as unknown as Page<S>;

    if (stream === "periods") {
      const { periods, rejected } = await this.terms(signal);
      yield page(periods, rejected, [{}], true);
      return;
    }
    if (stream === "classes") {
      const mapped = M.mapClasses(s.students, "GET webapi/student/diary/init");
      yield page(mapped.records, mapped.rejected, [{}], true);
      return;
    }
    const classes = this.classesOf(s.students);
    const units = classes.flatMap((cls) => this.chunks(window).map((chunk) => ({ cls, ...chunk })));
    // Pupils (from diary/init) are complete; teacher slots and subjects only as far as the window shows.
    const undatedScope: ReadScope[] = window.schoolYear ? [{}] : [];
    if (stream === "persons" || stream === "subjects") {
      const seen = new Map<string, unknown>();
      let done = 0;
      for (const u of units) {
        const w = await this.diaryWindow(s, u.cls, u.from, u.to, signal);
        for (const r of stream === "subjects" ? w.subjects : w.teachers)
          if (!seen.has(r.id)) seen.set(r.id, r);
        done += 1;
      }
      const records =
        stream === "persons" ? [...M.mapPupils(s.students), ...seen.values()] : [...seen.values()];
      const rejected = stream === "persons" ? s.rejected : [];
      yield page(records, rejected, undatedScope, window.schoolYear, done, units.length);
      return;
    }
    if (stream === "periodMarks") {
      const r = await this.reportsOf(s, window, signal);
      const { titles } = await this.terms(signal);
      const records: unknown[] = [];
      const rejected: RejectedRecord[] = [];
      for (const [pupil, t] of r.totals) {
        const m = periodMarksOf(t.subjects, pupil, M.subjectIdOf, titles, t.origin);
        records.push(...m.records);
        rejected.push(...m.rejected);
      }
      // The term totals of a report over the whole year prove a missing period mark; a shorter one does not.
      const whole = r.status === "available" && window.schoolYear;
      yield page(records, rejected, whole ? [{}] : [], whole);
      return;
    }
    if (!DIARY_STREAMS.has(stream) && stream !== "attendance") return;
    if (units.length === 0) {
      yield page([], [], [{ from: window.from, to: window.to }], window.schoolYear, 0, 0);
      return;
    }
    for (let i = 0; i < units.length; i += 1) {
      const u = units[i];
      const w = await this.diaryWindow(s, u.cls, u.from, u.to, signal);
      const last = i === units.length - 1;
      const scope: ReadScope[] = [{ from: u.from, to: u.to, classId: u.cls.id }];
      if (stream === "attendance") {
        // Attendance is the last stream to need a window (STREAMS order): it is dropped after it.
        this.windows.delete(`${u.cls.id}|${u.from}`);
        const r = await this.reportsOf(s, window, signal);
        const a = this.attendanceOfWindow(r, u.cls.pupils, w, u.from, u.to);
        // Without the report nothing about attendance is known: no scope, so nothing is proven absent.
        const ok = r.status === "available";
        yield page(
          a.records,
          a.rejected,
          ok ? scope : [],
          ok && last && window.schoolYear,
          i + 1,
          units.length,
        );
        continue;
      }
      let records: unknown[] = stream === "lessons" ? w.lessons : stream === "works" ? w.works : w.marks;
      const rejected = w.rejected.filter((r) => r.stream === stream);
      if (stream === "marks") {
        const r = await this.reportsOf(s, window, signal);
        if (i === 0) rejected.push(...r.rejected);
        records = w.marks.map((m) => this.withSetDate(m, w, r));
      }
      yield page(records, rejected, scope, last && window.schoolYear, i + 1, units.length);
    }
  }

  /**
   * The window to read: the one the caller names, within the platform's current school year (the only
   * one `context` opens). Otherwise the school year; an incremental sync reads from `rereadDays` before
   * today to the end of this week (the diary shows no entry times, so a late entry for an older lesson is
   * caught by the nightly full read).
   */
  private window(context: NetschoolContext, options: ReadOptions): Window {
    const zone = this.config.timezone;
    const today = DateTime.fromJSDate(options.now ?? new Date()).setZone(zone);
    const startYear = today.month >= 9 ? today.year : today.year - 1;
    const year = {
      from: context.schoolyear?.startDate ?? `${startYear}-09-01`,
      to: context.schoolyear?.endDate ?? `${startYear + 1}-08-31`,
    };
    let from = options.from && options.from > year.from ? options.from : year.from;
    let to = options.to && options.to < year.to ? options.to : year.to;
    if (options.from === undefined && options.to === undefined && !options.full) {
      const since = today.minus({ days: this.config.rereadDays }).toISODate()!;
      const weekEnd = today.plus({ days: 7 - today.weekday }).toISODate()!;
      if (since > from) from = since;
      if (weekEnd < to) to = weekEnd;
    }
    return { from, to, schoolYear: from === year.from && to === year.to };
  }

  private chunks(w: Window): { from: string; to: string }[] {
    const out: { from: string; to: string }[] = [];
    let d = DateTime.fromISO(w.from);
    const end = DateTime.fromISO(w.to);
    while (d <= end) {
      const last = DateTime.min(d.plus({ days: this.config.diaryDays - 1 }), end);
      out.push({ from: d.toISODate()!, to: last.toISODate()! });
      d = last.plus({ days: 1 });
    }
    return out;
  }

  private classesOf(students: StudentEntry[]): { id: string; name: string; pupils: string[] }[] {
    const byClass = new Map<string, { id: string; name: string; pupils: string[] }>();
    for (const s of students) {
      if (!s.classId) continue;
      const c = byClass.get(s.classId) ?? { id: s.classId, name: s.className ?? s.classId, pupils: [] };
      c.pupils.push(s.studentId);
      byClass.set(s.classId, c);
    }
    return [...byClass.values()];
  }

  private diaryWindow(
    s: Session,
    cls: { id: string; name: string; pupils: string[] },
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<M.DiaryWindow> {
    const key = `${cls.id}|${from}`;
    let w = this.windows.get(key);
    if (!w) {
      w = this.readDiaryWindow(s, cls, from, to, signal);
      w.catch(() => this.windows.delete(key));
      this.windows.set(key, w);
    }
    return w;
  }

  private async readDiaryWindow(
    s: Session,
    cls: { id: string; name: string; pupils: string[] },
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<M.DiaryWindow> {
    const yearId = s.context.schoolyear?.id ?? s.context.schoolYearId ?? "";
    const out = M.emptyWindow();
    for (const pupil of cls.pupils) {
      const f = await this.client.diary(pupil, yearId, from, to, signal);
      M.addDiary(out, f.body, f.origin, pupil, { classId: cls.id, className: cls.name, types: s.types });
    }
    return out;
  }

  /** A diary mark with the day StudentGrades says it was set, when a report row matches it. */
  private withSetDate(m: Mark, w: M.DiaryWindow, r: ReportsData): Mark {
    const type = w.markTypes.get(m.id);
    const date = w.lessons.find((l) => l.id === m.lessonId)?.date;
    if (!type || !date) return m;
    const set = r.setDates.get(gradeKey(m.studentId, m.subjectId, date, type, String(m.value)));
    return set ? { ...m, recordedOn: set } : m;
  }

  /** The absences StudentTotal shows for the pupils of one class and window. */
  private attendanceOfWindow(r: ReportsData, pupils: string[], w: M.DiaryWindow, from: string, to: string) {
    const records: Attendance[] = [];
    const rejected: RejectedRecord[] = [];
    const lessonsOf = (subject: string, date: string) =>
      w.lessons.filter((l) => l.date === date && l.subjectId === M.subjectIdOf(subject));
    for (const pupil of pupils) {
      const t = r.totals.get(pupil);
      if (!t) continue;
      const inWindow = t.subjects.map((x) => ({
        ...x,
        days: x.days.filter((d) => d.date >= from && d.date <= to),
      }));
      const a = attendanceOf(inWindow, pupil, lessonsOf, t.origin);
      records.push(...a.records);
      rejected.push(...a.rejected);
    }
    return { records, rejected };
  }

  /** This run's reports, read once: every pupil's StudentTotal and StudentGrades of each subject group. */
  private reportsOf(s: Session, window: Window, signal?: AbortSignal): Promise<ReportsData> {
    this.reports ??= this.readReports(s, window, signal);
    return this.reports;
  }

  private async readReports(s: Session, window: Window, signal?: AbortSignal): Promise<ReportsData> {
    const empty = (status: ReportsData["status"], reason?: string): ReportsData => ({
      status,
      ...(reason ? { reason } : {}),
      setDates: new Map(),
      totals: new Map(),
      rejected: [],
    });
    const route = hubRoute(s.context.version);
    const hub = route.kind === "hub" ? route.path : "classic SignalR";
    if (!this.config.reports) {
      this.reportsOutcome = { status: "off" };
      return empty("off");
    }
    const run: ReportRun = {
      client: this.client,
      version: s.context.version,
      yearId: s.context.schoolyear?.id ?? s.context.schoolYearId ?? "",
      schoolName: s.context.organization?.name ?? "",
      dateFormat: "dd.mm.yyyy",
      hubTimeoutMs: this.config.reportTimeoutMs,
      signal,
    };
    const period = { filterId: "period", filterValue: periodFilter(window.from, window.to) };
    const startYear = Number((s.context.schoolyear?.startDate ?? window.from).slice(0, 4));
    const data = empty("available");
    try {
      for (const pupil of s.students) {
        const sid = { filterId: "SID", filterValue: pupil.studentId };
        const total = await runReport(run, "studenttotal", [sid, period]);
        data.totals.set(pupil.studentId, {
          subjects: parseStudentTotal(total.html, startYear),
          origin: total.origin,
        });
        const f = await this.client.initReportFilters("studentgrades", [sid], signal);
        const filters = filterSourcesSchema.safeParse(f.body);
        if (!filters.success)
          throw new BadPayloadError({ detail: `${f.origin}: ${filters.error.issues[0].message}` });
        for (const group of M.findFilter(filters.data, "SGID")?.items ?? []) {
          const g = await runReport(run, "studentgrades", [
            sid,
            { filterId: "SGID", filterValue: group.value },
            period,
          ]);
          const parsed = parseStudentGrades(g.html);
          addSetDates(data.setDates, parsed.rows, pupil.studentId, M.subjectIdOf(group.title));
          for (const p of parsed.problems)
            data.rejected.push({
              stream: "marks",
              origin: `${g.origin} row ${p.row}`,
              reason: p.reason,
              raw: p.raw,
            });
        }
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      const reason =
        e instanceof ConnectorError
          ? `${e.kind}${e.platformType ? ` (${e.platformType})` : ""}: ${e.detail}`
          : `report not readable: ${(e as Error).message}`;
      log.warn("netschool reports unavailable this run; the diary is kept", { reason });
      this.reportsOutcome = { status: "unavailable", reason, hub };
      return empty("unavailable", reason);
    }
    this.reportsOutcome = { status: "available", hub };
    return data;
  }

  /** The terms of the TERMID filter, each with the range initfilters gives when it is selected (read once a run). */
  private terms(
    signal?: AbortSignal,
  ): Promise<{ periods: Period[]; rejected: RejectedRecord[]; titles: { id: string; title: string }[] }> {
    this.termList ??= this.readTerms(signal);
    return this.termList;
  }

  private async readTerms(
    signal?: AbortSignal,
  ): Promise<{ periods: Period[]; rejected: RejectedRecord[]; titles: { id: string; title: string }[] }> {
    const f = await this.client.reportFilters(signal);
    const sources = filterSourcesSchema.safeParse(f.body);
    if (!sources.success)
      throw new BadPayloadError({ detail: `${f.origin}: ${sources.error.issues[0].message}` });
    const termFilter = M.findFilter(sources.data, "TERMID");
    const periods: Period[] = [];
    const rejected: RejectedRecord[] = [];
    for (const item of termFilter?.items ?? []) {
      const r = await this.client.initFilters([{ filterId: "TERMID", filterValue: item.value }], signal);
      const selected = filterSourcesSchema.safeParse(r.body);
      const range = selected.success ? M.findFilter(selected.data, "period")?.range : undefined;
      const period = range ? M.mapTerm(item, range) : null;
      if (period && period.start <= period.end) periods.push(period);
      else
        rejected.push({
          stream: "periods",
          origin: r.origin,
          reason: range ? "term kind not recognised" : "no period range for the term",
          raw: item,
        });
    }
    const titles = (termFilter?.items ?? []).map((item) => ({ id: item.value, title: item.title }));
    return { periods, rejected, titles };
  }
}

export function createNetschoolConnector(config: NetschoolConfig, deps: ConnectorDeps): Connector {
  return new NetschoolConnector(config, deps);
}
