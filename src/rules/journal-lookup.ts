// Lookups the mark, attestation, period, year and parent rules share: who had to make an entry,
// which study period a date falls in, what date a mark belongs to, how a class and a subject
// are named, and the proof that an entry came after its deadline.

import { DateTime } from "luxon";
import { addDays, isoWeekday } from "../calendar/index.ts";
import type { Period, Person, SchoolClass, Subject } from "../model/records.ts";
import { type EntryEvidence, enteredAt, judgeEntry } from "./evidence.ts";
import type { Enrollment, Evidence, LessonRow, MarkRow, WorkRow } from "./types.ts";

const byIdMemo = new WeakMap<readonly { id: string }[], Map<string, unknown>>();

/**
 * Rows by id. Built once per loaded array (every rule of a check shares the same arrays), so the
 * map is shared too: read it, never change it.
 */
export function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  let m = byIdMemo.get(rows) as Map<string, T> | undefined;
  if (!m) {
    m = new Map(rows.map((r) => [r.id, r]));
    byIdMemo.set(rows, m);
  }
  return m;
}

/** 001 §3.5: the teacher who holds a substituted lesson makes its entries. */
export function lessonAuthorId(lesson: LessonRow): string {
  return lesson.substituteTeacherId ?? lesson.teacherId;
}

/** The teacher of each class and subject: whoever holds most of its lessons (ties: the lower id). */
export class RegularTeachers {
  readonly #counts = new Map<string, Map<string, number>>();

  constructor(lessons: readonly LessonRow[], within?: { start: string; end: string }) {
    for (const l of lessons) {
      if (within && (l.date < within.start || l.date > within.end)) continue;
      const key = `${l.classId}|${l.subjectId}`;
      const perTeacher = this.#counts.get(key) ?? new Map<string, number>();
      perTeacher.set(l.teacherId, (perTeacher.get(l.teacherId) ?? 0) + 1);
      this.#counts.set(key, perTeacher);
    }
  }

  of(classId: string, subjectId: string): string | null {
    const perTeacher = this.#counts.get(`${classId}|${subjectId}`);
    if (!perTeacher) return null;
    let best: string | null = null;
    let bestCount = 0;
    for (const [teacherId, n] of perTeacher) {
      if (n > bestCount || (n === bestCount && best !== null && teacherId < best)) {
        best = teacherId;
        bestCount = n;
      }
    }
    return best;
  }
}

/** The teacher of a class and subject in a period, else over all the lessons the store holds. */
export function teacherResolver(
  lessons: readonly LessonRow[],
): (classId: string, subjectId: string, period?: Period) => string | null {
  const overall = new RegularTeachers(lessons);
  const perPeriod = new Map<string, RegularTeachers>();
  return (classId, subjectId, period) => {
    if (period) {
      let inPeriod = perPeriod.get(period.id);
      if (!inPeriod) {
        inPeriod = new RegularTeachers(lessons, period);
        perPeriod.set(period.id, inPeriod);
      }
      const found = inPeriod.of(classId, subjectId);
      if (found) return found;
    }
    return overall.of(classId, subjectId);
  };
}

/** Who must enter a work's marks: the author of its lesson, else the class's subject teacher. */
export function workResponsible(
  work: WorkRow,
  lessonsById: ReadonlyMap<string, LessonRow>,
  teacherOf: (classId: string, subjectId: string) => string | null,
): string | null {
  const lesson = work.lessonId ? lessonsById.get(work.lessonId) : undefined;
  return lesson ? lessonAuthorId(lesson) : teacherOf(work.classId, work.subjectId);
}

/** Quarters, trimesters and semesters: the periods marks are accumulated and given for. */
export function isTerm(period: Period): boolean {
  return period.kind !== "year";
}

/** Whether a period is one of the class's own (a period without classIds is every class's). */
export function appliesTo(period: Period, classId: string): boolean {
  return period.classIds === undefined || period.classIds.includes(classId);
}

/** The shortest term of the class that contains `date` (a quarter before a semester), if any. */
export function termOf(periods: readonly Period[], date: string, classId?: string): Period | undefined {
  let best: Period | undefined;
  for (const p of periods) {
    if (!isTerm(p) || date < p.start || date > p.end) continue;
    if (classId !== undefined && !appliesTo(p, classId)) continue;
    if (!best || spanOf(p) < spanOf(best) || (spanOf(p) === spanOf(best) && p.id < best.id)) best = p;
  }
  return best;
}

function spanOf(p: Period): number {
  return Date.parse(p.end) - Date.parse(p.start);
}

/** The date a mark belongs to: its work's date, else its lesson's date. */
export function markDate(
  mark: MarkRow,
  worksById: ReadonlyMap<string, WorkRow>,
  lessonsById: ReadonlyMap<string, LessonRow>,
): string | undefined {
  const work = mark.workId ? worksById.get(mark.workId) : undefined;
  if (work) return work.date;
  const lesson = mark.lessonId ? lessonsById.get(mark.lessonId) : undefined;
  return lesson?.date;
}

/** Whether a record was in the journal as of `asOf`: entered (by the platform's time) or seen by then. */
export function knownAsOf(row: { recordedAt?: string; firstSeenAt?: string }, asOf: Date): boolean {
  const at = row.recordedAt ?? row.firstSeenAt;
  return at === undefined || Date.parse(at) <= asOf.getTime();
}

/**
 * Each class's pupils over time. The store's enrollments when it has them (a pupil first seen in a
 * class on a later sync is counted from that day: when they joined before it is not known, and no
 * one is owed marks for days before they are known to be there), else the persons' current class.
 */
export function classRosters(
  persons: readonly Person[],
  enrollments: readonly Enrollment[],
): Map<string, Enrollment[]> {
  const out = new Map<string, Enrollment[]>();
  const add = (e: Enrollment) => {
    const list = out.get(e.classId) ?? [];
    list.push(e);
    out.set(e.classId, list);
  };
  const enrolled = new Set(enrollments.map((e) => e.studentId));
  const students = new Set(persons.filter((p) => p.role === "student").map((p) => p.id));
  for (const e of enrollments) if (students.has(e.studentId)) add(e);
  for (const p of persons) {
    if (p.role === "student" && p.classId && !enrolled.has(p.id))
      add({ studentId: p.id, classId: p.classId });
  }
  return out;
}

/** The part of [start, end] a pupil was known to be in the class, or null when none. */
export function enrolledWithin(
  e: Enrollment,
  span: { start: string; end: string },
): { start: string; end: string } | null {
  const start = e.from !== undefined && e.from > span.start ? e.from : span.start;
  // `to` is the day a sync no longer saw the pupil there: the last day known is the one before.
  const end = e.to !== undefined && addDays(e.to, -1) < span.end ? addDays(e.to, -1) : span.end;
  return start <= end ? { start, end } : null;
}

/** A mark's value as a number 1–5, or null for a code (н/а, осв, зч, нз). */
export function numericMark(value: MarkRow["value"]): number | null {
  if (typeof value === "number") return value;
  return /^[1-5]$/.test(value) ? Number(value) : null;
}

/** «7Б», or the id when the class is unknown. */
export function classLabel(
  classesById: ReadonlyMap<string, SchoolClass>,
  classId: string | undefined,
): string {
  const c = classId ? classesById.get(classId) : undefined;
  return c ? `${c.grade}${c.letter}` : (classId ?? "?");
}

export function subjectLabel(subjectsById: ReadonlyMap<string, Subject>, subjectId: string): string {
  return subjectsById.get(subjectId)?.name ?? subjectId;
}

/** The first person (by id) with one of the roles, in the order the roles are given. */
export function firstWithRole(persons: readonly Person[], roles: readonly Person["role"][]): string | null {
  for (const role of roles) {
    const ids = persons.filter((p) => p.role === role).map((p) => p.id);
    if (ids.length > 0) return ids.sort()[0];
  }
  return null;
}

/** A mark, work or record as the evidence helper judges it: present, with its times. */
export function entryOf(
  row: {
    recordedAt?: string;
    recordedOn?: string;
    firstSeenAt: string;
    lastAbsentAt?: string;
  },
  zone?: string,
): EntryEvidence {
  const entry: EntryEvidence = { present: true, firstSeenAt: row.firstSeenAt };
  if (row.recordedAt !== undefined) entry.recordedAt = row.recordedAt;
  else if (row.recordedOn !== undefined && zone !== undefined) {
    const from = DateTime.fromISO(row.recordedOn, { zone }).startOf("day");
    entry.recordedOn = { date: row.recordedOn, from: from.toISO()!, to: from.plus({ days: 1 }).toISO()! };
  }
  if (row.lastAbsentAt !== undefined) entry.lastAbsentAt = row.lastAbsentAt;
  return entry;
}

/** Of several entries due by one deadline, the proof of the first one entered late (null: none proven). */
export function earliestLate(
  entries: readonly EntryEvidence[],
  deadline: Date,
  lastFullReadAt: string | null,
  asOf: Date,
): Evidence | null {
  let best: { at: number; evidence: Evidence } | null = null;
  for (const e of entries) {
    const verdict = judgeEntry(deadline, e, lastFullReadAt, asOf);
    if (verdict.status !== "late") continue;
    const at = Date.parse(enteredAt(e) ?? "") || Number.POSITIVE_INFINITY;
    if (!best || at < best.at) best = { at, evidence: verdict.evidence };
  }
  return best?.evidence ?? null;
}

export type MissingEvidence = Extract<Evidence, { kind: "missing" }>;

/** The proof that an entry due by `deadline` is still missing (a full read after it lacked it). */
export function missingProof(
  deadline: Date,
  lastFullReadAt: string | null,
  asOf: Date,
): MissingEvidence | null {
  const verdict = judgeEntry(deadline, { present: false }, lastFullReadAt, asOf);
  return verdict.status === "missing" && verdict.evidence.kind === "missing" ? verdict.evidence : null;
}

const weekStarts = new Map<string, string>();

/** The Monday of a date's ISO week. */
export function weekStartOf(date: string): string {
  let w = weekStarts.get(date);
  if (w === undefined) {
    w = addDays(date, 1 - isoWeekday(date));
    // A pure function of the day: a school year has a few hundred, bounded in case of odd input.
    if (weekStarts.size > 100_000) weekStarts.clear();
    weekStarts.set(date, w);
  }
  return w;
}

/** Per class, the subjects it had lessons of in the period and those lessons. */
export function classSubjectsIn(
  lessons: readonly LessonRow[],
  period: Pick<Period, "start" | "end">,
): Map<string, Map<string, LessonRow[]>> {
  const out = new Map<string, Map<string, LessonRow[]>>();
  for (const l of lessons) {
    if (l.date < period.start || l.date > period.end) continue;
    let subjects = out.get(l.classId);
    if (!subjects) {
      subjects = new Map();
      out.set(l.classId, subjects);
    }
    const list = subjects.get(l.subjectId) ?? [];
    list.push(l);
    subjects.set(l.subjectId, list);
  }
  return out;
}

/**
 * A subject's weekly load in a class: the most frequent number of its lessons in the weeks the class
 * had any lesson (holiday weeks with fewer lessons do not lower it; ties go to the larger number).
 */
export function weeklyHours(subjectLessons: readonly LessonRow[], classWeeks: ReadonlySet<string>): number {
  const perWeek = new Map<string, number>();
  for (const w of classWeeks) perWeek.set(w, 0);
  for (const l of subjectLessons) {
    const w = weekStartOf(l.date);
    perWeek.set(w, (perWeek.get(w) ?? 0) + 1);
  }
  const frequency = new Map<number, number>();
  for (const n of perWeek.values()) frequency.set(n, (frequency.get(n) ?? 0) + 1);
  let best = 0;
  let bestFrequency = 0;
  for (const [n, f] of frequency) {
    if (f > bestFrequency || (f === bestFrequency && n > best)) {
      best = n;
      bestFrequency = f;
    }
  }
  return best;
}

/** The weeks (their Mondays) a class had any lesson in. */
export function weeksOf(classLessons: Iterable<readonly LessonRow[]>): Set<string> {
  const weeks = new Set<string>();
  for (const list of classLessons) for (const l of list) weeks.add(weekStartOf(l.date));
  return weeks;
}
