// Plain calendar functions built from a list of holidays: what the real SchoolCalendar answers,
// small enough to read in a test.
import { DateTime } from "luxon";

export function workingDays(workweek: 5 | 6, holidays: readonly string[]): (date: string) => boolean {
  const off = new Set(holidays);
  return (date) => {
    const weekday = DateTime.fromISO(date).weekday; // 1 Monday … 7 Sunday
    return weekday <= workweek && !off.has(date);
  };
}

/** Working days after `a` up to and including `b`. */
export function workingDaysBetween(
  isWorkingDay: (date: string) => boolean,
): (a: string, b: string) => number {
  return (a, b) => {
    let count = 0;
    for (let d = DateTime.fromISO(a).plus({ days: 1 }); d.toISODate()! <= b; d = d.plus({ days: 1 })) {
      if (isWorkingDay(d.toISODate()!)) count++;
    }
    return count;
  };
}
