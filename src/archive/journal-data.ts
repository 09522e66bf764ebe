/**
 * Everything the archived journal of one class for one period shows, read from the live store
 * (rows with deleted_at IS NULL): the people, the lessons with topics and homework, the marks and
 * absences per student and lesson, and the period marks.
 */
import type { Db } from "../store/db.ts";
import { ArchiveConfigError } from "./errors.ts";
import { journalMessages } from "./journal-messages.ru.ts";

export type PeriodKind = "quarter" | "semester" | "trimester" | "year";

export interface JournalPeriod {
  id: string;
  kind: PeriodKind;
  number: number;
  start: string;
  end: string;
  /** As in the file name: "1" for a quarter, "1 полугодие", "год". */
  label: string;
  /** For titles: "1 четверть", "1 полугодие", "Учебный год". */
  title: string;
}

export interface JournalStudent {
  id: string;
  name: string;
}

export interface JournalLesson {
  id: string;
  date: string;
  number: number;
  topic?: string;
  homework?: string;
  teacherId: string;
}

export interface JournalSubject {
  id: string;
  name: string;
  /** Teachers who gave lessons of the subject in the class, most lessons first. */
  teachers: string[];
  lessons: JournalLesson[];
}

export interface JournalData {
  school: { id: string; name: string };
  classId: string;
  /** "5А" */
  classLabel: string;
  /** "2025-2026" */
  year: string;
  period: JournalPeriod;
  classTeacher?: string;
  students: JournalStudent[];
  subjects: JournalSubject[];
  /** lessonId → studentId → mark values in recording order */
  marks: Map<string, Map<string, string[]>>;
  /** lessonId → studentId → absence code (н, б, у, о) */
  absences: Map<string, Map<string, string>>;
  /** subjectId → studentId → period mark */
  periodMarks: Map<string, Map<string, string>>;
}

/** Journal codes of attendance statuses; "present" leaves the cell empty. */
export const ABSENCE_CODES: Readonly<Record<string, string>> = {
  absent: "н",
  ill: "б",
  excused: "у",
  late: "о",
};

/** School year of a date: September–December start a year, January–August end one. */
export function schoolYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const first = month >= 8 ? year : year - 1;
  return `${first}-${first + 1}`;
}

export function periodLabels(kind: PeriodKind, number: number): { label: string; title: string } {
  const names = journalMessages.periodNames;
  switch (kind) {
    case "quarter":
      return { label: String(number), title: `${number} ${names.quarter}` };
    case "semester":
      return { label: `${number} ${names.semester}`, title: `${number} ${names.semester}` };
    case "trimester":
      return { label: `${number} ${names.trimester}`, title: `${number} ${names.trimester}` };
    case "year":
      return { label: names.yearLabel, title: names.yearTitle };
  }
}

interface PeriodRow {
  id: string;
  kind: PeriodKind;
  number: number;
  start_date: string;
  end_date: string;
}

export async function loadPeriod(db: Db, schoolId: string, periodId: string): Promise<JournalPeriod> {
  const [row] = await db.query<PeriodRow>(
    `SELECT id, kind, number, start_date, end_date FROM periods
      WHERE school_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [schoolId, periodId],
  );
  if (!row) throw new ArchiveConfigError(`no live period "${periodId}" in school "${schoolId}"`);
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    start: row.start_date,
    end: row.end_date,
    ...periodLabels(row.kind, row.number),
  };
}

export function classLabelOf(grade: number | null, letter: string | null, id: string): string {
  return grade === null ? id : `${grade}${letter ?? ""}`;
}

/** Live classes of a school, by grade and letter. */
export async function listClasses(db: Db, schoolId: string): Promise<{ id: string; label: string }[]> {
  const rows = await db.query<{ id: string; grade: number | null; letter: string | null }>(
    `SELECT id, grade, letter FROM classes WHERE school_id = $1 AND deleted_at IS NULL
      ORDER BY grade, letter, id`,
    [schoolId],
  );
  return rows.map((r) => ({ id: r.id, label: classLabelOf(r.grade, r.letter, r.id) }));
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "ru");

function nested<V>(map: Map<string, Map<string, V>>, a: string): Map<string, V> {
  let inner = map.get(a);
  if (!inner) {
    inner = new Map();
    map.set(a, inner);
  }
  return inner;
}

/** Reads one class × one period from the live store. */
export async function loadJournalData(
  db: Db,
  schoolId: string,
  classId: string,
  periodId: string,
): Promise<JournalData> {
  const [data] = await loadClassJournals(db, schoolId, classId, [await loadPeriod(db, schoolId, periodId)]);
  return data;
}

interface LessonRow {
  id: string;
  subject_id: string;
  teacher_id: string | null;
  day: string;
  number: number | null;
  topic: string | null;
  homework: string | null;
}

/**
 * Reads one class for several periods with one set of queries (the archive of a year renders every
 * period of a class from it): the lessons of the span the periods cover, their marks and absences,
 * the people and the period marks, then cut per period in memory — each journal exactly as a load of
 * its period alone would give.
 */
export async function loadClassJournals(
  db: Db,
  schoolId: string,
  classId: string,
  periods: readonly JournalPeriod[],
): Promise<JournalData[]> {
  if (periods.length === 0) return [];
  const [school] = await db.query<{ id: string; name: string }>(
    "SELECT id, name FROM schools WHERE id = $1",
    [schoolId],
  );
  if (!school) throw new ArchiveConfigError(`no school "${schoolId}" in the store`);
  const [klass] = await db.query<{
    grade: number | null;
    letter: string | null;
    class_teacher_id: string | null;
  }>(
    `SELECT grade, letter, class_teacher_id FROM classes
      WHERE school_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [schoolId, classId],
  );
  if (!klass) throw new ArchiveConfigError(`no live class "${classId}" in school "${schoolId}"`);

  // ISO dates: the string order is the calendar order
  const days = periods.flatMap((p) => [p.start, p.end]).sort();
  const [from, to] = [days[0], days[days.length - 1]];
  const lessonRows = await db.query<LessonRow>(
    `SELECT id, subject_id, teacher_id, day, number, topic, homework FROM lessons
      WHERE school_id = $1 AND class_id = $2 AND day BETWEEN $3 AND $4 AND deleted_at IS NULL
      ORDER BY day, number, id`,
    [schoolId, classId, from, to],
  );

  // Marks and absences on those lessons (a mark may point at its lesson directly or through a work).
  const lessonIds = lessonRows.map((l) => l.id);
  const markRows = await db.query<{ lesson_id: string; student_id: string; value: string }>(
    `SELECT lesson_id, student_id, value FROM (
       SELECT m.lesson_id, m.student_id, m.value, m.recorded_at, m.key FROM marks m
        WHERE m.school_id = $1 AND m.lesson_id = ANY($2::text[]) AND m.deleted_at IS NULL
       UNION ALL
       SELECT w.lesson_id, m.student_id, m.value, m.recorded_at, m.key FROM works w
         JOIN marks m ON m.school_id = w.school_id AND m.work_id = w.id
        WHERE w.school_id = $1 AND w.lesson_id = ANY($2::text[]) AND w.deleted_at IS NULL
          AND m.lesson_id IS NULL AND m.deleted_at IS NULL
     ) x ORDER BY recorded_at NULLS LAST, key`,
    [schoolId, lessonIds],
  );
  const absenceRows = await db.query<{ lesson_id: string; student_id: string; status: string }>(
    `SELECT lesson_id, student_id, status FROM attendance
      WHERE school_id = $1 AND lesson_id = ANY($2::text[]) AND deleted_at IS NULL AND status <> 'present'`,
    [schoolId, lessonIds],
  );

  // Students: the class list, plus anyone with entries on the class's lessons (moved out mid-period).
  const studentRows = await db.query<{ id: string; name: string; class_id: string | null }>(
    `SELECT id, name, class_id FROM persons
      WHERE school_id = $1 AND deleted_at IS NULL AND role = 'student'
        AND (class_id = $2 OR id = ANY($3::text[]))`,
    [schoolId, classId, [...new Set([...markRows, ...absenceRows].map((r) => r.student_id))]],
  );
  const periodMarkRows = await db.query<{
    period_id: string;
    subject_id: string;
    student_id: string;
    value: string;
  }>(
    `SELECT period_id, subject_id, student_id, value FROM period_marks
      WHERE school_id = $1 AND period_id = ANY($2::text[]) AND deleted_at IS NULL
        AND student_id = ANY($3::text[])`,
    [schoolId, periods.map((p) => p.id), studentRows.map((r) => r.id)],
  );
  const subjectNames = new Map(
    (
      await db.query<{ id: string; name: string | null }>(
        "SELECT id, name FROM subjects WHERE school_id = $1 AND id = ANY($2::text[]) AND deleted_at IS NULL",
        [schoolId, [...new Set([...lessonRows, ...periodMarkRows].map((r) => r.subject_id))]],
      )
    ).map((r) => [r.id, r.name ?? r.id]),
  );
  const teacherIds = [
    ...new Set(lessonRows.map((l) => l.teacher_id).filter((t): t is string => t !== null)),
    ...(klass.class_teacher_id ? [klass.class_teacher_id] : []),
  ];
  const personNames = new Map(
    (
      await db.query<{ id: string; name: string | null }>(
        "SELECT id, name FROM persons WHERE school_id = $1 AND id = ANY($2::text[]) AND deleted_at IS NULL",
        [schoolId, teacherIds],
      )
    ).map((r) => [r.id, r.name ?? r.id]),
  );

  return periods.map((period) => {
    const lessons = lessonRows.filter((l) => l.day >= period.start && l.day <= period.end);
    const inPeriod = new Set(lessons.map((l) => l.id));
    const marksOf = markRows.filter((r) => inPeriod.has(r.lesson_id));
    const absencesOf = absenceRows.filter((r) => inPeriod.has(r.lesson_id));
    const entered = new Set([...marksOf, ...absencesOf].map((r) => r.student_id));
    const students = studentRows
      .filter((r) => r.class_id === classId || entered.has(r.id))
      .map((r) => ({ id: r.id, name: r.name ?? r.id }))
      .sort(byName);
    const studentIds = new Set(students.map((s) => s.id));
    const periodMarksOf = periodMarkRows.filter(
      (r) => r.period_id === period.id && studentIds.has(r.student_id),
    );
    return {
      school: { id: school.id, name: school.name },
      classId,
      classLabel: classLabelOf(klass.grade, klass.letter, classId),
      year: schoolYearOf(period.start),
      period,
      classTeacher: klass.class_teacher_id ? personNames.get(klass.class_teacher_id) : undefined,
      students,
      subjects: subjectsOf(lessons, periodMarksOf, subjectNames, personNames),
      ...entriesOf(marksOf, absencesOf, periodMarksOf),
    };
  });
}

/** The period's subjects by name, each with its lessons and its teachers (most lessons first). */
function subjectsOf(
  lessonRows: readonly LessonRow[],
  periodMarkRows: readonly { subject_id: string }[],
  subjectNames: ReadonlyMap<string, string>,
  personNames: ReadonlyMap<string, string>,
): JournalSubject[] {
  const subjectIds = [
    ...new Set([...lessonRows.map((l) => l.subject_id), ...periodMarkRows.map((r) => r.subject_id)]),
  ];
  const subjects = new Map<string, JournalSubject & { teacherCounts: Map<string, number> }>();
  for (const id of subjectIds) {
    subjects.set(id, {
      id,
      name: subjectNames.get(id) ?? id,
      teachers: [],
      lessons: [],
      teacherCounts: new Map(),
    });
  }
  for (const row of lessonRows) {
    const subject = subjects.get(row.subject_id)!;
    subject.lessons.push({
      id: row.id,
      date: row.day,
      number: row.number ?? 0,
      topic: row.topic ?? undefined,
      homework: row.homework ?? undefined,
      teacherId: row.teacher_id ?? "",
    });
    if (row.teacher_id) {
      subject.teacherCounts.set(row.teacher_id, (subject.teacherCounts.get(row.teacher_id) ?? 0) + 1);
    }
  }
  return [...subjects.values()]
    .map(({ teacherCounts, ...subject }) => ({
      ...subject,
      teachers: [...teacherCounts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([id]) => personNames.get(id) ?? id),
    }))
    .sort(byName);
}

/** lessonId → studentId → marks / absence code, subjectId → studentId → period mark. */
function entriesOf(
  markRows: readonly { lesson_id: string; student_id: string; value: string }[],
  absenceRows: readonly { lesson_id: string; student_id: string; status: string }[],
  periodMarkRows: readonly { subject_id: string; student_id: string; value: string }[],
): Pick<JournalData, "marks" | "absences" | "periodMarks"> {
  const marks = new Map<string, Map<string, string[]>>();
  for (const row of markRows) {
    const cell = nested(marks, row.lesson_id);
    const values = cell.get(row.student_id) ?? [];
    values.push(row.value);
    cell.set(row.student_id, values);
  }
  const absences = new Map<string, Map<string, string>>();
  for (const row of absenceRows) {
    const code = ABSENCE_CODES[row.status];
    if (code) nested(absences, row.lesson_id).set(row.student_id, code);
  }
  const periodMarks = new Map<string, Map<string, string>>();
  for (const row of periodMarkRows) nested(periodMarks, row.subject_id).set(row.student_id, row.value);
  return { marks, absences, periodMarks };
}
