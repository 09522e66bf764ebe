// Loaders of one school's live journal for the report builders: one query per table, always scoped
// by school_id and `deleted_at IS NULL` (the movement and cancelled-lesson loaders read removed rows
// on purpose, as evidence of who left and what was dropped).
import type { Db, SqlParam } from "../store/db.ts";
import { reportBuilderMessages as m } from "./builders/messages.ru.ts";

/** A parameter the user can fix: unknown period, class, student or a bad month. */
export class ReportParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportParamsError";
  }
}

export interface DateRange {
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/** Which students a loader keeps: one class, one student, or the whole school. */
export interface Scope {
  classId?: string;
  studentId?: string;
}

export interface SchoolInfo {
  id: string;
  name: string;
  timezone: string;
  workweek: 5 | 6;
}

export interface PeriodInfo {
  id: string;
  kind: string;
  number: number;
  start: string;
  end: string;
}

export interface ClassInfo {
  id: string;
  grade: number;
  letter: string;
  classTeacherId: string | null;
  /** «5А». */
  name: string;
}

export interface PersonInfo {
  id: string;
  role: string;
  name: string;
  classId: string | null;
  childIds: string[];
}

export interface SubjectInfo {
  id: string;
  name: string;
}

export interface LessonInfo {
  id: string;
  classId: string;
  subjectId: string;
  teacherId: string;
  substituteTeacherId: string | null;
  date: string;
  number: number;
  topic: string | null;
  topicAuthorId: string | null;
  homework: string | null;
}

export interface MarkInfo {
  id: string;
  studentId: string;
  subjectId: string;
  lessonId: string | null;
  workId: string | null;
  value: string;
  weight: number | null;
  authorId: string | null;
  /** The day of its lesson or work. */
  date: string;
  workKind: string | null;
}

export interface AttendanceInfo {
  studentId: string;
  lessonId: string;
  status: "absent" | "ill" | "late" | "excused" | "present";
  date: string;
  subjectId: string;
  classId: string;
}

export interface PeriodMarkInfo {
  studentId: string;
  subjectId: string;
  periodId: string;
  value: string;
}

export interface ActivityInfo {
  personId: string;
  date: string;
  logins: number;
  diaryViews: number;
  entries: number;
}

/** Students, teachers, classes and subjects with lookups (the roster every report names people from). */
export interface Roster {
  school: SchoolInfo;
  classes: ClassInfo[];
  subjects: SubjectInfo[];
  persons: PersonInfo[];
  classById: Map<string, ClassInfo>;
  subjectById: Map<string, SubjectInfo>;
  personById: Map<string, PersonInfo>;
}

export async function loadSchool(db: Db, schoolId: string): Promise<SchoolInfo> {
  const [row] = await db.query<{ id: string; name: string; timezone: string; workweek: number }>(
    "SELECT id, name, timezone, workweek FROM schools WHERE id = $1",
    [schoolId],
  );
  if (!row) throw new ReportParamsError(m.errors.noSchool(schoolId));
  return { ...row, workweek: row.workweek === 6 ? 6 : 5 };
}

export async function loadPeriods(db: Db, schoolId: string): Promise<PeriodInfo[]> {
  return db.query<PeriodInfo>(
    `SELECT key AS id, kind, number, start_date AS start, end_date AS "end" FROM periods
     WHERE school_id = $1 AND deleted_at IS NULL ORDER BY start_date, end_date DESC`,
    [schoolId],
  );
}

/** The named period, or a ReportParamsError listing the periods there are. */
export async function loadPeriod(db: Db, schoolId: string, periodId: string): Promise<PeriodInfo> {
  const periods = await loadPeriods(db, schoolId);
  const found = periods.find((p) => p.id === periodId);
  if (!found)
    throw new ReportParamsError(
      m.errors.noPeriod(
        periodId,
        periods.map((p) => p.id),
      ),
    );
  return found;
}

/** A calendar month `YYYY-MM` as a date range. */
export function monthRange(month: string): DateRange {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new ReportParamsError(m.errors.badMonth(month));
  const year = Number(match[1]);
  const mon = Number(match[2]);
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

/** Monday–Sunday of the week holding `date`. */
export function weekRange(date: string): DateRange {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw new ReportParamsError(m.errors.badDate(date));
  const d = new Date(`${date}T00:00:00Z`);
  const offset = (d.getUTCDay() + 6) % 7;
  const monday = new Date(d.getTime() - offset * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}

export async function loadRoster(db: Db, schoolId: string): Promise<Roster> {
  const school = await loadSchool(db, schoolId);
  const classRows = await db.query<{
    id: string;
    grade: number;
    letter: string;
    class_teacher_id: string | null;
  }>(
    `SELECT key AS id, grade, letter, class_teacher_id FROM classes
     WHERE school_id = $1 AND deleted_at IS NULL`,
    [schoolId],
  );
  const classes = classRows
    .map((c) => ({
      id: c.id,
      grade: c.grade,
      letter: c.letter ?? "",
      classTeacherId: c.class_teacher_id,
      name: `${c.grade}${c.letter ?? ""}`,
    }))
    .sort((a, b) => a.grade - b.grade || a.letter.localeCompare(b.letter, "ru"));
  const subjects = (
    await db.query<SubjectInfo>(
      "SELECT key AS id, name FROM subjects WHERE school_id = $1 AND deleted_at IS NULL",
      [schoolId],
    )
  ).sort((a, b) => a.name.localeCompare(b.name, "ru"));
  const personRows = await db.query<{
    id: string;
    role: string;
    name: string;
    class_id: string | null;
    child_ids: string[] | null;
  }>(
    `SELECT key AS id, role, name, class_id, child_ids FROM persons
     WHERE school_id = $1 AND deleted_at IS NULL`,
    [schoolId],
  );
  const persons = personRows
    .map((p) => ({ id: p.id, role: p.role, name: p.name, classId: p.class_id, childIds: p.child_ids ?? [] }))
    .sort(byName);
  return {
    school,
    classes,
    subjects,
    persons,
    classById: new Map(classes.map((c) => [c.id, c])),
    subjectById: new Map(subjects.map((s) => [s.id, s])),
    personById: new Map(persons.map((p) => [p.id, p])),
  };
}

export function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name, "ru");
}

/** The live students of a class, by name. */
export function studentsOf(roster: Roster, classId: string): PersonInfo[] {
  return roster.persons.filter((p) => p.role === "student" && p.classId === classId);
}

export function requireClass(roster: Roster, classId: string): ClassInfo {
  const found = roster.classById.get(classId);
  if (!found)
    throw new ReportParamsError(
      m.errors.noClass(
        classId,
        roster.classes.map((c) => c.id),
      ),
    );
  return found;
}

export function requireStudent(roster: Roster, studentId: string): PersonInfo {
  const found = roster.personById.get(studentId);
  if (found?.role !== "student") throw new ReportParamsError(m.errors.noStudent(studentId));
  return found;
}

/** A person's name, or the id when the person is not (or no longer) in the roster. */
export function nameOf(roster: Roster, personId: string | null | undefined): string {
  if (!personId) return "—";
  return roster.personById.get(personId)?.name ?? personId;
}

function scopeSql(column: string, scope: Scope, params: SqlParam[]): string {
  if (scope.studentId) {
    params.push(scope.studentId);
    return ` AND ${column} = $${params.length}`;
  }
  if (scope.classId) {
    params.push(scope.classId);
    return ` AND ${column} IN (SELECT key FROM persons WHERE school_id = $1 AND class_id = $${params.length} AND deleted_at IS NULL)`;
  }
  return "";
}

export async function loadLessons(
  db: Db,
  schoolId: string,
  range: DateRange,
  scope: { classId?: string } = {},
): Promise<LessonInfo[]> {
  const params: (string | null)[] = [schoolId, range.from, range.to];
  let where = "";
  if (scope.classId) {
    params.push(scope.classId);
    where = " AND class_id = $4";
  }
  return db.query<LessonInfo>(
    `SELECT key AS id, class_id AS "classId", subject_id AS "subjectId", teacher_id AS "teacherId",
       substitute_teacher_id AS "substituteTeacherId", day AS date, number, topic, topic_author_id AS "topicAuthorId",
       homework
     FROM lessons WHERE school_id = $1 AND deleted_at IS NULL AND day BETWEEN $2 AND $3${where}
     ORDER BY day, number`,
    params,
  );
}

/** Lessons removed from the platform (the evidence of a cancelled lesson), with the day they were seen gone. */
export async function loadRemovedLessons(
  db: Db,
  schoolId: string,
  range: DateRange,
): Promise<(LessonInfo & { removedAt: Date })[]> {
  return db.query<LessonInfo & { removedAt: Date }>(
    `SELECT key AS id, class_id AS "classId", subject_id AS "subjectId", teacher_id AS "teacherId",
       substitute_teacher_id AS "substituteTeacherId", day AS date, number, topic, topic_author_id AS "topicAuthorId",
       homework, deleted_at AS "removedAt"
     FROM lessons WHERE school_id = $1 AND deleted_at IS NOT NULL AND day BETWEEN $2 AND $3
     ORDER BY day, number`,
    [schoolId, range.from, range.to],
  );
}

/** Marks whose lesson or work falls in the range; the date is that lesson's (else the work's) day. */
export async function loadMarks(
  db: Db,
  schoolId: string,
  range: DateRange,
  scope: Scope = {},
): Promise<MarkInfo[]> {
  const params: SqlParam[] = [schoolId, range.from, range.to];
  const scoped = scopeSql("m.student_id", scope, params);
  return db.query<MarkInfo>(
    `SELECT m.key AS id, m.student_id AS "studentId", m.subject_id AS "subjectId", m.lesson_id AS "lessonId",
       m.work_id AS "workId", m.value, m.weight::float8 AS weight, m.author_id AS "authorId",
       COALESCE(l.day, w.day) AS date, w.kind AS "workKind"
     FROM marks m
     LEFT JOIN lessons l ON l.school_id = m.school_id AND l.key = m.lesson_id AND l.deleted_at IS NULL
     LEFT JOIN works w ON w.school_id = m.school_id AND w.key = m.work_id AND w.deleted_at IS NULL
     WHERE m.school_id = $1 AND m.deleted_at IS NULL AND COALESCE(l.day, w.day) BETWEEN $2 AND $3${scoped}
     ORDER BY COALESCE(l.day, w.day), l.number NULLS LAST, m.key`,
    params,
  );
}

export async function loadAttendance(
  db: Db,
  schoolId: string,
  range: DateRange,
  scope: Scope = {},
): Promise<AttendanceInfo[]> {
  const params: SqlParam[] = [schoolId, range.from, range.to];
  const scoped = scopeSql("a.student_id", scope, params);
  return db.query<AttendanceInfo>(
    `SELECT a.student_id AS "studentId", a.lesson_id AS "lessonId", a.status, l.day AS date,
       l.subject_id AS "subjectId", l.class_id AS "classId"
     FROM attendance a
     JOIN lessons l ON l.school_id = a.school_id AND l.key = a.lesson_id AND l.deleted_at IS NULL
     WHERE a.school_id = $1 AND a.deleted_at IS NULL AND l.day BETWEEN $2 AND $3${scoped}
     ORDER BY l.day, l.number`,
    params,
  );
}

export async function loadPeriodMarks(
  db: Db,
  schoolId: string,
  periodIds: string[],
  scope: Scope = {},
): Promise<PeriodMarkInfo[]> {
  const params: SqlParam[] = [schoolId, periodIds];
  const scoped = scopeSql("student_id", scope, params);
  return db.query<PeriodMarkInfo>(
    `SELECT student_id AS "studentId", subject_id AS "subjectId", period_id AS "periodId", value
     FROM period_marks WHERE school_id = $1 AND deleted_at IS NULL AND period_id = ANY($2::text[])${scoped}`,
    params,
  );
}

export async function loadActivity(db: Db, schoolId: string, range: DateRange): Promise<ActivityInfo[]> {
  return db.query<ActivityInfo>(
    `SELECT person_id AS "personId", day AS date, COALESCE(logins, 0) AS logins,
       COALESCE(diary_views, 0) AS "diaryViews", COALESCE(entries, 0) AS entries
     FROM activity WHERE school_id = $1 AND deleted_at IS NULL AND day BETWEEN $2 AND $3`,
    [schoolId, range.from, range.to],
  );
}

export interface StudentPresence {
  id: string;
  name: string;
  classId: string | null;
  /** First observation that saw the student. */
  firstSeenAt: Date;
  /** The last observation that did not (null: present from the first observation on). */
  lastAbsentAt: Date | null;
  /** Seen gone from the platform (left the school). */
  deletedAt: Date | null;
}

/** Every student ever seen, live or removed: the evidence of arrivals and departures. */
export async function loadStudentPresence(db: Db, schoolId: string): Promise<StudentPresence[]> {
  return db.query<StudentPresence>(
    `SELECT key AS id, name, class_id AS "classId", first_seen_at AS "firstSeenAt",
       last_absent_at AS "lastAbsentAt", deleted_at AS "deletedAt"
     FROM persons WHERE school_id = $1 AND role = 'student' ORDER BY name`,
    [schoolId],
  );
}

export interface ViolationInfo {
  id: string;
  ruleId: string;
  clause: string;
  entity: { kind?: string; classId?: string; subjectId?: string; lessonId?: string; studentId?: string };
  responsibleId: string | null;
  deadline: Date;
  detectedAt: Date;
  status: "open" | "resolved" | "waived";
  level: number;
  message: string;
}

/** Violations whose deadline falls in the range (the month the breach belongs to). */
export async function loadViolations(
  db: Db,
  schoolId: string,
  range: DateRange,
  timezone: string,
): Promise<ViolationInfo[]> {
  return db.query<ViolationInfo>(
    `SELECT id::text AS id, rule_id AS "ruleId", clause, entity, responsible_id AS "responsibleId", deadline,
       detected_at AS "detectedAt", status, level, message
     FROM violations
     WHERE school_id = $1 AND (deadline AT TIME ZONE $4)::date BETWEEN $2::date AND $3::date
     ORDER BY deadline, id`,
    [schoolId, range.from, range.to, timezone],
  );
}

/** The school's latest observation (the "today" of its data), as a local date; null before any sync. */
export async function lastObservedDate(db: Db, school: SchoolInfo): Promise<string | null> {
  const [row] = await db.query<{ day: string | null }>(
    `SELECT (max(observed_at) AT TIME ZONE $2)::date AS day FROM sync_runs WHERE school_id = $1 AND status = 'ok'`,
    [school.id, school.timezone],
  );
  return row?.day ?? null;
}

/** The lessons' main teacher per class and subject (the one who holds most of them). */
export function teachersByClassSubject(lessons: LessonInfo[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const l of lessons) {
    const key = `${l.classId}|${l.subjectId}`;
    const byTeacher = counts.get(key) ?? new Map<string, number>();
    byTeacher.set(l.teacherId, (byTeacher.get(l.teacherId) ?? 0) + 1);
    counts.set(key, byTeacher);
  }
  const out = new Map<string, string>();
  for (const [key, byTeacher] of counts) {
    const [best] = [...byTeacher].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    out.set(key, best[0]);
  }
  return out;
}

/** What a class × period report starts from: the class (it must exist), its pupils and the period's dates. */
export interface ClassPeriod {
  roster: Roster;
  cls: ClassInfo;
  students: PersonInfo[];
  period: PeriodInfo;
  range: DateRange;
  scope: { classId: string };
}

export async function loadClassPeriod(
  db: Db,
  schoolId: string,
  params: { classId: string; periodId: string },
): Promise<ClassPeriod> {
  const roster = await loadRoster(db, schoolId);
  const cls = requireClass(roster, params.classId);
  const period = await loadPeriod(db, schoolId, params.periodId);
  return {
    roster,
    cls,
    students: studentsOf(roster, params.classId),
    period,
    range: { from: period.start, to: period.end },
    scope: { classId: params.classId },
  };
}
