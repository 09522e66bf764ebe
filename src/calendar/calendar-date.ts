/**
 * Arithmetic on calendar dates held as `YYYY-MM-DD` strings. Dates carry no zone: they are
 * computed in UTC so that adding a day never meets a DST jump.
 */
import { InvalidCalendarDateError } from "./errors.ts";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of the date's UTC midnight; throws on a malformed or unreal date. */
export function dateToUtcMs(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new InvalidCalendarDateError(date);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches it.
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new InvalidCalendarDateError(date);
  return ms;
}

export function utcMsToDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Throws unless `date` is a real `YYYY-MM-DD` date. */
export function assertCalendarDate(date: string): void {
  dateToUtcMs(date);
}

export function addDays(date: string, days: number): string {
  return utcMsToDate(dateToUtcMs(date) + days * DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(dateToUtcMs(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export function lastDayOfMonth(year: number, month: number): string {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`invalid year/month ${year}-${month}`);
  }
  // Day 0 of the next month is the last day of this one.
  return utcMsToDate(Date.UTC(year, month, 0));
}

export function firstDayOfMonth(year: number, month: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
}
