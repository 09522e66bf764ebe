// homework.late — homework goes in on the lesson day, at most an hour after the end of the class's
// last lesson that day (001 §3.5); 004 §2.2 asks only for the lesson day. Only homework that was set
// can be late: a lesson without homework is not a finding. Grade 1 has none (grade1.marks).
import { z } from "zod";
import { addMinutes } from "./deadline-time.ts";
import { judgeEntry } from "./evidence.ts";
import { indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localTime, messages, ruleTitles } from "./messages.ru.ts";
import type { Rule } from "./types.ts";

const params = z.object({
  /** "after-last-lesson": minutes after the class's last lesson ends; "end-of-day": by midnight. */
  by: z.enum(["after-last-lesson", "end-of-day"]).default("after-last-lesson"),
  minutesAfterLastLesson: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(60),
});

export const rule: Rule<typeof params> = {
  id: "homework.late",
  title: ruleTitles["homework.late"],
  clause: "001 §3.5",
  params,
  incremental: "lesson-days",
  proofStreams: ["lessons"],
  async evaluate(ctx) {
    const { calendar, asOf, data, params: p } = ctx;
    const [lessons, idx, obs] = await Promise.all([
      data.lessons(),
      indexLessons(data),
      data.observation("lessons"),
    ]);
    for (const l of lessons) {
      if (!l.homework?.trim()) continue;
      if (idx.classes.get(l.classId)?.grade === 1) continue;
      let base = calendar.endOfDay(l.date);
      if (p.by === "after-last-lesson") {
        const time = addMinutes(idx.lastEnd.get(`${l.classId}|${l.date}`) ?? l.end, p.minutesAfterLastLesson);
        if (time) base = calendar.at(l.date, time);
      }
      const deadline = await ctx.shiftForOutages(base);
      const v = judgeEntry(
        deadline,
        {
          present: true,
          recordedAt: l.homeworkRecordedAt,
          firstSeenAt: l.homeworkFirstSeenAt,
          lastAbsentAt: l.homeworkLastAbsentAt,
        },
        obs.lastFullReadAt,
        asOf,
      );
      if (v.status !== "late") continue;
      ctx.report({
        entity: lessonEntity(l),
        responsibleId: lessonAuthor(l),
        deadline: deadline.toISOString(),
        evidence: v.evidence,
        message: messages.homeworkLate(
          idx.label(l),
          localTime(deadline, calendar.timezone),
          localTime(new Date(l.homeworkRecordedAt ?? l.homeworkFirstSeenAt!), calendar.timezone),
        ),
      });
    }
  },
};
