// substitution.wrong-author — "В случае замены урока соответствующие записи … делает учитель, который
// проводит замену урока" (001 §3.5): a substituted lesson whose topic or marks were entered by someone
// else. Only what the platform attributes is judged: an entry without an author proves nothing.
import { z } from "zod";
import type { Rule } from "../../../../src/rules/types.ts";
import { dayTimeSchema } from "./deadline-time.ts";
import { topicDeadline } from "./lesson.topic.late.ts";
import { indexLessons, lessonEntity } from "./lesson-index.ts";
import { messages, ruleTitles } from "./messages.ru.ts";

const params = z.object({
  /** Whether marks of the lesson are judged too (their authorId), not only the topic. */
  checkMarks: z.boolean().default(true),
  /** The deadline reported: the lesson day's topic deadline (the entries were due from the substitute then). */
  by: dayTimeSchema.default("15:00"),
  /** As lesson.topic.late: a lesson ending after `by` (second shift) is due by this, never before it ends. */
  afterLateLesson: dayTimeSchema.default("end-of-day"),
});

export const rule: Rule<typeof params> = {
  id: "substitution.wrong-author",
  title: ruleTitles["substitution.wrong-author"],
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  async evaluate(ctx) {
    const { data, asOf, calendar } = ctx;
    const [lessons, idx] = await Promise.all([data.lessons(), indexLessons(data)]);
    const substituted = lessons.filter((l) => l.substituteTeacherId);
    if (substituted.length === 0) return;
    const now = asOf.getTime();
    const wrongMarks = new Map<string, string[]>();
    if (ctx.params.checkMarks) {
      const ids = new Map(substituted.map((l) => [l.id, l.substituteTeacherId!]));
      for (const m of await data.marks()) {
        if (!m.lessonId || !m.authorId) continue;
        const sub = ids.get(m.lessonId);
        if (!sub || m.authorId === sub) continue;
        if (Date.parse(m.recordedAt ?? m.firstSeenAt) > now) continue;
        const list = wrongMarks.get(m.lessonId) ?? [];
        list.push(m.authorId);
        wrongMarks.set(m.lessonId, list);
      }
    }
    for (const l of substituted) {
      const sub = l.substituteTeacherId!;
      const topicWrong =
        l.topicAuthorId !== undefined &&
        l.topicAuthorId !== sub &&
        Boolean(l.topic?.trim()) &&
        Date.parse(l.topicRecordedAt ?? l.topicFirstSeenAt ?? l.firstSeenAt) <= now;
      const marks = wrongMarks.get(l.id) ?? [];
      if (!topicWrong && marks.length === 0) continue;
      const deadline = await ctx.shiftForOutages(
        topicDeadline(calendar, l, ctx.params.by, ctx.params.afterLateLesson),
      );
      const actual = topicWrong ? l.topicAuthorId! : marks[0];
      ctx.report({
        entity: lessonEntity(l),
        responsibleId: sub,
        deadline: deadline.toISOString(),
        evidence: {
          kind: "value",
          expected: sub,
          actual,
          basis: topicWrong ? "topicAuthorId" : "marks.authorId",
        },
        message: messages.wrongAuthor(
          idx.label(l),
          [
            topicWrong ? messages.wrongAuthorTopic : "",
            marks.length ? messages.wrongAuthorMarks(marks.length) : "",
          ]
            .filter(Boolean)
            .join(", "),
        ),
      });
    }
  },
};
