// lesson.topic.late — the topic must be in the journal on the lesson day by the set hour
// (001 §3.5: "в день проведения урока до 15.00"; 004 §2.1: on the day of the lesson). A lesson that
// ends after that hour (the second shift) cannot be written up by it: it is due by `afterLateLesson`
// (default the end of its day, still "в день проведения урока"), and never before it has ended.
import { z } from "zod";
import type { SchoolCalendar } from "../calendar/index.ts";
import { type DayTime, dayTimeSchema, deadlineOn } from "./deadline-time.ts";
import { judgeEntry } from "./evidence.ts";
import { indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localTime, messages, ruleTitles } from "./messages.ru.ts";
import type { LessonRow, Rule } from "./types.ts";

const params = z.object({
  /** Clock time on the lesson day, or "end-of-day". */
  by: dayTimeSchema.default("15:00"),
  /** The deadline of a lesson that ends after `by` (second shift); never earlier than its end. */
  afterLateLesson: dayTimeSchema.default("end-of-day"),
});

/** The topic deadline of a lesson before any outage shift: `by`, unless the lesson ends after it. */
export function topicDeadline(
  calendar: SchoolCalendar,
  lesson: Pick<LessonRow, "date" | "end">,
  by: DayTime,
  afterLateLesson: DayTime,
): Date {
  const cutoff = deadlineOn(calendar, lesson.date, by);
  const ends = calendar.at(lesson.date, lesson.end);
  if (ends.getTime() <= cutoff.getTime()) return cutoff;
  const late = deadlineOn(calendar, lesson.date, afterLateLesson);
  return late.getTime() >= ends.getTime() ? late : calendar.endOfDay(lesson.date);
}

export const rule: Rule<typeof params> = {
  id: "lesson.topic.late",
  title: ruleTitles["lesson.topic.late"],
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  proofStreams: ["lessons"],
  async evaluate(ctx) {
    const { calendar, asOf, data } = ctx;
    const [lessons, idx, obs] = await Promise.all([
      data.lessons(),
      indexLessons(data),
      data.observation("lessons"),
    ]);
    const zone = calendar.timezone;
    for (const l of lessons) {
      const deadline = await ctx.shiftForOutages(
        topicDeadline(calendar, l, ctx.params.by, ctx.params.afterLateLesson),
      );
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
