// What the work-mark rules share (written, external, intermediate and final attestation): a work's
// marks are due by the end of one day; one finding per work, proven by the first mark entered late,
// or by a full read after the deadline that showed no mark of the work at all.
import type { Period, WorkKind } from "../model/records.ts";
import {
  byId,
  classLabel,
  earliestLate,
  entryOf,
  missingProof,
  subjectLabel,
  teacherResolver,
  workResponsible,
} from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";
import type { MarkRow, RuleContext, WorkRow } from "./types.ts";

export interface WorkMarksCheck {
  kinds: ReadonlySet<WorkKind>;
  /** Classes below this grade are not judged (001 §3.5: written work in grades 2–11). */
  minGrade: number;
  /** The last day the work's marks may be entered, or null when the work sets no deadline yet. */
  dueDate(work: WorkRow, periods: readonly Period[]): string | null;
}

export async function checkWorkMarks<P>(ctx: RuleContext<P>, check: WorkMarksCheck): Promise<void> {
  const { data, calendar, asOf } = ctx;
  const [works, marks, lessons, classes, subjects, periods, observation] = await Promise.all([
    data.works(),
    data.marks(),
    data.lessons(),
    data.classes(),
    data.subjects(),
    data.periods(),
    data.observation("marks"),
  ]);
  const classesById = byId(classes);
  const subjectsById = byId(subjects);
  const lessonsById = byId(lessons);
  const teacherOf = teacherResolver(lessons);
  const marksOfWork = new Map<string, MarkRow[]>();
  for (const m of marks) {
    if (!m.workId) continue;
    const list = marksOfWork.get(m.workId) ?? [];
    list.push(m);
    marksOfWork.set(m.workId, list);
  }

  for (const work of works) {
    if (!check.kinds.has(work.kind)) continue;
    const grade = classesById.get(work.classId)?.grade;
    if (grade === undefined || grade < check.minGrade) continue;
    const due = check.dueDate(work, periods);
    if (due === null) continue;
    const deadline = await ctx.shiftForOutages(calendar.endOfDay(due));
    if (deadline.getTime() >= asOf.getTime()) continue;
    const workMarks = marksOfWork.get(work.id) ?? [];
    const evidence =
      workMarks.length > 0
        ? earliestLate(
            workMarks.map((m) => entryOf(m, calendar.timezone)),
            deadline,
            observation.lastFullReadAt,
            asOf,
          )
        : missingProof(deadline, observation.lastFullReadAt, asOf);
    if (!evidence) continue;
    ctx.report({
      entity: {
        kind: "work",
        key: work.id,
        workId: work.id,
        classId: work.classId,
        subjectId: work.subjectId,
        ...(work.lessonId ? { lessonId: work.lessonId } : {}),
      },
      responsibleId: workResponsible(work, lessonsById, teacherOf),
      deadline: deadline.toISOString(),
      evidence,
      message: markRuleMessages.workMarksLate(
        {
          kind: work.kind,
          className: classLabel(classesById, work.classId),
          subject: subjectLabel(subjectsById, work.subjectId),
          workDate: work.date,
        },
        markRuleMessages.deadline(deadline, calendar.timezone),
        workMarks.length === 0,
      ),
    });
  }
}
