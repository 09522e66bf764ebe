// Fast school-local time for millions of rows. Russian zones keep one UTC offset all year (no
// DST since 2014), so an instant is held as "local seconds" (the wall clock read as if it were
// UTC) and printed with the zone's fixed offset; the offset is checked, never assumed.
import { DateTime } from "luxon";

const DAY_S = 86_400;
const DATE_CACHE = new Map<number, string>();

export class LocalClock {
  readonly offsetMinutes: number;
  readonly offset: string;

  constructor(timezone: string, from: string, to: string) {
    const a = DateTime.fromISO(from, { zone: timezone }).offset;
    const b = DateTime.fromISO(to, { zone: timezone }).offset;
    if (a !== b) throw new Error(`zone ${timezone} changes its UTC offset between ${from} and ${to}`);
    this.offsetMinutes = a;
    const sign = a < 0 ? "-" : "+";
    const abs = Math.abs(a);
    this.offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  }

  /** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
  static dayOf(date: string): number {
    return (
      Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
    );
  }

  static dateOf(day: number): string {
    let date = DATE_CACHE.get(day);
    if (date === undefined) {
      date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (DATE_CACHE.size < 100_000) DATE_CACHE.set(day, date);
    }
    return date;
  }

  /** ISO weekday (1 = Monday) of a day number. */
  static weekday(day: number): number {
    return ((day + 3) % 7) + 1;
  }

  /** Local seconds of a day number and a minute of that day. */
  static at(day: number, minute: number): number {
    return day * DAY_S + minute * 60;
  }

  static dayOfLocal(localSeconds: number): number {
    return Math.floor(localSeconds / DAY_S);
  }

  /** `2025-09-01T08:33:12+03:00`. */
  iso(localSeconds: number): string {
    return `${new Date(localSeconds * 1000).toISOString().slice(0, 19)}${this.offset}`;
  }

  /** An instant (e.g. a deadline from SchoolCalendar) as local seconds, fractions kept. */
  localOf(instant: Date): number {
    return instant.getTime() / 1000 + this.offsetMinutes * 60;
  }

  /** An instant as ISO with the school's offset, milliseconds kept when present. */
  isoOf(instant: Date): string {
    const local = new Date(instant.getTime() + this.offsetMinutes * 60_000).toISOString();
    const text = local.endsWith(".000Z") ? local.slice(0, 19) : local.slice(0, 23);
    return `${text}${this.offset}`;
  }
}
