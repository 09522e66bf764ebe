// mark.oral.late — 001 §3.5: "Оценки за устные ответы выставляют в электронный журнал в день
// проведения урока". An oral mark is a mark of a lesson without a work, or of a work of kind "oral";
// it is due by the end of the lesson's day (moved by an outage). One finding per mark. A mark that
// names only its lesson's day (`lessonDate`, no lesson record) is judged by that day; who must act
// is then its author, else the class's subject teacher, and without either there is no finding.
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
  proofStreams: ["marks"],
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const [marks, works, lessons, classes, subjects, persons, observation] = await Promise.all([
      data.marks(),
      data.works(),
      data.lessons(),
      data.classes(),
      data.subjects(),
      data.persons(),
      data.observation("marks"),
    ]);
    const classOfStudent = new Map(persons.flatMap((p) => (p.classId ? [[p.id, p.classId]] : [])));
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
      // Only the day is known when the platform has no lesson record (mark.lessonDate).
      const dayOnly = !lessonId && !work ? mark.lessonDate : undefined;
      const date = lesson?.date ?? work?.date ?? dayOnly;
      const classId =
        lesson?.classId ?? work?.classId ?? (dayOnly ? classOfStudent.get(mark.studentId) : undefined);
      if (!date || !classId) continue;
      const grade = classesById.get(classId)?.grade;
      if (grade === undefined || grade < ctx.params.minGrade) continue;
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(date));
      const verdict = judgeEntry(
        deadline,
        entryOf(mark, calendar.timezone),
        observation.lastFullReadAt,
        asOf,
      );
      if (verdict.status !== "late") continue;
      const responsibleId = lesson
        ? lessonAuthorId(lesson)
        : dayOnly
          ? (mark.authorId ?? teacherOf(classId, mark.subjectId))
          : teacherOf(classId, mark.subjectId);
      if (dayOnly && !responsibleId) continue;
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
        responsibleId,
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
