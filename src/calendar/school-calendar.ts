/**
 * One school's working days and clock: the national production calendar for its five- or
 * six-day week, then the school's own overrides (calendar.jsonl), and its IANA time zone for
 * turning a date and a clock time into an instant.
 */
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { type CalendarDay, calendarDaySchema } from "../model/records.ts";
import { addDays, assertCalendarDate, firstDayOfMonth, lastDayOfMonth } from "./calendar-date.ts";
import {
  ConflictingOverrideError,
  InvalidCalendarDateError,
  InvalidClockTimeError,
  InvalidTimezoneError,
} from "./errors.ts";
import type { ProductionCalendar } from "./production-calendar.ts";
import { loadProductionCalendar } from "./production-calendar-loader.ts";

export const schoolCalendarOptionsSchema = z.object({
  /** IANA zone, e.g. `Europe/Moscow`, `Asia/Vladivostok`. */
  timezone: z.string().min(1),
  workweek: z.union([z.literal(5), z.literal(6)]),
  /** The school's overrides of the national calendar (dataset `calendar.jsonl` lines). */
  overrides: z.array(calendarDaySchema).optional(),
  /**
   * Pupils' holidays (каникулы) are working time for teachers (order of the Ministry of Education
   * No. 536 of 11.05.2016 on teachers' working time, §4.1), so by default only the production
   * calendar's days off (and the school's `holiday` overrides) stop a count of working days.
   * false: a school whose own act counts vacation days as days off.
   */
  vacationIsWorkingTime: z.boolean().default(true),
});

export type SchoolCalendarOptions = z.input<typeof schoolCalendarOptionsSchema>;
export type OverrideKind = CalendarDay["kind"];

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export class SchoolCalendar {
  readonly timezone: string;
  readonly workweek: 5 | 6;
  readonly vacationIsWorkingTime: boolean;
  readonly production: ProductionCalendar;
  readonly #overrides = new Map<string, OverrideKind>();

  /** `production` defaults to the shipped `config/calendars` (loaded once). */
  constructor(options: SchoolCalendarOptions, production: ProductionCalendar = loadProductionCalendar()) {
    const parsed = schoolCalendarOptionsSchema.parse(options);
    if (!IANAZone.isValidZone(parsed.timezone)) throw new InvalidTimezoneError(parsed.timezone);
    this.timezone = parsed.timezone;
    this.workweek = parsed.workweek;
    this.vacationIsWorkingTime = parsed.vacationIsWorkingTime;
    this.production = production;
    for (const o of parsed.overrides ?? []) {
      const prior = this.#overrides.get(o.date);
      if (prior !== undefined && prior !== o.kind) throw new ConflictingOverrideError(o.date);
      this.#overrides.set(o.date, o.kind);
    }
  }

  /** The school's override of a date, if any. */
  overrideOf(date: string): OverrideKind | undefined {
    assertCalendarDate(date);
    return this.#overrides.get(date);
  }

  /** The national answer for this school's week, ignoring its overrides. */
  isNationalWorkingDay(date: string): boolean {
    return this.production.isWorkingDay(date, this.workweek);
  }

  /**
   * A working day of the school's staff, the one deadlines count: the national calendar for its
   * 5- or 6-day week, then its overrides win (holiday → off, workday → on; vacation → off only
   * when vacations are not working time). A year with no production calendar throws
   * MissingProductionCalendarError even where an override would answer, so that a missing file is
   * noticed at once.
   */
  isWorkingDay(date: string): boolean {
    const national = this.isNationalWorkingDay(date);
    const override = this.#overrides.get(date);
    if (override === "vacation" && this.vacationIsWorkingTime) return national;
    return override === undefined ? national : override === "workday";
  }

  /** A day lessons are held: a working day that is not in the pupils' holidays. */
  isSchoolDay(date: string): boolean {
    const national = this.isNationalWorkingDay(date);
    const override = this.#overrides.get(date);
    return override === undefined ? national : override === "workday";
  }

  /** A day of the school's holidays (каникулы) by its overrides. */
  isVacation(date: string): boolean {
    return this.overrideOf(date) === "vacation";
  }

  /** A national pre-holiday day one hour shorter (art. 95), when the school works on it. */
  isShortenedDay(date: string): boolean {
    return this.isWorkingDay(date) && this.production.isShortenedDay(date);
  }

  /**
   * The date `n` working days after `date` (counting only days after it); n = 0 returns
   * `date` itself, working day or not.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`addWorkingDays needs an integer n ≥ 0, got ${n}`);
    assertCalendarDate(date);
    let current = date;
    for (let left = n; left > 0; ) {
      current = addDays(current, 1);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): string {
    assertCalendarDate(date);
    let current = addDays(date, -1);
    while (!this.isWorkingDay(current)) current = addDays(current, -1);
    return current;
  }

  /**
   * The number of working days in (a, b]: 0 when a = b; negative (minus the count in (b, a])
   * when b is before a.
   */
  workingDaysBetween(a: string, b: string): number {
    assertCalendarDate(a);
    assertCalendarDate(b);
    if (b < a) return -this.workingDaysBetween(b, a);
    let count = 0;
    for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }

  /** The school days (lessons held) in [from, to], both ends included, ascending (empty if to < from). */
  schoolDaysBetween(from: string, to: string): string[] {
    assertCalendarDate(from);
    assertCalendarDate(to);
    const days: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (this.isSchoolDay(d)) days.push(d);
    return days;
  }

  /** The last school day of a month (month 1–12), or null if the school has none in it. */
  lastSchoolDayOfMonth(year: number, month: number): string | null {
    const first = firstDayOfMonth(year, month);
    for (let d = lastDayOfMonth(year, month); d >= first; d = addDays(d, -1)) {
      if (this.isSchoolDay(d)) return d;
    }
    return null;
  }

  /** The instant 23:59:59.999 of `date` in the school's zone. */
  endOfDay(date: string): Date {
    return this.#startOf(date).endOf("day").toJSDate();
  }

  /** The instant 00:00 of `date` in the school's zone. */
  startOfDay(date: string): Date {
    return this.#startOf(date).toJSDate();
  }

  /** The instant of clock time `HH:MM` on `date` in the school's zone. */
  at(date: string, time: string): Date {
    const m = CLOCK_TIME.exec(time);
    if (!m) throw new InvalidClockTimeError(time);
    return this.#startOf(date)
      .set({ hour: Number(m[1]), minute: Number(m[2]) })
      .toJSDate();
  }

  /** The school-local date `YYYY-MM-DD` of an instant (a Date or an ISO time with offset). */
  dateOf(instant: Date | string): string {
    const dt =
      typeof instant === "string"
        ? DateTime.fromISO(instant, { zone: this.timezone })
        : DateTime.fromJSDate(instant, { zone: this.timezone });
    if (!dt.isValid) throw new InvalidCalendarDateError(String(instant));
    return dt.toISODate()!;
  }

  /** The school-local date now (or at `now`). */
  today(now: Date = new Date()): string {
    return this.dateOf(now);
  }

  #startOf(date: string): DateTime {
    assertCalendarDate(date);
    return DateTime.fromISO(date, { zone: this.timezone }).startOf("day");
  }
}
