// Lessons of a class and subject on given ISO weekdays (1 = Monday) between two dates.
import { addDays, isoWeekday } from "../../../src/calendar/index.ts";
import type { Lesson } from "../../../src/model/records.ts";
import { lesson } from "./school.ts";

export function weekly(
  subjectId: string,
  weekdays: number[],
  from: string,
  to: string,
  more: Partial<Lesson> & { skip?: string[] } = {},
): Lesson[] {
  const { skip = [], ...rest } = more;
  const out: Lesson[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!weekdays.includes(isoWeekday(d)) || skip.includes(d)) continue;
    const classId = rest.classId ?? "5a";
    out.push(lesson(`l-${classId}-${subjectId}-${d}`, d, { subjectId, ...rest }));
  }
  return out;
}
