// mark.external.late — 001 §3.5: marks for regional and federal written works "не позднее следующего
// рабочего дня с даты объявления результатов". Due by the end of the working day after
// `resultsAnnouncedOn`; a work whose results are not announced yet sets no deadline.
// Working days are teachers' (SchoolCalendar.isWorkingDay): pupils' holidays count, being working time
// for teachers (order No. 536 of 11.05.2016, section IV); preset `calendar.vacationIsWorkingTime: false`
// makes them days off.
import { z } from "zod";
import { addDays } from "../../../../src/calendar/index.ts";
import { workKindSchema } from "../../../../src/model/records.ts";
import type { Rule } from "../../../../src/rules/types.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";
import { checkWorkMarks } from "./work-marks.ts";

const params = z.object({
  days: z.number().int().min(0).max(30).default(1),
  unit: z.enum(["working-days", "days"]).default("working-days"),
  minGrade: z.number().int().min(1).max(11).default(2),
  kinds: z.array(workKindSchema).default(["regional", "federal"]),
});

export const rule: Rule<typeof params> = {
  id: "mark.external.late",
  title: markRuleMessages.titleExternalLate,
  clause: "001 §3.5",
  params,
  async evaluate(ctx) {
    const { days, unit, minGrade, kinds } = ctx.params;
    await checkWorkMarks(ctx, {
      kinds: new Set(kinds),
      minGrade,
      dueDate: (work) => {
        const announced = work.resultsAnnouncedOn;
        if (!announced) return null;
        return unit === "days" ? addDays(announced, days) : ctx.calendar.addWorkingDays(announced, days);
      },
    });
  },
};
