// mark.written.late — 001 §3.5: marks for written works (written, test, control, lab, practical) in
// grades 2–11 "не позднее, чем через пять рабочих дней с даты проведения работ"; 004 §2.3: "не позднее
// недели" (7 calendar days). Due by the end of the N-th (working) day after the work's date.
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
  /** How many days after the work its marks may be entered. */
  days: z.number().int().min(0).max(60).default(5),
  /** "working-days" (001: 5) or calendar "days" (004: 7). */
  unit: z.enum(["working-days", "days"]).default("working-days"),
  /** The lowest grade judged (001 §3.5: grades 2–11; 001 §2.10: no marks in grade 1). */
  minGrade: z.number().int().min(1).max(11).default(2),
  kinds: z.array(workKindSchema).default(["written", "test", "control", "lab", "practical"]),
});

export const rule: Rule<typeof params> = {
  id: "mark.written.late",
  title: markRuleMessages.titleWrittenLate,
  clause: "001 §3.5",
  params,
  async evaluate(ctx) {
    const { days, unit, minGrade, kinds } = ctx.params;
    await checkWorkMarks(ctx, {
      kinds: new Set(kinds),
      minGrade,
      dueDate: (work) =>
        unit === "days" ? addDays(work.date, days) : ctx.calendar.addWorkingDays(work.date, days),
    });
  },
};
