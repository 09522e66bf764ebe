// A tiny school for the mark, period, year and parent rule tests: 5А (grade 5) and 1А (grade 1),
// a maths teacher, a substitute, the class teacher, the deputy and the administrator, two terms.
import type { Lesson, Mark, Period, Person, SchoolClass, Subject, Work } from "../../../src/model/records.ts";
import type { SeenEvidence } from "../../../src/rules/types.ts";
import type { MemoryJournal } from "./memory-data.ts";

export const Q1: Period = { id: "q1", kind: "quarter", number: 1, start: "2025-09-01", end: "2025-10-24" };
export const Q2: Period = { id: "q2", kind: "quarter", number: 2, start: "2025-11-05", end: "2025-12-30" };
export const YEAR: Period = { id: "y2025", kind: "year", number: 1, start: "2025-09-01", end: "2026-05-26" };

export const CLASSES: SchoolClass[] = [
  { id: "5a", grade: 5, letter: "А", classTeacherId: "t-ct" },
  { id: "1a", grade: 1, letter: "А", classTeacherId: "t-ct1" },
];
export const SUBJECTS: Subject[] = [
  { id: "math", name: "Математика" },
  { id: "rus", name: "Русский язык" },
];
export const PERSONS: Person[] = [
  { id: "t-math", role: "teacher", name: "Иванова А. А." },
  { id: "t-sub", role: "teacher", name: "Петров Б. Б." },
  { id: "t-ct", role: "teacher", name: "Сидорова В. В." },
  { id: "t-ct1", role: "teacher", name: "Орлова Г. Г." },
  { id: "dep", role: "deputy", name: "Завуч Д. Д." },
  { id: "adm", role: "admin", name: "Админ Е. Е." },
  { id: "s1", role: "student", name: "Ученик 1", classId: "5a" },
  { id: "s2", role: "student", name: "Ученик 2", classId: "5a" },
  { id: "s9", role: "student", name: "Ученик 9", classId: "1a" },
  { id: "p1", role: "parent", name: "Родитель 1", childIds: ["s1"] },
  { id: "p2", role: "parent", name: "Родитель 2", childIds: ["s2"] },
];

type Seen<T> = T & Partial<SeenEvidence>;

export function lesson(
  id: string,
  date: string,
  more: Partial<Lesson> & Partial<SeenEvidence> = {},
): Seen<Lesson> {
  return {
    id,
    classId: "5a",
    subjectId: "math",
    teacherId: "t-math",
    date,
    number: 2,
    start: "09:20",
    end: "10:00",
    ...more,
  };
}

export function work(id: string, date: string, more: Partial<Work> = {}): Seen<Work> {
  return { id, classId: "5a", subjectId: "math", kind: "written", date, ...more };
}

export function mark(id: string, more: Partial<Mark> & Partial<SeenEvidence> = {}): Seen<Mark> {
  return { id, studentId: "s1", subjectId: "math", value: 4, ...more };
}

/** A journal with the school's classes, people, subjects and periods, observed at `observedAt`. */
export function journal(observedAt: string, more: Partial<MemoryJournal> = {}): MemoryJournal {
  return {
    observedAt,
    periods: [Q1, Q2, YEAR],
    classes: CLASSES,
    persons: PERSONS,
    subjects: SUBJECTS,
    ...more,
  };
}
