// mark.oral.late — 001 §3.5: "Оценки за устные ответы выставляют в электронный журнал в день
// проведения урока". An oral mark is a mark of a lesson without a work, or of a work of kind "oral";
// it is due by the end of the lesson's day (moved by an outage). One finding per mark.
import { z } from "zod";
import { judgeEntry } from "./evidence.ts";
import {
  byId,
  classLabel,
  entryOf,
  lessonAuthorId,
  subjectLabel,
  teacherResolver,
} from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";
import type { Rule } from "./types.ts";

const params = z.object({
  /** The lowest grade judged: marks in grade 1 are grade1.marks' concern (001 §2.10). */
  minGrade: z.number().int().min(1).max(11).default(2),
});

export const rule: Rule<typeof params> = {
  id: "mark.oral.late",
  title: markRuleMessages.titleOralLate,
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const [marks, works, lessons, classes, subjects, observation] = await Promise.all([
      data.marks(),
      data.works(),
      data.lessons(),
      data.classes(),
      data.subjects(),
      data.observation("marks"),
    ]);
    const worksById = byId(works);
    const lessonsById = byId(lessons);
    const classesById = byId(classes);
    const subjectsById = byId(subjects);
    const teacherOf = teacherResolver(lessons);

    for (const mark of marks) {
      const work = mark.workId ? worksById.get(mark.workId) : undefined;
      if (mark.workId && work?.kind !== "oral") continue;
      const lessonId = mark.lessonId ?? work?.lessonId;
      const lesson = lessonId ? lessonsById.get(lessonId) : undefined;
      const date = lesson?.date ?? work?.date;
      const classId = lesson?.classId ?? work?.classId;
      if (!date || !classId) continue;
      const grade = classesById.get(classId)?.grade;
      if (grade === undefined || grade < ctx.params.minGrade) continue;
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(date));
      const verdict = judgeEntry(deadline, entryOf(mark), observation.lastFullReadAt, asOf);
      if (verdict.status !== "late") continue;
      ctx.report({
        entity: {
          kind: "mark",
          key: mark.id,
          markId: mark.id,
          studentId: mark.studentId,
          subjectId: mark.subjectId,
          classId,
          ...(lessonId ? { lessonId } : {}),
          ...(work ? { workId: work.id } : {}),
        },
        responsibleId: lesson ? lessonAuthorId(lesson) : teacherOf(classId, mark.subjectId),
        deadline: deadline.toISOString(),
        evidence: verdict.evidence,
        message: markRuleMessages.oralLate({
          className: classLabel(classesById, classId),
          subject: subjectLabel(subjectsById, mark.subjectId),
          lessonDate: date,
          deadline: markRuleMessages.deadline(deadline, calendar.timezone),
        }),
      });
    }
  },
};
