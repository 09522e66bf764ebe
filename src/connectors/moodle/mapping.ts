// Moodle shapes → canonical records: pure functions, no I/O. How courses, groups and grade items
// stand for classes, subjects, lessons, works and periods is the school's convention (config.ts).
//
// Moodle keeps one grade per pupil per grade item. A second mark of a pupil in one lesson or for one
// work, or a code (н/а) an assignment's numeric grade cannot hold, goes into a further manual item
// (`lesson:<date>#<n>~<k>`, `assign:<id>~<k>`), as teachers add a second column: nothing is lost.
//
// Grades are read by their label (`gradeformatted`): the user report puts the outcome id in `scaleid`
// and a scale item's position in `graderaw`, so only the label tells «н/а» from mark 4.
//
// Ids: idnumber of courses, groups and users when the account may see them (config `idSource`,
// default "idnumber"; the sync refuses when Moodle hides them rather than take ids that change once
// rights are granted), or Moodle's own numbers and names (`idSource: "moodle"`).
//
// What Moodle cannot carry (and so this connector never emits):
// - calendar, activity, outages: Moodle WS has no holidays or per-day logins;
// - periods: none in Moodle; the school configures its reporting periods (`periods` in the source
//   config), and without them period marks are quarantined;
// - persons other than enrolled pupils and teachers (parents, deputies, director), childIds, classTeacherId;
// - lesson substituteTeacherId, topicRecordedAt, topicAuthorId, homework, homeworkRecordedAt (sessions
//   have no substitute, and only a last-change time for the whole session);
// - attendance.recordedAt (the plugin keeps per-pupil times but does not return them);
// - work.lessonId, work.resultsAnnouncedOn; mark.weight (grade weights are aggregation coefficients);
// - mark.lessonId of marks for a work (assignment grades and `assign:` items name the work only);
// - without the Attendance plugin, mark.lessonId of `lesson:<date>#<n>` items: there is no lesson
//   record to name (a lesson made up from the item would have no topic or attendance and raise false
//   findings), so such marks keep their recordedAt and the lesson's day from the item name (mark.lessonDate);
// - mark.authorId of gradebook (non-assignment) grades.
import { DateTime } from "luxon";
import type { Mark, SchoolClass, Subject, WorkKind } from "../../model/records.ts";
import {
  type CourseMapping,
  DEFAULT_COURSE_ID_PATTERN,
  DEFAULT_COURSE_NAME_PATTERN,
  type MoodleConfig,
} from "./config.ts";
import type { EnrolledUser, MoodleCourse, MoodleGroup } from "./ws-types.ts";

export type MarkValue = Mark["value"];
export type PersonRole = "student" | "teacher";

export interface ClassRef {
  id: string;
  grade: number;
  letter: string;
}

/** What a course stands for: one class in one subject, or one subject taught to class groups. */
export type CourseMeaning =
  | { kind: "class-subject"; classRef: ClassRef; subject: Subject }
  | { kind: "subject"; subject: Subject };

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string; field?: string };

/** The config's patterns compiled once. */
export interface CompiledMapping {
  mode: CourseMapping;
  courseId: RegExp;
  courseName: RegExp;
  className: RegExp;
  lessonItem: RegExp;
  workItem: RegExp;
  periodItem: RegExp;
  /** Ids of the configured reporting periods; undefined when the config names none. */
  periodIds?: Set<string>;
  workKinds: { pattern: RegExp; kind: WorkKind }[];
  defaultWorkKind: WorkKind;
  statuses: Map<string, MoodleConfig["attendanceStatuses"][string]>;
  studentRoles: Set<string>;
  teacherRoles: Set<string>;
  leadTeacherRoles: Set<string>;
  timezone: string;
  lessonNumbers?: Record<string, number>;
  /** Where canonical ids of courses, groups and users come from (config `idSource`). */
  idSource: MoodleConfig["idSource"];
}

export function compileMapping(config: MoodleConfig): CompiledMapping {
  const mode = config.courseMapping;
  return {
    mode,
    courseId: new RegExp(config.courseIdPattern ?? DEFAULT_COURSE_ID_PATTERN[mode], "u"),
    courseName: new RegExp(config.courseNamePattern ?? DEFAULT_COURSE_NAME_PATTERN[mode], "iu"),
    className: new RegExp(config.classNamePattern, "iu"),
    lessonItem: new RegExp(config.lessonItemPattern, "u"),
    workItem: new RegExp(config.workItemPattern, "u"),
    periodItem: new RegExp(config.periodItemPattern, "u"),
    periodIds: config.periods ? new Set(config.periods.map((p) => p.id)) : undefined,
    workKinds: config.workKinds.map((w) => ({ pattern: new RegExp(w.pattern, "iu"), kind: w.kind })),
    defaultWorkKind: config.defaultWorkKind,
    statuses: new Map(Object.entries(config.attendanceStatuses).map(([k, v]) => [k.toUpperCase(), v])),
    studentRoles: new Set(config.studentRoles),
    teacherRoles: new Set(config.teacherRoles),
    leadTeacherRoles: new Set(config.leadTeacherRoles),
    timezone: config.school.timezone,
    lessonNumbers: config.lessonNumbers,
    idSource: config.idSource,
  };
}

/** Canonical ids of Moodle objects without an idnumber (sessions, assignments, grades). */
export const moodleIds = {
  user: (id: number) => `moodle-user-${id}`,
  course: (id: number) => `moodle-course-${id}`,
  session: (id: number) => `moodle-session-${id}`,
  assignment: (id: number, classId?: string) =>
    classId ? `moodle-assign-${id}@${classId}` : `moodle-assign-${id}`,
  assignMark: (assignmentId: number, userId: number) => `moodle-assign-${assignmentId}-user-${userId}`,
  gradeMark: (itemId: number, userId: number) => `moodle-grade-${itemId}-user-${userId}`,
};

const NO_SPACE = (s: string) => s.trim().replace(/\s+/g, "_");

function normaliseLetter(letter: string): string {
  return letter.trim().toUpperCase();
}

function classFromMatch(m: RegExpExecArray, fallbackId?: string): Outcome<ClassRef> {
  const grade = Number(m.groups?.grade);
  const letter = m.groups?.letter;
  if (!Number.isInteger(grade) || grade < 1 || grade > 11)
    return { ok: false, reason: `grade "${m.groups?.grade}" is not 1–11` };
  if (!letter) return { ok: false, reason: "no class letter in the name" };
  const id = fallbackId ?? `${grade}${normaliseLetter(letter)}`;
  return { ok: true, value: { id, grade, letter: normaliseLetter(letter) } };
}

/** Reads a course as class+subject or subject, per the configured mapping. */
export function mapCourse(course: MoodleCourse, m: CompiledMapping): Outcome<CourseMeaning> {
  // idSource "moodle": ids never depend on what the account may see (idnumber needs course:update).
  const idMatch = course.idnumber && m.idSource === "idnumber" ? m.courseId.exec(course.idnumber) : null;
  const nameMatch = m.courseName.exec(course.fullname.trim());
  if (!nameMatch?.groups?.subject) {
    return { ok: false, field: "fullname", reason: `course name does not match ${m.courseName.source}` };
  }
  const subjectName = nameMatch.groups.subject.trim();
  const subject: Subject = {
    id: idMatch?.groups?.subjectId ?? `subject:${NO_SPACE(subjectName)}`,
    name: subjectName,
  };
  if (m.mode === "groups-as-classes") return { ok: true, value: { kind: "subject", subject } };
  const classRef = classFromMatch(nameMatch, idMatch?.groups?.classId);
  if (!classRef.ok) return { ok: false, field: "fullname", reason: classRef.reason };
  return { ok: true, value: { kind: "class-subject", classRef: classRef.value, subject } };
}

/** A group that is a class (groups-as-classes), or null for other groups (subgroups, electives). */
export function mapClassGroup(group: MoodleGroup, m: CompiledMapping): ClassRef | null {
  const match = m.className.exec(group.name.trim());
  if (!match) return null;
  const c = classFromMatch(match, (m.idSource === "idnumber" && group.idnumber) || undefined);
  return c.ok ? c.value : null;
}

export function toSchoolClass(c: ClassRef): SchoolClass {
  return { id: c.id, grade: c.grade, letter: c.letter };
}

export function personIdOf(
  user: { id: number; idnumber: string },
  idSource: MoodleConfig["idSource"] = "idnumber",
): string {
  return idSource === "idnumber" && user.idnumber.trim() !== "" && !/\s/.test(user.idnumber.trim())
    ? user.idnumber.trim()
    : moodleIds.user(user.id);
}

/** Student wins over teacher when a pupil also holds a teacher role somewhere. */
export function personRoleOf(user: EnrolledUser, m: CompiledMapping): PersonRole | null {
  const roles = user.roles.map((r) => r.shortname);
  if (roles.some((r) => m.studentRoles.has(r))) return "student";
  if (roles.some((r) => m.teacherRoles.has(r))) return "teacher";
  return null;
}

export function isLeadTeacher(user: EnrolledUser, m: CompiledMapping): boolean {
  return user.roles.some((r) => m.leadTeacherRoles.has(r.shortname));
}

/** Unix seconds → ISO instant with the school's offset (`2026-09-01T10:15:00+03:00`). */
export function unixToInstant(ts: number, timezone: string): string {
  return DateTime.fromSeconds(ts, { zone: timezone }).toISO({ suppressMilliseconds: true })!;
}

export function unixToDate(ts: number, timezone: string): string {
  return DateTime.fromSeconds(ts, { zone: timezone }).toISODate()!;
}

export function unixToClock(ts: number, timezone: string): string {
  return DateTime.fromSeconds(ts, { zone: timezone }).toFormat("HH:mm");
}

export function workKindOf(name: string, m: CompiledMapping): WorkKind {
  const trimmed = name.trim();
  return m.workKinds.find((w) => w.pattern.test(trimmed))?.kind ?? m.defaultWorkKind;
}

const CODES: Record<string, MarkValue> = {
  "н/а": "н/а",
  на: "н/а",
  осв: "осв",
  "осв.": "осв",
  зч: "зч",
  зач: "зч",
  нз: "нз",
  незач: "нз",
};

/** A numeric grade → mark 1–5; other values (percentages, 4.5) are not journal marks. */
export function markFromNumber(raw: number): Outcome<MarkValue> {
  if (Number.isInteger(raw) && raw >= 1 && raw <= 5) return { ok: true, value: raw };
  return { ok: false, reason: `grade ${raw} is not a mark 1–5` };
}

/** A grade as text: assignment grades ("4.00000"), scale items ("н/а", "5"). */
export function markFromText(text: string): Outcome<MarkValue> {
  return (
    markFromLabel(text) ?? {
      ok: false,
      reason: `grade "${text.slice(0, 20)}" is neither a mark 1–5 nor a code н/а, осв, зч, нз`,
    }
  );
}

/**
 * A displayed grade (`gradeformatted`, HTML stripped): a code, or a number with either decimal
 * separator ("4,00" from a Russian language pack, "4.00"); undefined when the label says neither
 * ("-", a percentage, a letter), so the caller may look elsewhere.
 */
export function markFromLabel(label: string): Outcome<MarkValue> | undefined {
  const t = plainText(label).toLowerCase();
  if (t in CODES) return { ok: true, value: CODES[t] };
  if (/^-?\d+([.,]\d+)?$/.test(t)) return markFromNumber(Number(t.replace(",", ".")));
  return undefined;
}

/** A `rangeformatted` of numbers ("1&ndash;5", "0,00–100,00"): the item is graded by value, not on a scale. */
export function isValueRange(rangeformatted: string | null | undefined): boolean {
  if (!rangeformatted) return false;
  return /^-?\d+(?:[.,]\d+)?\s*[–-]\s*-?\d+(?:[.,]\d+)?$/.test(plainText(rangeformatted));
}

/** Session descriptions are HTML; a topic is plain text. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&ndash;/g, "–")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

/** Group ids that an activity's availability JSON restricts it to (any depth). */
export function groupsInAvailability(availability: string | null | undefined): number[] {
  if (!availability) return [];
  let tree: unknown;
  try {
    tree = JSON.parse(availability);
  } catch {
    return [];
  }
  const out: number[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const n = node as { type?: unknown; id?: unknown; c?: unknown };
    if (n.type === "group" && typeof n.id === "number") out.push(n.id);
    if (Array.isArray(n.c)) for (const child of n.c) walk(child);
  };
  walk(tree);
  return out;
}

/** The most frequent value, ties broken by the smallest; undefined for none. */
export function mostFrequent(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
