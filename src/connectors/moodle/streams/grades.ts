// Works from assignments, marks from assignment grades (value, grader, time) and from gradebook
// items (manual items named after a lesson get its lessonId, or its day when the lesson is not
// known; further columns of an assignment `assign:<id>~<k>` its workId), period marks from items
// named `period:<id>` for the configured periods. Gradebook times are gradedategraded: the platform's own entry time.
import type { Mark, PeriodMark, Work } from "../../../model/records.ts";
import type { ReadOptions } from "../../types.ts";
import {
  type ClassRef,
  groupsInAvailability,
  isValueRange,
  type MarkValue,
  markFromLabel,
  markFromNumber,
  markFromText,
  moodleIds,
  type Outcome,
  plainText,
  unixToDate,
  unixToInstant,
  workKindOf,
} from "../mapping.ts";
import type { CourseContext, CourseUser, GradebookRow, Rejection } from "../site-reader.ts";
import type { AssignGrade, GradeItem, MoodleAssignment } from "../ws-types.ts";
import { lessonDateOfItem, lessonIndex, lessonOfItem } from "./lessons.ts";
import { type Built, classOfUser, finish, inWindow, type StreamDeps } from "./shared.ts";

/** Classes an assignment is for: the course's class, or its group restriction, or all class groups. */
export async function assignmentClasses(
  deps: StreamDeps,
  ctx: CourseContext,
  cmid: number,
  signal?: AbortSignal,
): Promise<ClassRef[] | undefined> {
  if (ctx.meaning.kind === "class-subject") return undefined;
  const modules = await deps.reader.modules(ctx.course.id, signal);
  const groups = groupsInAvailability(modules.find((m) => m.cmid === cmid)?.availability);
  const restricted = groups.flatMap((g) => {
    const c = ctx.groupClasses.get(g);
    return c ? [c] : [];
  });
  const all = [...new Map([...ctx.groupClasses.values()].map((c) => [c.id, c])).values()];
  return restricted.length > 0 ? restricted : all;
}

export async function worksOf(
  deps: StreamDeps,
  ctx: CourseContext,
  options: ReadOptions,
): Promise<Built<"works">> {
  const { byCourse, rejected } = await deps.reader.assignments(options.signal);
  const tz = deps.mapping.timezone;
  const candidates: { record: Work; origin: string; raw: unknown }[] = [];
  // Site-wide warnings go with the first course's page, so that they are reported once.
  const first = ctx === (await deps.reader.courses(options.signal)).contexts[0];
  const rejections: Rejection[] = [
    ...(first ? (rejected.get(0) ?? []) : []),
    ...(rejected.get(ctx.course.id) ?? []),
  ];
  for (const a of byCourse.get(ctx.course.id) ?? []) {
    const origin = `mod_assign_get_assignments assignment=${a.id}`;
    if (!a.duedate) {
      rejections.push({
        origin,
        field: "duedate",
        reason: "assignment without a due date: the work has no date",
        raw: a,
      });
      continue;
    }
    const date = unixToDate(a.duedate, tz);
    if (!inWindow(date, options)) continue;
    const kind = workKindOf(a.name, deps.mapping);
    const subjectId = ctx.meaning.subject.id;
    const classes = await assignmentClasses(deps, ctx, a.cmid, options.signal);
    if (classes === undefined && ctx.meaning.kind === "class-subject") {
      const classId = ctx.meaning.classRef.id;
      candidates.push({
        record: { id: moodleIds.assignment(a.id), classId, subjectId, kind, date },
        origin,
        raw: a,
      });
    } else {
      for (const c of classes ?? []) {
        candidates.push({
          record: { id: moodleIds.assignment(a.id, c.id), classId: c.id, subjectId, kind, date },
          origin,
          raw: a,
        });
      }
    }
  }
  return finish("works", candidates, rejections);
}

/**
 * The work a further column of an assignment (`assign:<id>~<k>[@class]`) is for, with the id worksOf
 * gives that assignment's work; undefined for other items.
 */
export function workOfItem(
  deps: StreamDeps,
  item: GradeItem,
  ctx: CourseContext,
  student: CourseUser,
  assignmentIds: Set<number>,
): Outcome<string> | undefined {
  const m = deps.mapping.workItem.exec(item.idnumber);
  if (!m?.groups?.assignmentId) return undefined;
  const id = Number(m.groups.assignmentId);
  if (!assignmentIds.has(id)) {
    return {
      ok: false,
      field: "idnumber",
      reason: `grade item "${item.idnumber}" names assignment ${id}, which is not an assignment of this course`,
    };
  }
  if (ctx.meaning.kind === "class-subject") return { ok: true, value: moodleIds.assignment(id) };
  return { ok: true, value: moodleIds.assignment(id, m.groups.classId ?? classOfUser(ctx, student)?.id) };
}

/**
 * A gradebook value, from its label. Moodle's user report puts the outcome id in `scaleid` (null for
 * scale items) and the 1-based scale position in `graderaw`, so only `gradeformatted` tells a scale
 * entry («н/а», «5») from a number; `graderaw` is read only when the label says nothing usable and
 * the range shows a value item.
 */
export function gradeValue(item: GradeItem): Outcome<MarkValue> & { field: string } {
  const label = markFromLabel(item.gradeformatted ?? "");
  if (label) return { ...label, field: "gradeformatted" };
  if (isValueRange(item.rangeformatted) && typeof item.graderaw === "number")
    return { ...markFromNumber(item.graderaw), field: "graderaw" };
  return {
    ok: false,
    field: "gradeformatted",
    reason: `grade label "${plainText(item.gradeformatted ?? "").slice(0, 20)}" is neither a mark 1–5 nor a code н/а, осв, зч, нз, and the item may be on a scale (graderaw is then a position in it, not a mark)`,
  };
}

/**
 * An assignment grade's value. An assignment graded on a scale (`grade` < 0, minus the scale id)
 * returns the scale position ("4.00000" = the 4th entry); its label is in the assignment's gradebook row.
 */
export function assignmentValue(
  a: MoodleAssignment,
  g: AssignGrade,
  rows: GradebookRow[],
): Outcome<MarkValue> & { field: string } {
  if (a.grade === undefined || a.grade >= 0) return { ...markFromText(g.grade), field: "grade" };
  const row = rows.find(
    (r) =>
      r.userid === g.userid &&
      r.item.itemtype === "mod" &&
      r.item.itemmodule === "assign" &&
      r.item.iteminstance === a.id,
  );
  const label = row ? markFromLabel(row.item.gradeformatted ?? "") : undefined;
  if (label) return { ...label, field: "gradeformatted" };
  return {
    ok: false,
    field: "grade",
    reason: `the assignment is graded on a scale: grade "${g.grade.slice(0, 12)}" is a position in the scale, and the gradebook shows no label for it`,
  };
}

export async function marksOf(
  deps: StreamDeps,
  ctx: CourseContext,
  options: ReadOptions,
): Promise<Built<"marks">> {
  const signal = options.signal;
  const tz = deps.mapping.timezone;
  const subjectId = ctx.meaning.subject.id;
  const candidates: { record: Mark; origin: string; raw: unknown }[] = [];
  const rejections: Rejection[] = [];

  // Assignment grades: value, grader and time as the assignment module keeps them.
  const assignments = (await deps.reader.assignments(signal)).byCourse.get(ctx.course.id) ?? [];
  const book = await deps.reader.gradebook(ctx.course.id, signal);
  if (assignments.length > 0) {
    const grades = await deps.reader.assignGrades(
      assignments.map((a) => a.id),
      signal,
    );
    rejections.push(...grades.rejected);
    for (const a of assignments) {
      for (const g of grades.byAssignment.get(a.id) ?? []) {
        const origin = `mod_assign_get_grades assignment=${a.id} grade=${g.id}`;
        if (Number(g.grade) < 0) continue; // "-1.00000": not graded yet
        const student = ctx.users.get(g.userid);
        if (student?.role !== "student") {
          rejections.push({
            origin,
            field: "userid",
            reason: `user ${g.userid} is not an enrolled pupil`,
            raw: g,
          });
          continue;
        }
        const value = assignmentValue(a, g, book.rows);
        if (!value.ok) {
          rejections.push({ origin, field: value.field, reason: value.reason, raw: g });
          continue;
        }
        const classId = ctx.meaning.kind === "subject" ? classOfUser(ctx, student)?.id : undefined;
        const grader = g.grader && g.grader > 0 ? ctx.users.get(g.grader) : undefined;
        const mark: Mark = {
          id: moodleIds.assignMark(a.id, g.userid),
          studentId: student.personId,
          subjectId,
          workId: moodleIds.assignment(a.id, classId),
          value: value.value,
          recordedAt: unixToInstant(g.timemodified, tz),
          ...(grader ? { authorId: grader.personId } : {}),
        };
        candidates.push({ record: mark, origin, raw: g });
      }
    }
  }

  // Gradebook grades of manual and other items (assignment items are read above).
  rejections.push(...book.rejected);
  const lessons = (await deps.reader.hasAttendance(signal)) ? await lessonIndex(deps, signal) : undefined;
  const assignmentIds = new Set(assignments.map((a) => a.id));
  for (const { userid, item } of book.rows) {
    if (item.itemtype === "course" || item.itemtype === "category") continue;
    if (item.itemtype === "mod" && item.itemmodule === "assign") continue;
    if (deps.mapping.periodItem.test(item.idnumber)) continue;
    if (item.graderaw === null || item.graderaw === undefined) continue;
    const origin = `gradereport_user_get_grade_items course=${ctx.course.id} item=${item.id} user=${userid}`;
    const student = ctx.users.get(userid);
    if (student?.role !== "student") continue;
    const value = gradeValue(item);
    if (!value.ok) {
      rejections.push({ origin, field: value.field, reason: value.reason, raw: item });
      continue;
    }
    const work = workOfItem(deps, item, ctx, student, assignmentIds);
    if (work && !work.ok) {
      rejections.push({ origin, field: work.field, reason: work.reason, raw: item });
      continue;
    }
    const lessonId = work ? undefined : lessonOfItem(deps, item, ctx, student, lessons);
    const lessonDate = work || lessonId ? undefined : lessonDateOfItem(deps, item);
    const mark: Mark = {
      id: moodleIds.gradeMark(item.id, userid),
      studentId: student.personId,
      subjectId,
      ...(work ? { workId: work.value } : {}),
      ...(lessonId ? { lessonId } : {}),
      ...(lessonDate ? { lessonDate } : {}),
      value: value.value,
      ...(item.gradedategraded ? { recordedAt: unixToInstant(item.gradedategraded, tz) } : {}),
    };
    candidates.push({ record: mark, origin, raw: item });
  }
  return finish("marks", candidates, rejections);
}

/** Why a period mark cannot be placed: what IT staff should put in the source config. */
export function unknownPeriodReason(periodId: string, known: Set<string> | undefined): string {
  return known === undefined
    ? `period "${periodId}" cannot be placed: Moodle has no school periods; list the school's reporting periods (id, kind, number, start, end) under "periods" in this Moodle source's config`
    : `period "${periodId}" is not among the periods configured for this Moodle source; add it under "periods" in the source config`;
}

export async function periodMarksOf(
  deps: StreamDeps,
  ctx: CourseContext,
  options: ReadOptions,
): Promise<Built<"periodMarks">> {
  const book = await deps.reader.gradebook(ctx.course.id, options.signal);
  const tz = deps.mapping.timezone;
  const candidates: { record: PeriodMark; origin: string; raw: unknown }[] = [];
  const rejections: Rejection[] = [];
  for (const { userid, item } of book.rows) {
    const m = deps.mapping.periodItem.exec(item.idnumber);
    if (!m?.groups?.periodId || item.graderaw === null || item.graderaw === undefined) continue;
    const origin = `gradereport_user_get_grade_items course=${ctx.course.id} item=${item.id} user=${userid}`;
    const student = ctx.users.get(userid);
    if (student?.role !== "student") continue;
    const periodId = m.groups.periodId;
    const known = deps.mapping.periodIds;
    if (!known?.has(periodId)) {
      rejections.push({ origin, field: "idnumber", reason: unknownPeriodReason(periodId, known), raw: item });
      continue;
    }
    const value = gradeValue(item);
    if (!value.ok) {
      rejections.push({ origin, field: value.field, reason: value.reason, raw: item });
      continue;
    }
    const record: PeriodMark = {
      studentId: student.personId,
      subjectId: ctx.meaning.subject.id,
      periodId,
      value: value.value,
      ...(item.gradedategraded ? { recordedAt: unixToInstant(item.gradedategraded, tz) } : {}),
    };
    candidates.push({ record, origin, raw: item });
  }
  return finish("periodMarks", candidates, rejections);
}
