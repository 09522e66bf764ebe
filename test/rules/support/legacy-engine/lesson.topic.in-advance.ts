// lesson.topic.in-advance — "Делать записи об уроках заранее запрещено" (001 §3.5): a topic entered
// before the lesson day. Proven by the platform's time of entry, or by a sync that saw it before the day.
import { z } from "zod";
import type { Evidence, Rule } from "../../../../src/rules/types.ts";
import { indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localTime, messages, ruleTitles } from "./messages.ru.ts";

const params = z.object({});

export const rule: Rule<typeof params> = {
  id: "lesson.topic.in-advance",
  title: ruleTitles["lesson.topic.in-advance"],
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  async evaluate(ctx) {
    const { calendar, asOf, data } = ctx;
    const [lessons, idx] = await Promise.all([data.lessons(), indexLessons(data)]);
    const now = asOf.getTime();
    for (const l of lessons) {
      if (!l.topic?.trim()) continue;
      const dayStart = calendar.startOfDay(l.date);
      let evidence: Evidence | undefined;
      let at: string | undefined;
      if (l.topicRecordedAt) {
        const t = Date.parse(l.topicRecordedAt);
        if (t < dayStart.getTime() && t <= now) {
          evidence = { kind: "platform-timestamp", recordedAt: l.topicRecordedAt };
          at = l.topicRecordedAt;
        }
      } else if (l.topicFirstSeenAt) {
        const t = Date.parse(l.topicFirstSeenAt);
        if (t < dayStart.getTime() && t <= now) {
          evidence = {
            kind: "observed",
            firstSeenAt: l.topicFirstSeenAt,
            ...(l.topicLastAbsentAt ? { lastAbsentAt: l.topicLastAbsentAt } : {}),
          };
          at = l.topicFirstSeenAt;
        }
      }
      if (!evidence || !at) continue;
      ctx.report({
        entity: lessonEntity(l),
        responsibleId: lessonAuthor(l),
        deadline: dayStart.toISOString(),
        evidence,
        // Nothing to fix afterwards: the breach is a fact from the lesson day on.
        settledAt: dayStart.toISOString(),
        message: messages.topicInAdvance(idx.label(l), localTime(new Date(at), calendar.timezone)),
      });
    }
  },
};
