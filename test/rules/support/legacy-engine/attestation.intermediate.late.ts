// attestation.intermediate.late — 001 §3.5: intermediate attestation results "не позднее чем за два
// рабочих дня до окончания четверти". Due by the end of the working day that lies N working days
// before the term's last working day (a term may end on a Saturday or a holiday: its last working day
// is the one before), in the class's own term (the shortest quarter/trimester/semester of its class
// that the work was held in).
// Working days are teachers' (SchoolCalendar.isWorkingDay): pupils' holidays count, being working time
// for teachers (order No. 536 of 11.05.2016, section IV); preset `calendar.vacationIsWorkingTime: false`
// makes them days off.
import { z } from "zod";
import { workKindSchema } from "../../../../src/model/records.ts";
import type { Rule } from "../../../../src/rules/types.ts";
import { termOf } from "./journal-lookup.ts";
import { markRuleMessages } from "./mark-messages.ru.ts";
import { checkWorkMarks } from "./work-marks.ts";

const params = z.object({
  workingDaysBeforeEnd: z.number().int().min(0).max(30).default(2),
  minGrade: z.number().int().min(1).max(11).default(2),
  kinds: z.array(workKindSchema).default(["intermediate"]),
});

export const rule: Rule<typeof params> = {
  id: "attestation.intermediate.late",
  title: markRuleMessages.titleIntermediateLate,
  clause: "001 §3.5",
  params,
  async evaluate(ctx) {
    const { workingDaysBeforeEnd, minGrade, kinds } = ctx.params;
    await checkWorkMarks(ctx, {
      kinds: new Set(kinds),
      minGrade,
      dueDate: (work, periods) => {
        const term = termOf(periods, work.date, work.classId);
        if (!term) return null;
        const end = term.end;
        let due = ctx.calendar.isWorkingDay(end) ? end : ctx.calendar.previousWorkingDay(end);
        for (let i = 0; i < workingDaysBeforeEnd; i++) due = ctx.calendar.previousWorkingDay(due);
        return due;
      },
    });
  },
};
