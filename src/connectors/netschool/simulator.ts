// A local NetSchool («Сетевой город. Образование») server for end-to-end runs and demos: serves a
// canonical Dataset through the web API's real shapes (platforms/real-shapes.md §2: `context`,
// `student/diary/init`, `grade/assignment/types`, `student/diary`, the reports filters), with the
// platform's own login (salted md5 proof, `at` header) and switchable faults.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dataset } from "../../dataset/types.ts";
import type { Lesson, Mark, Period, Person, SchoolClass, Work, WorkKind } from "../../model/records.ts";
import { LOCKOUT_TEXT } from "./classify.ts";
import { passwordProof } from "./login-hash.ts";
import { hubRoute, queuePath } from "./server-version.ts";
import { ReportBuilder, startQueueHub } from "./simulator-reports.ts";

export type SimulatedRole = "Admin" | "Teacher" | "Parent" | "EmOper";

export interface NetschoolFaults {
  /** Delay every response by this many milliseconds. */
  latencyMs?: number;
  /** The next `next` data calls find their session expired (401); each expiry ends that session. */
  expireSession?: { next: number };
  /** Logins are throttled: 409 with the platform's lockout text. */
  lockout?: boolean;
  /** Data calls answer 403. */
  forbidden?: boolean;
  /** The next `next` requests get the HTML maintenance page (status 200 by default, as the proxies do). */
  maintenance?: { next: number; status?: number };
  /** The report queue hub answers the WebSocket upgrade with HTTP 500. */
  hubRefuses?: boolean;
  /** The report queue answers 409 (lentryd issue #20). */
  queueConflict?: boolean;
  /** The hub's `complete` event comes this many milliseconds after the task starts. */
  slowCompleteMs?: number;
}

export interface NetschoolSimulatorOptions {
  dataset: Dataset;
  login: string;
  password: string;
  port?: number;
  role?: SimulatedRole;
  faults?: NetschoolFaults;
  /** The server version `context` reports. */
  version?: string;
}

export interface NetschoolSimulator {
  /** The server root, e.g. `http://127.0.0.1:34567/` (the connector's baseUrl). */
  url: string;
  /** The school's id on the server (`scid`, the connector's schoolId). */
  schoolId: string;
  setFaults(faults: NetschoolFaults): void;
  requests(): number;
  /** Requests by path (`webapi/student/diary`…), for request budgets in tests. */
  requestsByPath(): Record<string, number>;
  logins(): number;
  logouts(): number;
  openSessions(): number;
  close(): Promise<void>;
}

/** A platform integer id for a dataset id: stable, below 2^48 (JSON-safe). */
export function netschoolId(entity: string, id: string): string {
  return String(Number.parseInt(createHash("sha1").update(`${entity}:${id}`).digest("hex").slice(0, 12), 16));
}

/** The assignment types the simulated server has (ids as a server numbers them; names as schools see them). */
export const SIM_TYPES: { id: number; name: string; abbr: string; order: number; kind?: WorkKind }[] = [
  { id: 1, name: "Ответ на уроке", abbr: "О", order: 1, kind: "oral" },
  { id: 2, name: "Письменная работа", abbr: "П", order: 2, kind: "written" },
  { id: 3, name: "Домашнее задание", abbr: "Д", order: 3 },
  { id: 4, name: "Контрольная работа", abbr: "К", order: 4, kind: "control" },
  { id: 5, name: "Тестирование", abbr: "Т", order: 5, kind: "test" },
  { id: 6, name: "Лабораторная работа", abbr: "Л", order: 6, kind: "lab" },
  { id: 7, name: "Практическая работа", abbr: "Пр", order: 7, kind: "practical" },
  { id: 8, name: "Региональная диагностическая работа", abbr: "РДР", order: 8, kind: "regional" },
  { id: 9, name: "Всероссийская проверочная работа", abbr: "ВПР", order: 9, kind: "federal" },
  { id: 10, name: "Промежуточная аттестация", abbr: "ПА", order: 10, kind: "intermediate" },
  { id: 11, name: "Итоговая аттестация", abbr: "ИА", order: 11, kind: "final" },
];
export const HOMEWORK_TYPE_ID = 3;
const typeOfKind = (kind: WorkKind) => SIM_TYPES.find((t) => t.kind === kind)?.id ?? 1;

const TERM_TITLES: Record<Period["kind"], (n: number) => string> = {
  quarter: (n) => `${n} четверть`,
  semester: (n) => `${n} полугодие`,
  trimester: (n) => `${n} триместр`,
  year: () => "Год",
};

const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Сетевой Город. Образование — технические работы</title></head>
<body><h1>Уважаемые пользователи!</h1><p>На сервере проводятся технические работы. Попробуйте зайти позже.</p></body></html>`;

const naive = (date: string) => `${date}T00:00:00`;
const isNumericMark = (m: Mark) => typeof m.value === "number" || /^[1-5]$/.test(m.value);

/** The dataset as the server holds it: what each pupil's diary shows. */
export class NetschoolSimIndex {
  readonly schoolId: string;
  readonly classes = new Map<string, SchoolClass>();
  readonly pupils: Person[];
  readonly year: Period;
  readonly terms: Period[];
  private readonly lessonsByClass = new Map<string, Lesson[]>();
  private readonly worksByLesson = new Map<string, Work[]>();
  private readonly workMarks = new Map<string, Mark>();
  /** Marks without a work (oral answers), by lesson and pupil, in dataset order. */
  private readonly oralMarks = new Map<string, Mark[]>();
  /** How many oral assignments a lesson has: the most oral marks one pupil got in it. */
  private readonly oralCount = new Map<string, number>();
  private readonly workWeight = new Map<string, number>();
  private readonly subjects = new Map<string, string>();

  constructor(readonly ds: Dataset) {
    const s = ds.streams;
    this.schoolId = netschoolId("school", ds.manifest.school.id);
    for (const c of s.classes) this.classes.set(c.id, c);
    for (const x of s.subjects) this.subjects.set(x.id, x.name);
    this.pupils = s.persons.filter((p) => p.role === "student" && p.classId && this.classes.has(p.classId));
    const observed = ds.manifest.observedAt.slice(0, 10);
    const years = s.periods.filter((p) => p.kind === "year").sort((a, b) => a.start.localeCompare(b.start));
    this.year = years.find((y) => y.start <= observed && observed <= y.end) ?? years[years.length - 1];
    this.terms = s.periods.filter((p) => p.start >= this.year.start && p.end <= this.year.end);
    for (const l of s.lessons) {
      const list = this.lessonsByClass.get(l.classId) ?? [];
      list.push(l);
      this.lessonsByClass.set(l.classId, list);
    }
    for (const list of this.lessonsByClass.values())
      list.sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number);
    for (const w of s.works) {
      if (!w.lessonId) continue;
      const list = this.worksByLesson.get(w.lessonId) ?? [];
      list.push(w);
      this.worksByLesson.set(w.lessonId, list);
    }
    for (const m of s.marks) {
      if (!m.lessonId || !isNumericMark(m)) continue;
      if (m.workId) {
        const key = `${m.workId}|${m.studentId}`;
        if (!this.workMarks.has(key)) this.workMarks.set(key, m);
        if (m.weight && m.weight > (this.workWeight.get(m.workId) ?? 1))
          this.workWeight.set(m.workId, m.weight);
      } else {
        const key = `${m.lessonId}|${m.studentId}`;
        const list = this.oralMarks.get(key) ?? [];
        list.push(m);
        this.oralMarks.set(key, list);
        this.oralCount.set(m.lessonId, Math.max(this.oralCount.get(m.lessonId) ?? 0, list.length));
      }
    }
  }

  className(c: SchoolClass): string {
    return `${c.grade}${c.letter}`;
  }

  /** Oral assignments of a lesson: one per oral mark a pupil got, and one carrying the topic when there is no work. */
  oralAssignments(l: Lesson): number {
    const n = this.oralCount.get(l.id) ?? 0;
    const works = this.worksByLesson.get(l.id)?.length ?? 0;
    return Math.max(n, l.topic && works === 0 ? 1 : 0);
  }

  worksOf(lessonId: string): Work[] {
    return this.worksByLesson.get(lessonId) ?? [];
  }
  weightOf(workId: string): number {
    return this.workWeight.get(workId) ?? 1;
  }
  workMark(workId: string, pupilId: string): Mark | undefined {
    return this.workMarks.get(`${workId}|${pupilId}`);
  }
  oralMarksOf(lessonId: string, pupilId: string): Mark[] {
    return this.oralMarks.get(`${lessonId}|${pupilId}`) ?? [];
  }

  subjectName(id: string): string {
    return this.subjects.get(id) ?? id;
  }

  diary(pupil: Person, from: string, to: string): unknown {
    const lessons = (this.lessonsByClass.get(pupil.classId ?? "") ?? []).filter(
      (l) => l.date >= from && l.date <= to,
    );
    const days = new Map<string, unknown[]>();
    const pupilId = netschoolId("person", pupil.id);
    const mark = (assignmentId: string, m: Mark | undefined) =>
      m
        ? {
            mark: {
              assignmentId: Number(assignmentId),
              studentId: Number(pupilId),
              mark: Number(m.value),
              resultScore: null,
              dutyMark: false,
            },
          }
        : {};
    for (const l of lessons) {
      const cm = Number(netschoolId("lesson", l.id));
      const assignments: unknown[] = [];
      for (const w of this.worksOf(l.id)) {
        const id = netschoolId("work", w.id);
        assignments.push({
          id: Number(id),
          typeId: typeOfKind(w.kind),
          assignmentName: l.topic ?? "",
          weight: this.weightOf(w.id),
          dueDate: naive(l.date),
          classMeetingId: cm,
          existsTestPlan: false,
          ...mark(id, this.workMark(w.id, pupil.id)),
        });
      }
      const oral = this.oralMarksOf(l.id, pupil.id);
      for (let k = 0; k < this.oralAssignments(l); k += 1) {
        const id = netschoolId("oral", `${l.id}#${k}`);
        assignments.push({
          id: Number(id),
          typeId: 1,
          assignmentName: l.topic ?? "",
          weight: 1,
          dueDate: naive(l.date),
          classMeetingId: cm,
          existsTestPlan: false,
          ...mark(id, oral[k]),
        });
      }
      if (l.homework) {
        assignments.push({
          id: Number(netschoolId("homework", l.id)),
          typeId: HOMEWORK_TYPE_ID,
          assignmentName: l.homework,
          weight: 0,
          dueDate: naive(l.date),
          classMeetingId: cm,
          existsTestPlan: false,
        });
      }
      const day = days.get(l.date) ?? [];
      day.push({
        classmeetingId: cm,
        day: naive(l.date),
        number: l.number,
        relay: 1,
        room: null,
        startTime: l.start,
        endTime: l.end,
        subjectName: this.subjectName(l.subjectId),
        isEaLesson: false,
        assignments,
      });
      days.set(l.date, day);
    }
    const cls = this.classes.get(pupil.classId ?? "");
    const term = this.terms.find((t) => t.kind !== "year" && t.start <= from && from <= t.end);
    return {
      weekStart: naive(from),
      weekEnd: naive(to),
      weekDays: [...days].map(([date, ls]) => ({ date: naive(date), lessons: ls })),
      laAssigns: [],
      termName: term ? TERM_TITLES[term.kind](term.number) : null,
      className: cls ? this.className(cls) : null,
    };
  }
}

export async function startNetschoolSimulator(
  options: NetschoolSimulatorOptions,
): Promise<NetschoolSimulator> {
  const ix = new NetschoolSimIndex(options.dataset);
  const ds = options.dataset;
  const role = options.role ?? "Admin";
  let faults: NetschoolFaults = { ...options.faults };
  let count = 0;
  let logins = 0;
  let logouts = 0;
  const byPath: Record<string, number> = {};
  const sessions = new Set<string>();
  const pending = new Map<string, string>(); // lt → salt
  const teacher = ds.streams.classes.find((c) => c.classTeacherId)?.classTeacherId;
  const visible =
    role === "Admin"
      ? ix.pupils
      : role === "Teacher"
        ? ix.pupils.filter((p) => ix.classes.get(p.classId ?? "")?.classTeacherId === teacher)
        : role === "Parent"
          ? ix.pupils.slice(0, 1)
          : [];
  const visibleById = new Map(visible.map((p) => [netschoolId("person", p.id), p]));
  const yearId = netschoolId("year", ix.year.id);
  const version = options.version ?? "5.43.62541";
  const pupilByServerId = new Map(ix.pupils.map((p) => [netschoolId("person", p.id), p]));
  const worksById = new Map(ds.streams.works.map((w) => [w.id, w]));
  const lessonsById = new Map(ds.streams.lessons.map((l) => [l.id, l]));
  const reports = new ReportBuilder({
    ds,
    terms: ix.terms.map((t) => ({
      id: t.id,
      title: TERM_TITLES[t.kind](t.number),
      start: t.start,
      end: t.end,
    })),
    pupilOf: (id) => pupilByServerId.get(id),
    subjectName: (id) => ix.subjectName(id),
    typeName: (m) => {
      const w = m.workId ? worksById.get(m.workId) : undefined;
      return SIM_TYPES.find((t) => t.id === (w ? typeOfKind(w.kind) : 1))?.name ?? "Ответ на уроке";
    },
    topicOf: (id) => lessonsById.get(id)?.topic ?? "",
    serverTermId: (id) => netschoolId("period", id),
  });
  const tasks = new Map<string, { report: string; selected: Map<string, string> }>();
  const files = new Map<string, string>();
  let taskSeq = 1000;
  const hub = startQueueHub({
    path: () => {
      const r = hubRoute(version);
      return r.kind === "hub" ? r.path : null;
    },
    validSession: (at) => sessions.has(at),
    faults: () => faults,
    complete: (taskId) => {
      const t = tasks.get(taskId);
      if (!t) return null;
      const pupil = visibleById.get(t.selected.get("SID") ?? "");
      const [from, to] = (t.selected.get("period") ?? "").split(" - ").map((x) => x.slice(0, 10));
      if (!pupil || !from || !to) return null;
      const html =
        t.report === "studenttotal"
          ? reports.studentTotal(pupil, from, to)
          : reports.studentGrades(pupil, subjectOfGroup.get(t.selected.get("SGID") ?? "") ?? "", from, to);
      const id = randomBytes(8).toString("hex");
      files.set(id, html);
      tasks.delete(taskId);
      return id;
    },
  });
  /** SGID (a subject group of the class) → the dataset subject. */
  const subjectOfGroup = new Map<string, string>();
  const subjectsOfClass = new Map<string, Set<string>>();
  for (const l of ds.streams.lessons)
    subjectsOfClass.set(l.classId, (subjectsOfClass.get(l.classId) ?? new Set()).add(l.subjectId));
  const groupsOf = (pupil: Person) => {
    const subjects = [...(subjectsOfClass.get(pupil.classId ?? "") ?? [])].sort();
    return subjects.map((subjectId) => {
      const id = netschoolId("group", `${pupil.classId}|${subjectId}`);
      subjectOfGroup.set(id, subjectId);
      return { title: ix.subjectName(subjectId), value: id };
    });
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    type = "application/json; charset=utf-8",
  ) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const context = () => ({
    at: null,
    userId: Number(netschoolId("user", options.login)),
    funcType: "School",
    schoolId: Number(ix.schoolId),
    schoolYearId: Number(yearId),
    globalYearId: 25,
    productName: "Сетевой Город. Образование",
    version,
    rights:
      role === "Admin"
        ? ["arReportsViewAll", "arClassJournalView", "arCalendarViewSelf", "arAnnouncementView"]
        : role === "Teacher"
          ? ["arReportsViewForAssignedClass", "arClassJournalView", "arAnnouncementView"]
          : role === "Parent"
            ? ["arCalendarViewSelf", "arReportsViewForAssignedClass", "arAnnouncementView"]
            : ["arAnnouncementView"],
    roles: [role],
    schoolyear: {
      globalYear: { startDate: naive(ix.year.start), endDate: naive(ix.year.end), id: 25, name: "2025/2026" },
      schoolId: Number(ix.schoolId),
      startDate: naive(ix.year.start),
      endDate: naive(ix.year.end),
      closed: "Open",
      id: Number(yearId),
      name: `${ix.year.start.slice(0, 4)}/${ix.year.end.slice(0, 4)}`,
    },
    user: { id: Number(netschoolId("user", options.login)), name: "Пользователь Д. Д." },
    organization: { id: Number(ix.schoolId), name: ds.manifest.school.name },
    dateFormat: "d\u0001mm\u0001yy\u0001.",
    timeFormat: "h\u0001mm\u0001:\u0001\u0001",
  });

  const filters = (selectedTerm?: string) => {
    const term = ix.terms.find((t) => netschoolId("period", t.id) === selectedTerm) ?? ix.terms[0];
    return {
      filterSources: [
        {
          filterId: "SID",
          items: visible.slice(0, 1).map((p) => ({ title: p.name, value: netschoolId("person", p.id) })),
          defaultValue: visible[0] ? netschoolId("person", visible[0].id) : null,
        },
        {
          filterId: "TERMID",
          items: ix.terms.map((t) => ({
            title: TERM_TITLES[t.kind](t.number),
            value: netschoolId("period", t.id),
          })),
          defaultValue: term ? netschoolId("period", term.id) : null,
        },
        {
          filterId: "period",
          items: null,
          defaultValue: null,
          range: term ? { start: naive(term.start), end: naive(term.end) } : null,
        },
      ],
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/+/, "").replace(/\/+$/, "");
    byPath[path] = (byPath[path] ?? 0) + 1;
    if (faults.maintenance && faults.maintenance.next > 0) {
      faults.maintenance.next -= 1;
      return send(res, faults.maintenance.status ?? 200, MAINTENANCE_PAGE, "text/html; charset=utf-8");
    }
    const body = req.method === "POST" ? await readBody(req) : "";
    if (path === "webapi/logindata") {
      return send(res, 200, {
        schoolLogin: true,
        esiaLogin: true,
        esiaMainAuth: false,
        esiaButton: true,
        signatureLogin: false,
        enableSms: false,
        version: options.version ?? "5.43.62541",
        productName: "Сетевой Город. Образование",
      });
    }
    if (path === "webapi/auth/getdata" && req.method === "POST") {
      const lt = String(Math.floor(Math.random() * 1e9));
      const salt = String(Math.floor(Math.random() * 1e12));
      pending.set(lt, salt);
      return send(res, 200, { lt, ver: "1722", salt });
    }
    if (path === "webapi/login" && req.method === "POST") {
      const form = new URLSearchParams(body);
      if (faults.lockout) return send(res, 409, { message: `${LOCKOUT_TEXT} 02.12.2026 18:05` });
      const salt = pending.get(form.get("lt") ?? "");
      pending.delete(form.get("lt") ?? "");
      const proof = salt ? passwordProof(options.password, salt) : null;
      const ok =
        proof &&
        form.get("loginType") === "1" &&
        form.get("un") === options.login &&
        form.get("scid") === ix.schoolId &&
        form.get("pw2") === proof.pw2 &&
        form.get("pw") === proof.pw;
      if (!ok) return send(res, 409, { message: "Неправильный пароль или имя пользователя" });
      logins += 1;
      const at = randomBytes(24).toString("hex");
      sessions.add(at);
      res.setHeader("Set-Cookie", `NSSESSIONID=${randomBytes(8).toString("hex")}; path=/; HttpOnly`);
      return send(res, 200, {
        at,
        timeOut: 900000,
        entryPoint: "/angular/school/studentdiary/",
        requestData: { warnType: null },
        errorMessage: null,
        tokenType: "Bearer",
        accountInfo: {
          activeToken: null,
          secureActiveToken: null,
          currentOrganization: { id: Number(ix.schoolId), name: ds.manifest.school.name },
          user: { id: Number(netschoolId("user", options.login)), name: "Пользователь Д. Д." },
          organizations: [{ id: Number(ix.schoolId), name: ds.manifest.school.name }],
          loginTime: "2026-12-02T10:00:00.0000000",
          active: true,
          canLogin: true,
          userRoles: [{ role: { id: 1, name: role }, schoolId: Number(ix.schoolId), userId: -1 }],
        },
      });
    }
    const at = req.headers.at;
    if (typeof at !== "string" || !sessions.has(at)) return send(res, 401, { message: "Сеанс завершён" });
    if (path === "webapi/auth/logout" && req.method === "POST") {
      sessions.delete(at);
      logouts += 1;
      return send(res, 200, "");
    }
    if (faults.expireSession && faults.expireSession.next > 0) {
      faults.expireSession.next -= 1;
      sessions.delete(at);
      return send(res, 401, { message: "Сеанс завершён" });
    }
    if (faults.forbidden) return send(res, 403, { message: "Доступ запрещён" });
    if (path === "webapi/context") return send(res, 200, context());
    if (path === "webapi/student/diary/init") {
      return send(res, 200, {
        students: visible.map((p) => {
          const c = ix.classes.get(p.classId ?? "");
          return {
            studentId: Number(netschoolId("person", p.id)),
            nickName: p.name,
            className: c ? ix.className(c) : null,
            classId: c ? Number(netschoolId("class", c.id)) : 0,
            iupGrade: 0,
          };
        }),
        currentStudentId: visible[0] ? Number(netschoolId("person", visible[0].id)) : null,
        weekStart: naive(ix.year.start),
        yaClass: false,
        yaClassAuthUrl: null,
        newDiskToken: null,
        newDiskWasRequest: false,
        ttsuRl: null,
        externalUrl: null,
        weight: true,
        maxMark: 5,
        withLaAssigns: true,
      });
    }
    if (path === "webapi/grade/assignment/types")
      return send(
        res,
        200,
        SIM_TYPES.map(({ kind: _k, ...t }) => t),
      );
    if (path === "webapi/student/diary") {
      const pupil = visibleById.get(url.searchParams.get("studentId") ?? "");
      if (!pupil) return send(res, 403, { message: "Нет доступа к дневнику ученика" });
      if (url.searchParams.get("yearId") !== yearId)
        return send(res, 400, { message: "Неверный учебный год" });
      const from = (url.searchParams.get("weekStart") ?? "").slice(0, 10);
      const to = (url.searchParams.get("weekEnd") ?? "").slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to))
        return send(res, 400, { message: "Неверные даты" });
      return send(res, 200, ix.diary(pupil, from, to));
    }
    if (path === "webapi/reports/studentgrades") return send(res, 200, filters());
    if (path === "webapi/v2/reports/studentgrades/initfilters" && req.method === "POST") {
      let selected: string | undefined;
      try {
        const parsed = JSON.parse(body) as { selectedData?: { filterId: string; filterValue: string }[] };
        selected = parsed.selectedData?.find((f) => f.filterId === "TERMID")?.filterValue;
      } catch {
        return send(res, 400, { message: "Bad request" });
      }
      const sid = (
        JSON.parse(body) as { selectedData?: { filterId: string; filterValue: string }[] }
      ).selectedData?.find((f) => f.filterId === "SID")?.filterValue;
      const pupil = sid ? visibleById.get(sid) : undefined;
      if (sid && !pupil) return send(res, 403, { message: "Нет доступа" });
      const sources = filters(selected).filterSources as unknown[];
      if (pupil) sources.push({ filterId: "SGID", items: groupsOf(pupil), defaultValue: null });
      return send(res, 200, sources);
    }
    if (path === "webapi/reports/studenttotal") return send(res, 200, filters());
    const queued = (["studentgrades", "studenttotal"] as const).find(
      (r) => path === `webapi/${queuePath(r, version)}` && req.method === "POST",
    );
    if (queued) {
      if (faults.queueConflict) return send(res, 409, { message: "Conflict" });
      let selected: Map<string, string>;
      try {
        const parsed = JSON.parse(body) as { selectedData?: { filterId: string; filterValue: string }[] };
        selected = new Map((parsed.selectedData ?? []).map((f) => [f.filterId, String(f.filterValue)]));
      } catch {
        return send(res, 400, { message: "Bad request" });
      }
      if (!visibleById.has(selected.get("SID") ?? "")) return send(res, 403, { message: "Нет доступа" });
      taskSeq += 1;
      tasks.set(String(taskSeq), { report: queued, selected });
      return send(res, 200, { taskId: taskSeq, queueKey: `q-${taskSeq}` });
    }
    if (path.startsWith("webapi/files/")) {
      const html = files.get(path.slice("webapi/files/".length));
      if (html === undefined) return send(res, 404, { message: "Файл не найден" });
      return send(res, 200, html, "text/html; charset=utf-8");
    }
    return send(res, 404, { message: "Not found" });
  };

  const server = createServer((req, res) => {
    count += 1;
    const go = () =>
      handle(req, res).catch((e) => send(res, 500, { message: `simulator: ${(e as Error).message}` }));
    if (faults.latencyMs) setTimeout(go, faults.latencyMs);
    else void go();
  });
  server.on("upgrade", (req, socket, head) => {
    count += 1;
    if (!hub.upgrade(req, socket, head))
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    schoolId: ix.schoolId,
    setFaults(next) {
      faults = { ...next };
    },
    requests: () => count,
    requestsByPath: () => ({ ...byPath }),
    logins: () => logins,
    logouts: () => logouts,
    openSessions: () => sessions.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        hub.close();
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
