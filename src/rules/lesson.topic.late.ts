// lesson.topic.late — the topic must be in the journal on the lesson day by the set hour
// (001 §3.5: "в день проведения урока до 15.00"; 004 §2.1: on the day of the lesson).
import { z } from "zod";
import { dayTimeSchema, deadlineOn } from "./deadline-time.ts";
import { judgeEntry } from "./evidence.ts";
import { indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localTime, messages, ruleTitles } from "./messages.ru.ts";
import type { Rule } from "./types.ts";

const params = z.object({
  /** Clock time on the lesson day, or "end-of-day". */
  by: dayTimeSchema.default("15:00"),
});

export const rule: Rule<typeof params> = {
  id: "lesson.topic.late",
  title: ruleTitles["lesson.topic.late"],
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  async evaluate(ctx) {
    const { calendar, asOf, data } = ctx;
    const [lessons, idx, obs] = await Promise.all([
      data.lessons(),
      indexLessons(data),
      data.observation("lessons"),
    ]);
    const zone = calendar.timezone;
    for (const l of lessons) {
      const deadline = await ctx.shiftForOutages(deadlineOn(calendar, l.date, ctx.params.by));
      const v = judgeEntry(
        deadline,
        {
          present: Boolean(l.topic?.trim()),
          recordedAt: l.topicRecordedAt,
          firstSeenAt: l.topicFirstSeenAt,
          lastAbsentAt: l.topicLastAbsentAt,
        },
        obs.lastFullReadAt,
        asOf,
      );
      if (v.status !== "late" && v.status !== "missing") continue;
      const due = localTime(deadline, zone);
      ctx.report({
        entity: lessonEntity(l),
        responsibleId: lessonAuthor(l),
        deadline: deadline.toISOString(),
        evidence: v.evidence,
        message:
          v.status === "missing"
            ? messages.topicMissing(idx.label(l), due)
            : messages.topicLate(
                idx.label(l),
                due,
                localTime(new Date(l.topicRecordedAt ?? l.topicFirstSeenAt!), zone),
              ),
      });
    }
  },
};
