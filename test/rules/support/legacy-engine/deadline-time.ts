// A deadline on a lesson's day given as a clock time or as the end of that day.
import { z } from "zod";
import type { SchoolCalendar } from "../../../../src/calendar/index.ts";

export const dayTimeSchema = z.union([
  z.literal("end-of-day"),
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected "HH:MM" or "end-of-day"'),
]);
export type DayTime = z.infer<typeof dayTimeSchema>;

export function deadlineOn(calendar: SchoolCalendar, date: string, by: DayTime): Date {
  return by === "end-of-day" ? calendar.endOfDay(date) : calendar.at(date, by);
}

/** "HH:MM" plus minutes, or null when it passes midnight. */
export function addMinutes(time: string, minutes: number): string | null {
  const total = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes;
  if (total >= 24 * 60) return null;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}
