// grade1.marks — "В 1-х классах оценки, домашнее задание … не ставятся" (001 §2.10): every mark of a
// grade-1 pupil and every homework of a grade-1 lesson is a finding, dated by when it was entered.
import { z } from "zod";
import type { Evidence, Rule } from "../../../../src/rules/types.ts";
import { classLabel, indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localDate, messages, ruleTitles } from "./messages.ru.ts";

const params = z.object({
  /** Grades where marks and homework are not given. */
  grades: z.array(z.number().int().min(1).max(11)).default([1]),
});

function entryEvidence(
  recordedAt: string | undefined,
  firstSeenAt: string | undefined,
  lastAbsentAt?: string,
): Evidence | undefined {
  if (recordedAt) return { kind: "platform-timestamp", recordedAt };
  if (firstSeenAt) return { kind: "observed", firstSeenAt, ...(lastAbsentAt ? { lastAbsentAt } : {}) };
  return undefined;
}

export const rule: Rule<typeof params> = {
  id: "grade1.marks",
  title: ruleTitles["grade1.marks"],
  clause: "001 §2.10",
  params,
  incremental: "lesson-days",
  async evaluate(ctx) {
    const { data, asOf } = ctx;
    const grades = new Set(ctx.params.grades);
    const [lessons, marks, persons, idx] = await Promise.all([
      data.lessons(),
      data.marks(),
      data.persons(),
      indexLessons(data),
    ]);
    const noMarkClasses = new Set(
      [...idx.classes.values()].filter((c) => grades.has(c.grade)).map((c) => c.id),
    );
    if (noMarkClasses.size === 0) return;
    const now = asOf.getTime();
    const classOfStudent = new Map<string, string>();
    for (const p of persons)
      if (p.role === "student" && p.classId && noMarkClasses.has(p.classId))
        classOfStudent.set(p.id, p.classId);
    const lessonById = new Map(lessons.map((l) => [l.id, l]));

    for (const m of marks) {
      const classId = classOfStudent.get(m.studentId);
      if (!classId) continue;
      const evidence = entryEvidence(m.recordedAt, m.firstSeenAt, m.lastAbsentAt);
      const at = m.recordedAt ?? m.firstSeenAt;
      if (!evidence || Date.parse(at) > now) continue;
      const lesson = m.lessonId ? lessonById.get(m.lessonId) : undefined;
      const date = lesson?.date ?? ctx.calendar.dateOf(at);
      ctx.report({
        entity: {
          kind: "mark",
          key: m.id,
          markId: m.id,
          studentId: m.studentId,
          subjectId: m.subjectId,
          classId,
          ...(m.lessonId ? { lessonId: m.lessonId } : {}),
        },
        // Whoever holds the lesson keeps its page and must remove the mark; its author only without one.
        responsibleId: lesson ? lessonAuthor(lesson) : (m.authorId ?? null),
        settledAt: null,
        deadline: new Date(at).toISOString(),
        evidence,
        message: messages.grade1Mark(
          classLabel(idx.classes.get(classId), classId),
          idx.subjectNames.get(m.subjectId) ?? m.subjectId,
          localDate(date),
        ),
      });
    }
    for (const l of lessons) {
      if (!noMarkClasses.has(l.classId) || !l.homework?.trim()) continue;
      const evidence = entryEvidence(l.homeworkRecordedAt, l.homeworkFirstSeenAt, l.homeworkLastAbsentAt);
      const at = l.homeworkRecordedAt ?? l.homeworkFirstSeenAt;
      if (!evidence || !at || Date.parse(at) > now) continue;
      ctx.report({
        entity: lessonEntity(l),
        responsibleId: lessonAuthor(l),
        deadline: new Date(at).toISOString(),
        evidence,
        settledAt: null,
        message: messages.grade1Homework(idx.label(l)),
      });
    }
  },
};
