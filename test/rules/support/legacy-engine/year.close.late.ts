// year.close.late — 001 §3.1: the administrator "ежегодно до 30 августа закрывает учебный год". A
// closed year takes no entries, so an entry of the year made after the deadline proves it was still
// open: a period mark of the year or of a term in it, a mark of a lesson or work dated in it, a
// lesson's topic, homework or attendance of it — by the platform's time or by a full read after the
// deadline that did not have it. One finding per year, proven by the first such entry.
// Not provable from the journal, so not checked: 001 §5.4 "проверены заместителем директора в срок
// до 1 июля" (the model records no check by the deputy).
import { z } from "zod";
import type { Period } from "../../../../src/model/records.ts";
import type { Rule } from "../../../../src/rules/types.ts";
import type { EntryEvidence } from "./evidence.ts";
import { byId, earliestLate, entryOf, firstWithRole, markDate } from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";

const params = z.object({
  /** The year is closed by this day ("MM-DD", that day included) of the calendar year it ends in. */
  closeBy: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected "MM-DD"')
    .default("08-30"),
});

export const rule: Rule<typeof params> = {
  id: "year.close.late",
  title: markRuleMessages.titleYearCloseLate,
  clause: "001 §3.1",
  params,
  async evaluate(ctx) {
    const { data, calendar, asOf } = ctx;
    const [periods, periodMarks, marks, works, lessons, persons] = await Promise.all([
      data.periods(),
      data.periodMarks(),
      data.marks(),
      data.works(),
      data.lessons(),
      data.persons(),
    ]);
    const admin = firstWithRole(persons, ["admin", "deputy", "director"]);
    const periodsById = byId(periods);
    const worksById = byId(works);
    const lessonsById = byId(lessons);
    const within = (y: Period, date: string | undefined) =>
      date !== undefined && date >= y.start && date <= y.end;

    for (const y of periods.filter((p) => p.kind === "year")) {
      const endYear = y.end.slice(0, 4);
      const deadline = await ctx.shiftForOutages(calendar.endOfDay(`${endYear}-${ctx.params.closeBy}`));
      if (deadline.getTime() >= asOf.getTime()) continue;
      const entries: EntryEvidence[] = [];
      for (const pm of periodMarks) {
        const p = periodsById.get(pm.periodId);
        if (p && p.start >= y.start && p.end <= y.end) entries.push(entryOf(pm));
      }
      for (const m of marks) if (within(y, markDate(m, worksById, lessonsById))) entries.push(entryOf(m));
      for (const l of lessons) {
        if (!within(y, l.date)) continue;
        entries.push({
          present: true,
          firstSeenAt: l.firstSeenAt,
          ...(l.lastAbsentAt ? { lastAbsentAt: l.lastAbsentAt } : {}),
        });
        for (const recordedAt of [l.topicRecordedAt, l.homeworkRecordedAt, l.attendanceRecordedAt]) {
          if (recordedAt) entries.push({ present: true, recordedAt, firstSeenAt: l.firstSeenAt });
        }
      }
      // Only entries proven late count; an absence proves nothing here (nothing had to be entered).
      const evidence = earliestLate(entries, deadline, null, asOf);
      if (!evidence) continue;
      ctx.report({
        entity: { kind: "school-year", key: `${y.id}|closed`, periodId: y.id },
        responsibleId: admin,
        deadline: deadline.toISOString(),
        evidence,
        message: markRuleMessages.yearNotClosed({
          year: `${y.start.slice(0, 4)}/${y.end.slice(0, 4)}`,
          deadline: markRuleMessages.deadline(deadline, calendar.timezone),
        }),
      });
    }
  },
};
