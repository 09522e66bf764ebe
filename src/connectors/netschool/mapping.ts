// NetSchool answers → canonical records. The diary names no teacher, no subject id and no entry
// time: subjects get a stable id from their name, each class × subject gets one teacher slot, and no
// record carries a recordedAt (evidence of time comes from observations: first-seen / last-absent).
import { createHash } from "node:crypto";
import type {
  Lesson,
  Mark,
  Period,
  Person,
  SchoolClass,
  StreamName,
  StreamRecords,
  Subject,
  Work,
  WorkKind,
} from "../../model/records.ts";
import type { RejectedRecord } from "../types.ts";
import {
  type Assignment,
  type AssignmentType,
  assignmentSchema,
  assignmentTypeSchema,
  diarySchema,
  type FilterSource,
  lessonSchema,
  type StudentEntry,
  studentEntry,
} from "./schemas.ts";

export interface Mapped<S extends StreamName> {
  records: StreamRecords[S][];
  rejected: RejectedRecord[];
}

const issue = (e: { issues: { path: PropertyKey[]; message: string }[] }) => ({
  field: e.issues[0].path.map(String).join(".") || undefined,
  reason: e.issues[0].message,
});

/** A subject's id: the platform's web diary names subjects only by name. */
export function subjectIdOf(name: string): string {
  return `subj-${createHash("sha1").update(name.trim()).digest("hex").slice(0, 12)}`;
}

/** The teacher slot of a class × subject: the diary does not say who teaches a lesson. */
export function teacherSlotId(classId: string, subjectId: string): string {
  return `teacher-${classId}-${subjectId.replace(/^subj-/, "")}`;
}

/** «5А», «10 Б», «11-В» → grade and letter; null when the name is not a class of 1–11. */
export function parseClassName(name: string): { grade: number; letter: string } | null {
  const m = /^\s*(\d{1,2})\s*[-–]?\s*(\S.*?)?\s*$/.exec(name);
  if (!m) return null;
  const grade = Number(m[1]);
  if (grade < 1 || grade > 11) return null;
  return { grade, letter: (m[2] ?? "").trim() || "—" };
}

export function parseStudents(
  body: unknown[],
  origin: string,
): { students: StudentEntry[]; rejected: RejectedRecord[] } {
  const students: StudentEntry[] = [];
  const rejected: RejectedRecord[] = [];
  for (const raw of body) {
    const s = studentEntry.safeParse(raw);
    if (s.success) students.push(s.data);
    else rejected.push({ stream: "persons", origin, raw, ...issue(s.error) });
  }
  return { students, rejected };
}

export function mapClasses(students: StudentEntry[], origin: string): Mapped<"classes"> {
  const out = new Map<string, SchoolClass>();
  const rejected: RejectedRecord[] = [];
  for (const s of students) {
    if (!s.classId || !s.className || out.has(s.classId)) continue;
    const parsed = parseClassName(s.className);
    if (!parsed) {
      rejected.push({
        stream: "classes",
        origin,
        field: "className",
        reason: "not a class of grades 1–11",
        raw: { classId: s.classId, className: s.className },
      });
      continue;
    }
    out.set(s.classId, { id: s.classId, ...parsed });
  }
  return { records: [...out.values()], rejected };
}

export function mapPupils(students: StudentEntry[]): Person[] {
  return students.map((s) => ({
    id: s.studentId,
    role: "student" as const,
    name: s.nickName.trim(),
    ...(s.classId ? { classId: s.classId } : {}),
  }));
}

/** Keyword table of assignment type names → work kind (types differ per server: always read them). */
const KIND_KEYWORDS: [RegExp, WorkKind][] = [
  [/всероссийск|впр/i, "federal"],
  [/региональн|рдр/i, "regional"],
  [/промежуточн/i, "intermediate"],
  [/итогов/i, "final"],
  [/контрольн/i, "control"],
  [/лабораторн/i, "lab"],
  [/практическ/i, "practical"],
  [/тест/i, "test"],
  [/письменн|диктант|сочинени|изложени|самостоятельн|проверочн/i, "written"],
];

export interface TypeInfo {
  name: string;
  homework: boolean;
  kind: WorkKind;
}

export function typeIndex(
  body: unknown,
  origin: string,
  homeworkTypes: string[],
  overrides: Record<string, WorkKind>,
): Map<string, TypeInfo> {
  if (!Array.isArray(body)) throw new TypeError(`${origin}: expected a list of assignment types`);
  const index = new Map<string, TypeInfo>();
  for (const raw of body) {
    const t = assignmentTypeSchema.safeParse(raw);
    if (!t.success) continue;
    index.set(t.data.id, describeType(t.data, homeworkTypes, overrides));
  }
  return index;
}

function describeType(
  t: AssignmentType,
  homeworkTypes: string[],
  overrides: Record<string, WorkKind>,
): TypeInfo {
  const homework = homeworkTypes.includes(t.name);
  const kind = overrides[t.name] ?? KIND_KEYWORDS.find(([re]) => re.test(t.name))?.[1] ?? "oral";
  return { name: t.name, homework, kind };
}

/** What one class's diaries of one date window amount to. */
export interface DiaryWindow {
  subjects: Subject[];
  teachers: Person[];
  lessons: Lesson[];
  works: Work[];
  marks: Mark[];
  rejected: RejectedRecord[];
  /** Each mark's assignment type name, for matching the StudentGrades report's rows. */
  markTypes: Map<string, string>;
}

export function emptyWindow(): DiaryWindow {
  return {
    subjects: [],
    teachers: [],
    lessons: [],
    works: [],
    marks: [],
    rejected: [],
    markTypes: new Map(),
  };
}

interface MapContext {
  classId: string;
  className: string;
  types: Map<string, TypeInfo>;
}

/** Merges one pupil's diary answer into the class window (lessons and works once, marks per pupil). */
export function addDiary(
  into: DiaryWindow,
  body: unknown,
  origin: string,
  pupilId: string,
  ctx: MapContext,
): void {
  const d = diarySchema.safeParse(body);
  if (!d.success) {
    into.rejected.push({ stream: "lessons", origin, raw: body, ...issue(d.error) });
    return;
  }
  const lessonIds = new Set(into.lessons.map((l) => l.id));
  const workIds = new Set(into.works.map((w) => w.id));
  const subjectIds = new Set(into.subjects.map((s) => s.id));
  for (const day of d.data.weekDays) {
    for (const rawLesson of day.lessons) {
      const l = lessonSchema.safeParse(rawLesson);
      if (!l.success) {
        into.rejected.push({ stream: "lessons", origin, raw: rawLesson, ...issue(l.error) });
        continue;
      }
      const lesson = l.data;
      const subjectId = subjectIdOf(lesson.subjectName);
      if (!subjectIds.has(subjectId)) {
        subjectIds.add(subjectId);
        into.subjects.push({ id: subjectId, name: lesson.subjectName.trim() });
        into.teachers.push({
          id: teacherSlotId(ctx.classId, subjectId),
          role: "teacher",
          name: `Учитель: ${lesson.subjectName.trim()}, ${ctx.className}`,
        });
      }
      const assignments: Assignment[] = [];
      for (const rawA of lesson.assignments ?? []) {
        const a = assignmentSchema.safeParse(rawA);
        if (a.success) assignments.push(a.data);
        else into.rejected.push({ stream: "works", origin, raw: rawA, ...issue(a.error) });
      }
      const date = lesson.day;
      if (!lessonIds.has(lesson.classmeetingId)) {
        lessonIds.add(lesson.classmeetingId);
        const classwork = assignments.filter((a) => !ctx.types.get(a.typeId)?.homework);
        const homework = assignments.filter((a) => ctx.types.get(a.typeId)?.homework);
        const topic = classwork.map((a) => a.assignmentName.trim()).find((n) => n !== "");
        const hw = homework.map((a) => a.assignmentName.trim()).find((n) => n !== "");
        into.lessons.push({
          id: lesson.classmeetingId,
          classId: ctx.classId,
          subjectId,
          teacherId: teacherSlotId(ctx.classId, subjectId),
          date,
          number: lesson.number,
          start: lesson.startTime.padStart(5, "0"),
          end: lesson.endTime.padStart(5, "0"),
          ...(topic ? { topic } : {}),
          ...(hw ? { homework: hw } : {}),
        });
      }
      for (const a of assignments) {
        const type = ctx.types.get(a.typeId);
        if (!type) {
          into.rejected.push({
            stream: "works",
            origin,
            field: "typeId",
            reason: `unknown assignment type ${a.typeId}`,
            raw: a,
          });
          continue;
        }
        if (!type.homework && !workIds.has(a.id)) {
          workIds.add(a.id);
          into.works.push({
            id: a.id,
            lessonId: lesson.classmeetingId,
            classId: ctx.classId,
            subjectId,
            kind: type.kind,
            date,
          });
        }
        const m = a.mark;
        // A «точка» (dutyMark) is work owed, not a mark: nothing to store until the mark replaces it.
        if (!m || m.mark === null || m.mark === undefined) continue;
        if (m.mark < 1 || m.mark > 5) {
          into.rejected.push({
            stream: "marks",
            origin,
            field: "mark.mark",
            reason: `mark ${m.mark} outside 1–5`,
            raw: a,
          });
          continue;
        }
        const weight = typeof a.weight === "number" && a.weight > 0 && a.weight !== 1 ? a.weight : undefined;
        into.markTypes.set(`${a.id}-${m.studentId ?? pupilId}`, type.name);
        into.marks.push({
          id: `${a.id}-${m.studentId ?? pupilId}`,
          studentId: m.studentId ?? pupilId,
          subjectId,
          ...(type.homework ? {} : { workId: a.id }),
          lessonId: lesson.classmeetingId,
          value: m.mark,
          ...(weight !== undefined ? { weight } : {}),
        });
      }
    }
  }
}

const TERM_KINDS: [RegExp, Period["kind"]][] = [
  [/четверт/i, "quarter"],
  [/полугоди|семестр/i, "semester"],
  [/триместр/i, "trimester"],
  [/год/i, "year"],
];

/** A term of the TERMID filter with the range initfilters gave it; null when the title says no kind. */
export function mapTerm(
  item: { title: string; value: string },
  range: { start: string; end: string },
): Period | null {
  const kind = TERM_KINDS.find(([re]) => re.test(item.title))?.[1];
  if (!kind) return null;
  const n = /(\d)/.exec(item.title);
  return {
    id: item.value,
    kind,
    number: kind === "year" ? 1 : Number(n?.[1] ?? 1),
    start: range.start,
    end: range.end,
  };
}

export function findFilter(sources: FilterSource[], id: string): FilterSource | undefined {
  return sources.find((f) => f.filterId.toUpperCase() === id.toUpperCase());
}
