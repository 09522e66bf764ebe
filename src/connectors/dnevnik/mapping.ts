// Platform JSON → canonical records (src/model/records.ts). Every item is validated twice: against
// the platform shape (schemas.ts) and the canonical schema. An item that fails becomes a
// RejectedRecord with its origin and reason; the rest of the page goes on.
import { DateTime } from "luxon";
import type { z } from "zod";
import {
  type CalendarDay,
  type Lesson,
  type Mark,
  type Period,
  type PeriodMark,
  type Person,
  type Role,
  type SchoolClass,
  type StreamName,
  type StreamRecords,
  type Subject,
  streamSchemas,
  type Work,
  type WorkKind,
} from "../../model/records.ts";
import { BadPayloadError } from "../errors.ts";
import type { RejectedRecord } from "../types.ts";
import * as P from "./schemas.ts";
import { platformDate, platformInstant } from "./time.ts";

export interface Mapped<S extends StreamName> {
  records: StreamRecords[S][];
  rejected: RejectedRecord[];
}

/** Why one item could not be mapped; `field` is the dotted path to blame when there is one. */
class RecordProblem extends Error {
  constructor(
    reason: string,
    readonly field?: string,
  ) {
    super(reason);
  }
}

function shape<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  throw new RecordProblem(`platform shape: ${issue.message}`, field || undefined);
}

/** The body as a list; a body that is not one is a platform-level failure, not a record's. */
export function listOf(body: unknown, origin: string, key?: string): unknown[] {
  if (Array.isArray(body)) return body;
  if (key && body && typeof body === "object" && Array.isArray((body as Record<string, unknown>)[key])) {
    return (body as Record<string, unknown[]>)[key];
  }
  throw new BadPayloadError({ detail: `${origin}: expected a JSON list${key ? ` or {${key}: [...]}` : ""}` });
}

/** Maps each item; failures of the platform shape or of the canonical schema are rejected, not thrown. */
function mapEach<S extends StreamName>(
  stream: S,
  origin: string,
  items: readonly unknown[],
  map: (item: unknown) => StreamRecords[S] | StreamRecords[S][] | null,
): Mapped<S> {
  const out: Mapped<S> = { records: [], rejected: [] };
  const schema = streamSchemas[stream] as unknown as z.ZodType<StreamRecords[S]>;
  items.forEach((raw, i) => {
    const where = `${origin} [${i}]`;
    try {
      const mapped = map(raw);
      if (mapped === null) return;
      for (const record of Array.isArray(mapped) ? mapped : [mapped]) {
        const valid = schema.safeParse(record);
        if (valid.success) out.records.push(valid.data);
        else {
          const issue = valid.error.issues[0];
          out.rejected.push({
            stream,
            origin: where,
            field: issue.path.map(String).join(".") || undefined,
            reason: `canonical ${stream}: ${issue.message}`,
            raw,
          });
        }
      }
    } catch (e) {
      if (!(e instanceof RecordProblem)) throw e;
      out.rejected.push({ stream, origin: where, field: e.field, reason: e.message, raw });
    }
  });
  return out;
}

function need<T>(value: T | null | undefined, field: string, reason: string): T {
  if (value === null || value === undefined) throw new RecordProblem(reason, field);
  return value;
}

function fullName(parts: (string | null | undefined)[], field: string): string {
  const name = parts
    .map((p) => (p ?? "").trim())
    .filter((p) => p !== "")
    .join(" ");
  return need(name === "" ? null : name, field, "no name");
}

function dateOf(value: string, zone: string, field: string): string {
  return need(platformDate(value, zone), field, `unreadable date "${value}"`);
}

function instantOf(value: string, zone: string, field: string): string {
  return need(platformInstant(value, zone), field, `unreadable date-time "${value}"`);
}

const text = (s: string | null | undefined): string | undefined => {
  const t = s?.trim();
  return t ? t : undefined;
};

// ---------------------------------------------------------------- persons

/** Staff role from the free-text position (`NameTeacherPosition`); "teacher" when nothing else fits. */
export function roleOfPosition(position: string | null | undefined): Role {
  const p = (position ?? "").toLowerCase();
  if (/замест/.test(p)) return "deputy";
  if (/директор/.test(p)) return "director";
  if (/координатор|ответственн/.test(p)) return "coordinator";
  if (/администратор/.test(p)) return "admin";
  return "teacher";
}

export function mapStaff(body: unknown, origin: string): Mapped<"persons"> {
  return mapEach("persons", origin, listOf(body, origin), (raw) => {
    const t = shape(P.teacherSchema, raw);
    return {
      id: t.IdStr,
      role: roleOfPosition(t.NameTeacherPosition),
      name: fullName([t.LastName, t.FirstName, t.MiddleName], "LastName"),
    } satisfies Person;
  });
}

export function mapStudents(body: unknown, origin: string, classId: string): Mapped<"persons"> {
  return mapEach("persons", origin, listOf(body, origin), (raw) => {
    const p = shape(P.personSchema, raw);
    return {
      id: p.id_str,
      role: "student",
      name: fullName([p.lastName, p.firstName, p.middleName], "lastName"),
      classId,
    } satisfies Person;
  });
}

// ---------------------------------------------------------------- classes, subjects

/** Class groups (not subgroups) of a school, leniently: the connector iterates over them. */
export function classGroupIds(body: unknown, origin: string): string[] {
  const ids: string[] = [];
  for (const raw of listOf(body, origin)) {
    const g = P.eduGroupSchema.safeParse(raw);
    if (g.success && g.data.type === "Group") ids.push(g.data.id_str);
  }
  return ids.sort();
}

export function mapClasses(
  body: unknown,
  origin: string,
  classTeachers: ReadonlyMap<string, string | undefined>,
): Mapped<"classes"> {
  return mapEach("classes", origin, listOf(body, origin), (raw) => {
    const g = shape(P.eduGroupSchema, raw);
    if (g.type !== "Group") return null; // subgroups are not classes
    // "5А", "10 Б", "11-В": the grade is `parallel` (or the leading number), the rest the letter.
    const name = g.name.trim();
    const m = /^(\d{1,2})\s*-?\s*(.*)$/.exec(name);
    const grade = g.parallel ?? (m ? Number(m[1]) : undefined);
    const prefix = g.parallel !== null && g.parallel !== undefined ? String(g.parallel) : m?.[1];
    const letter =
      prefix && name.startsWith(prefix) ? name.slice(prefix.length).replace(/^\s*-?\s*/, "") : name;
    return {
      id: g.id_str,
      grade: need(grade, "parallel", "no grade (parallel) and none in the name"),
      letter: need(letter === "" ? null : letter, "name", `no class letter in "${g.name}"`),
      classTeacherId: classTeachers.get(g.id_str),
    } satisfies SchoolClass;
  });
}

/** The pupils of a class, leniently: the connector reads attendance per pupil (persons stream reports bad ones). */
export function pupilIds(body: unknown, origin: string): string[] {
  const ids: string[] = [];
  for (const raw of listOf(body, origin)) {
    const p = P.personSchema.safeParse(raw);
    if (p.success) ids.push(p.data.id_str);
  }
  return [...new Set(ids)].sort();
}

export function classTeacherId(body: unknown): string | undefined {
  const p = P.personSchema.safeParse(body);
  return p.success ? p.data.id_str : undefined;
}

export function mapSubjects(body: unknown, origin: string): Mapped<"subjects"> {
  return mapEach("subjects", origin, listOf(body, origin), (raw) => {
    const s = shape(P.subjectSchema, raw);
    return { id: s.id_str, name: s.name.trim() } satisfies Subject;
  });
}

// ---------------------------------------------------------------- periods, calendar

const PERIOD_KINDS: Record<string, Period["kind"]> = {
  quarter: "quarter",
  halfyear: "semester",
  semester: "semester",
  trimester: "trimester",
  year: "year",
};

function periodGroupOf(body: unknown, origin: string): z.infer<typeof P.reportingPeriodGroupSchema> {
  const r = P.reportingPeriodGroupSchema.safeParse(body);
  if (!r.success) throw new BadPayloadError({ detail: `${origin}: not a reporting-period group` });
  return r.data;
}

export function mapPeriods(body: unknown, origin: string, zone: string): Mapped<"periods"> {
  const group = periodGroupOf(body, origin);
  return mapEach("periods", `${origin} reportingPeriods`, group.reportingPeriods, (raw) => {
    const p = shape(P.reportingPeriodSchema, raw);
    const kind = need(PERIOD_KINDS[p.type.toLowerCase()], "type", `unknown period type "${p.type}"`);
    return {
      id: p.id_str,
      kind,
      // [I] the platform's `number` is taken as 1-based, as the journal shows periods.
      number: p.number,
      start: dateOf(p.start, zone, "start"),
      end: dateOf(p.finish, zone, "finish"),
    } satisfies Period;
  });
}

/** Holidays of the reporting-period group → calendar overrides, one per date. */
export function mapHolidays(body: unknown, origin: string, zone: string): Mapped<"calendar"> {
  const group = periodGroupOf(body, origin);
  return mapEach("calendar", `${origin} holidays`, group.holidays ?? [], (raw) => {
    const h = shape(P.holidaySchema, raw);
    const first = DateTime.fromISO(dateOf(h.dateStart, zone, "dateStart"), { zone: "UTC" });
    const last = DateTime.fromISO(dateOf(h.dateFinish, zone, "dateFinish"), { zone: "UTC" });
    if (last < first) throw new RecordProblem("holiday ends before it starts", "dateFinish");
    if (last.diff(first, "days").days > 120)
      throw new RecordProblem("holiday longer than 120 days", "dateFinish");
    // School breaks are «каникулы»; anything else the school marks off counts as a holiday.
    const kind: CalendarDay["kind"] = /каникул/i.test(`${h.name ?? ""} ${h.description ?? ""}`)
      ? "vacation"
      : "holiday";
    const days: CalendarDay[] = [];
    for (let d = first; d <= last; d = d.plus({ days: 1 })) days.push({ date: d.toISODate()!, kind });
    return days;
  });
}

// ---------------------------------------------------------------- lessons

/** Bell times of a class by lesson number (and weekday when the timetable says), on a lesson's date. */
export interface BellSchedule {
  timesOf(number: number, isoWeekday: number, date: string): { start: string; end: string } | null;
}

const DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const WITH_OFFSET = /^(\d{4})-\d{2}-\d{2}[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/;

function clock(value: string): string | null {
  const m = /(\d{1,2}):(\d{2})/.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  return h > 23 ? null : `${String(h).padStart(2, "0")}:${m[2]}`;
}

/**
 * The school's wall clock of a bell time on `date`. Bare times and naive date-times are wall time already;
 * a value with an offset (the working client reads `…Z`) is an instant: converted to the school zone at
 * its own date, or at the lesson's date when its date is a placeholder (`0001-01-01`).
 */
function bellClock(value: string, zone: string, date: string): string | null {
  const m = WITH_OFFSET.exec(value.trim());
  if (!m) return clock(value);
  const at = Number(m[1]) >= 1970 ? value.trim().replace(" ", "T") : `${date}T${m[2]}${m[3]}`;
  const dt = DateTime.fromISO(at, { setZone: true });
  return dt.isValid ? dt.setZone(zone).toFormat("HH:mm") : null;
}

/** Weekday (ISO 1–7) of a DaysOfWeek entry: a name, or .NET's DayOfWeek number (0 = Sunday). */
function isoWeekday(day: string | number): number | null {
  if (typeof day === "number") return day === 0 ? 7 : day >= 1 && day <= 6 ? day : null;
  const i = DAY_NAMES.indexOf(day.toLowerCase());
  return i < 0 ? null : i + 1;
}

export function bellSchedule(body: unknown, zone: string): BellSchedule {
  const timetables = Array.isArray(body) ? body : [body];
  const items: { number: number; days: Set<number> | null; start: string; end: string }[] = [];
  for (const t of timetables) {
    const parsed = P.timetableSchema.safeParse(t);
    if (!parsed.success) continue;
    for (const item of parsed.data.Items ?? []) {
      if (!clock(item.Start) || !clock(item.Finish)) continue;
      const days = item.DaysOfWeek?.length
        ? new Set(item.DaysOfWeek.map(isoWeekday).filter((d): d is number => d !== null))
        : null;
      items.push({ number: item.LessonNumber, days, start: item.Start, end: item.Finish });
    }
  }
  return {
    timesOf(number, weekday, date) {
      const same = items.filter((i) => i.number === number);
      const hit = same.find((i) => i.days?.has(weekday)) ?? same.find((i) => i.days === null) ?? same[0];
      if (!hit) return null;
      const start = bellClock(hit.start, zone, date);
      const end = bellClock(hit.end, zone, date);
      return start && end ? { start, end } : null;
    },
  };
}

function worksOf(
  lesson: P.PlatformLesson,
): { raw: unknown; work: P.PlatformWork | null; problem?: string }[] {
  return (lesson.works ?? []).map((raw) => {
    const w = P.workSchema.safeParse(raw);
    return w.success ? { raw, work: w.data } : { raw, work: null, problem: w.error.issues[0].message };
  });
}

const isHomework = (w: P.PlatformWork) => (w.type ?? "").toLowerCase() === "homework";
/** A `PeriodMark` work carries a period (final) mark: not an ordinary work; its marks come with final-marks. */
const isPeriodMark = (w: P.PlatformWork) => (w.type ?? "").toLowerCase() === "periodmark";

export interface LessonContext {
  zone: string;
  groupId: string;
  bells: BellSchedule;
}

export function mapLessons(body: unknown, origin: string, ctx: LessonContext): Mapped<"lessons"> {
  return mapEach("lessons", origin, listOf(body, origin), (raw) => {
    const l = shape(P.lessonSchema, raw);
    const date = dateOf(l.date, ctx.zone, "date");
    const weekday = DateTime.fromISO(date, { zone: "UTC" }).weekday;
    const times = need(
      ctx.bells.timesOf(l.number, weekday, date),
      "number",
      `no bell time for lesson number ${l.number}`,
    );
    const teacherId = need(l.teachers_str?.[0], "teachers_str", "lesson has no teacher");
    const homeworks = worksOf(l)
      .map((w) => w.work)
      .filter((w): w is P.PlatformWork => w !== null && isHomework(w));
    const homework = homeworks
      .map((w) => text(w.text))
      .filter((t): t is string => t !== undefined)
      .join("\n");
    const sent = homeworks
      .map((w) => (w.sentDate ? instantOf(w.sentDate, ctx.zone, "works.sentDate") : undefined))
      .filter((t): t is string => t !== undefined)
      .sort((a, b) => Date.parse(a) - Date.parse(b));
    return {
      id: l.id_str,
      classId: ctx.groupId,
      subjectId: l.subject.id_str,
      teacherId,
      date,
      number: l.number,
      start: times.start,
      end: times.end,
      topic: text(l.title),
      homework: homework === "" ? undefined : homework,
      // Work.sentDate is when the homework was published: the only entry time the API gives (§5).
      homeworkRecordedAt: homework === "" ? undefined : sent[0],
    } satisfies Lesson;
  });
}

// ---------------------------------------------------------------- works

export interface WorkTypeInfo {
  kind: WorkKind;
  weight?: number;
}

/** Keyword table for Russian work-type titles; order matters («аттестация» contains «тест»). */
const WORK_KIND_KEYWORDS: [RegExp, WorkKind][] = [
  [/промежуточн/i, "intermediate"],
  [/итогов/i, "final"],
  [/всеросс|федеральн|(^|[^а-яё])впр([^а-яё]|$)/i, "federal"],
  [/региональн/i, "regional"],
  [/контрольн/i, "control"],
  [/лаборатор/i, "lab"],
  [/практическ/i, "practical"],
  [/тест/i, "test"],
  [/письменн|самостоятельн|диктант|сочинени|изложени|проверочн/i, "written"],
  [/ответ|устн|на уроке/i, "oral"],
];

export function workKindOfTitle(title: string, overrides: Readonly<Record<string, WorkKind>> = {}): WorkKind {
  const exact = overrides[title];
  if (exact) return exact;
  for (const [re, kind] of WORK_KIND_KEYWORDS) if (re.test(title)) return kind;
  return "oral"; // [I] the platform's default type is the answer in class
}

export function workTypeIndex(
  body: unknown,
  origin: string,
  overrides: Readonly<Record<string, WorkKind>> = {},
): Map<string, WorkTypeInfo> {
  const index = new Map<string, WorkTypeInfo>();
  for (const raw of listOf(body, origin)) {
    const t = P.workTypeSchema.safeParse(raw);
    if (!t.success) continue;
    const id = t.data.id_str ?? (t.data.id === null || t.data.id === undefined ? null : String(t.data.id));
    if (id === null) continue;
    const weight = t.data.weight && t.data.weight > 0 ? t.data.weight : undefined;
    const kind = workKindOfTitle(t.data.title ?? t.data.abbr ?? t.data.kind ?? "", overrides);
    index.set(id, { kind, weight });
  }
  return index;
}

export interface WorkContext {
  zone: string;
  groupId: string;
  workTypes: ReadonlyMap<string, WorkTypeInfo>;
}

/** Gradable works embedded in lessons (homework is a lesson field; a period mark is no work). */
export function mapWorks(body: unknown, origin: string, ctx: WorkContext): Mapped<"works"> {
  const out: Mapped<"works"> = { records: [], rejected: [] };
  listOf(body, origin).forEach((rawLesson, i) => {
    const lesson = P.lessonSchema.safeParse(rawLesson);
    if (!lesson.success) return; // the lessons stream reports a broken lesson
    const l = lesson.data;
    const items = worksOf(l).filter((w) => w.work === null || !(isHomework(w.work) || isPeriodMark(w.work)));
    const part = mapEach("works", `${origin} [${i}].works`, items, (item) => {
      const { work: w, problem } = item as ReturnType<typeof worksOf>[number];
      if (!w) throw new RecordProblem(`platform shape: ${problem}`);
      const type = need(w.workType, "workType", "work has no work type");
      const info = need(ctx.workTypes.get(String(type)), "workType", `unknown work type ${String(type)}`);
      return {
        id: w.id_str,
        lessonId: w.lesson_str ?? l.id_str,
        classId: w.eduGroup_str ?? ctx.groupId,
        subjectId: l.subject.id_str,
        kind: info.kind,
        date: w.targetDate
          ? dateOf(w.targetDate, ctx.zone, "targetDate")
          : dateOf(l.date, ctx.zone, "lesson.date"),
      } satisfies Work;
    });
    // keep the raw work (not the wrapper) in rejections
    for (const r of part.rejected) r.raw = (r.raw as { raw: unknown }).raw;
    out.records.push(...part.records);
    out.rejected.push(...part.rejected);
  });
  return out;
}

// ---------------------------------------------------------------- marks

/** What marks need from lessons: the subject and date of each lesson, the lesson of each work. */
export class LessonIndex {
  readonly subjectOfLesson = new Map<string, string>();
  /** The lesson's `date` as the platform wrote it: a Mark.date equal to it is no entry time. */
  readonly dateOfLesson = new Map<string, string>();
  readonly lessonOfWork = new Map<string, string>();
  /** `PeriodMark` works: their marks are period marks (final-marks), not marks of ordinary works. */
  readonly periodMarkWorks = new Set<string>();

  add(body: unknown): void {
    const items = Array.isArray(body) ? body : [body];
    for (const raw of items) {
      const l = P.lessonSchema.safeParse(raw);
      if (!l.success) continue;
      this.subjectOfLesson.set(l.data.id_str, l.data.subject.id_str);
      this.dateOfLesson.set(l.data.id_str, l.data.date);
      for (const { work } of worksOf(l.data)) {
        if (!work) continue;
        this.lessonOfWork.set(work.id_str, l.data.id_str);
        if (isPeriodMark(work)) this.periodMarkWorks.add(work.id_str);
      }
    }
  }

  lessonOf(lessonId: string | null | undefined, workId: string | null | undefined): string | undefined {
    return lessonId ?? (workId ? this.lessonOfWork.get(workId) : undefined);
  }

  subjectOf(lessonId: string | null | undefined, workId: string | null | undefined): string | undefined {
    if (lessonId) return this.subjectOfLesson.get(lessonId);
    const viaWork = workId ? this.lessonOfWork.get(workId) : undefined;
    return viaWork ? this.subjectOfLesson.get(viaWork) : undefined;
  }
}

const MARK_CODES: Record<string, Mark["value"]> = { "н/а": "н/а", на: "н/а", осв: "осв", зч: "зч", нз: "нз" };

/** A journal value: 1–5 (a `+`/`-` suffix is dropped), or a code (н/а, осв, зч, нз). */
export function markValue(value: string | null | undefined, textValue?: string | null): Mark["value"] | null {
  for (const candidate of [value, textValue]) {
    const v = (candidate ?? "").trim().toLowerCase().replace(/\./g, "");
    if (/^[1-5][+-]?$/.test(v)) return v[0] as Mark["value"];
    if (MARK_CODES[v]) return MARK_CODES[v];
  }
  return null;
}

/**
 * Mark systems (`marks/values` keys) that are not the 5-point journal: a "5" in them is no 5-point mark
 * (alexcupertme/dnevnikru_bot TMarkTypes). `mark5`, `markna`, `markdismiss`, `test` and unknown keys are read.
 */
const OTHER_MARK_SYSTEMS = new Set([
  "mark6",
  "mark7",
  "mark10",
  "mark12",
  "mark100",
  "markabcdf",
  "markoral6band",
]);

function fivePointValue(
  type: string | null | undefined,
  value: string | null | undefined,
  textValue: string | null | undefined,
  field: string,
): Mark["value"] {
  if (type && OTHER_MARK_SYSTEMS.has(type.toLowerCase())) {
    throw new RecordProblem(
      `mark system "${type}" is not the 5-point scale`,
      field.replace(/value$/, "type"),
    );
  }
  return need(markValue(value, textValue), field, `unreadable mark value "${value ?? ""}"`);
}

/** A date alone, or midnight without a fraction: it names a day at most, which may be the lesson's. */
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}(?:[T ]00:00(?::00)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * When the mark was entered, from Mark.date («дата выставления», fractional seconds: real-shapes.md D1).
 * Only a value with a time of day that is not the lesson's own date proves it; a bare day does not.
 */
function markEntryTime(value: string | null | undefined, lessonDate: string | undefined, zone: string) {
  if (!value || DAY_ONLY.test(value)) return undefined;
  const at = instantOf(value, zone, "date");
  if (lessonDate !== undefined && platformInstant(lessonDate, zone) === at) return undefined;
  return at;
}

export interface MarkContext {
  zone: string;
  lessons: LessonIndex;
  workTypes: ReadonlyMap<string, WorkTypeInfo>;
}

export function markRefs(body: unknown, origin: string): { lessonIds: Set<string>; workIds: Set<string> } {
  const lessonIds = new Set<string>();
  const workIds = new Set<string>();
  for (const raw of listOf(body, origin)) {
    const m = P.markSchema.safeParse(raw);
    if (!m.success) continue;
    if (m.data.lesson_str) lessonIds.add(m.data.lesson_str);
    else if (m.data.work_str) workIds.add(m.data.work_str);
  }
  return { lessonIds, workIds };
}

export function mapMarks(body: unknown, origin: string, ctx: MarkContext): Mapped<"marks"> {
  return mapEach("marks", origin, listOf(body, origin), (raw) => {
    const m = shape(P.markSchema, raw);
    if (m.work_str && ctx.lessons.periodMarkWorks.has(m.work_str)) return null; // read with final-marks
    const value = fivePointValue(m.type, m.value, m.textValue, "value");
    const subjectId = need(
      ctx.lessons.subjectOf(m.lesson_str, m.work_str),
      m.lesson_str ? "lesson_str" : "work_str",
      "subject unknown: the mark's lesson or work is not among the lessons read",
    );
    const type = m.workType === null || m.workType === undefined ? undefined : String(m.workType);
    return {
      id: m.id_str,
      studentId: m.person_str,
      subjectId,
      workId: m.work_str ?? undefined,
      lessonId: m.lesson_str ?? undefined,
      value,
      weight: type ? ctx.workTypes.get(type)?.weight : undefined,
      recordedAt: markEntryTime(
        m.date,
        ctx.lessons.dateOfLesson.get(ctx.lessons.lessonOf(m.lesson_str, m.work_str) ?? ""),
        ctx.zone,
      ),
    } satisfies Mark;
  });
}

// ---------------------------------------------------------------- attendance

// `Pass` is the everyday absence code (the working client shows it as «Отсутствовал» and counts it with
// `Ill`): a plain absence whose reason the API does not give, never "excused" (real-shapes.md D5).
const ATTENDANCE: Record<string, StreamRecords["attendance"]["status"]> = {
  attend: "present",
  absent: "absent",
  pass: "absent",
  ill: "ill",
  late: "late",
};

/** Attendance of a class window, or of one pupil (`persons/{p}/lesson-log-entries` → `{logEntries}`). */
export function mapLogEntries(
  body: unknown,
  origin: string,
  zone: string,
  pupilId?: string,
): Mapped<"attendance"> {
  return mapEach("attendance", origin, listOf(body, origin, "logEntries"), (raw) => {
    const e = shape(P.logEntrySchema, raw);
    const status = need(
      ATTENDANCE[e.status.toLowerCase()],
      "status",
      `unknown attendance status "${e.status}"`,
    );
    return {
      studentId: need(e.person_str ?? pupilId, "person_str", "log entry names no pupil"),
      lessonId: e.lesson_str,
      status,
      recordedAt: e.createdDate ? instantOf(e.createdDate, zone, "createdDate") : undefined,
    };
  });
}

// ---------------------------------------------------------------- period marks

export function mapFinalMarks(body: unknown, origin: string): Mapped<"periodMarks"> {
  if (!Array.isArray(body)) {
    // S5 models this endpoint as {marks, works, subjects, workTypes}; without a period per mark
    // it cannot be mapped. Kept whole for review.
    return {
      records: [],
      rejected: [
        { stream: "periodMarks", origin, reason: "unsupported final-marks shape (not a list)", raw: body },
      ],
    };
  }
  const out: Mapped<"periodMarks"> = { records: [], rejected: [] };
  body.forEach((rawEntry, i) => {
    const entry = P.finalMarksEntrySchema.safeParse(rawEntry);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      out.rejected.push({
        stream: "periodMarks",
        origin: `${origin} [${i}]`,
        field: issue.path.map(String).join(".") || undefined,
        reason: `platform shape: ${issue.message}`,
        raw: rawEntry,
      });
      return;
    }
    const e = entry.data;
    const part = mapEach(
      "periodMarks",
      `${origin} [${i}].per-subject-final-marks`,
      e["per-subject-final-marks"],
      (raw) => {
        const s = shape(P.perSubjectFinalMarkSchema, raw);
        const mark = s["final-mark"];
        if (!mark) return null; // no period mark yet
        const periodId = need(
          e.reportingPeriod_str,
          "reportingPeriod_str",
          "final mark without a reporting period",
        );
        return {
          studentId: e.person_str,
          subjectId: s.subject_str,
          periodId,
          value: fivePointValue(mark.type, mark.value, mark.textValue, "final-mark.value"),
        } satisfies PeriodMark;
      },
    );
    out.records.push(...part.records);
    out.rejected.push(...part.rejected);
  });
  return out;
}
