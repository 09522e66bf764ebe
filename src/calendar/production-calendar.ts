/**
 * The Russian production calendar (производственный календарь): holidays of Labour Code
 * art. 112 plus the Government's yearly transfer decree, one JSON file a year in
 * `config/calendars/ru-<year>.json`. Only exceptions are listed; every other Saturday and
 * Sunday is a day off and every other weekday a working day.
 */
import { z } from "zod";
import { dateSchema } from "../model/records.ts";
import { isoWeekday, yearOf } from "./calendar-date.ts";
import { MissingProductionCalendarError } from "./errors.ts";

/** Art. 112 holidays (MM-DD) every year's file must list as `holiday`. */
const ART_112_HOLIDAYS = [
  "01-01",
  "01-02",
  "01-03",
  "01-04",
  "01-05",
  "01-06",
  "01-07",
  "01-08",
  "02-23",
  "03-08",
  "05-01",
  "05-09",
  "06-12",
  "11-04",
] as const;

const nonWorkingDaySchema = z.discriminatedUnion("kind", [
  /** A non-working holiday of art. 112 (whatever weekday it falls on). */
  z.strictObject({ date: dateSchema, kind: z.literal("holiday"), title: z.string().min(1) }),
  /** A day off moved here by the decree from a weekend day (`movedFrom`). */
  z.strictObject({ date: dateSchema, kind: z.literal("transfer"), movedFrom: dateSchema }),
]);

const workingWeekendDaySchema = z.strictObject({
  date: dateSchema,
  /** The weekday that became a day off in exchange, when the decree pairs them. */
  dayOffMovedTo: dateSchema.optional(),
});

export const productionCalendarYearSchema = z
  .strictObject({
    country: z.literal("ru"),
    year: z.number().int().min(1990).max(2100),
    basis: z.strictObject({
      law: z.string().min(1),
      decree: z.string().min(1),
      /** false while the decree's number and date are not checked against the official text. */
      decreeVerified: z.boolean(),
      source: z.string().min(1),
    }),
    nonWorkingDays: z.array(nonWorkingDaySchema),
    workingWeekendDays: z.array(workingWeekendDaySchema),
    /** Working days one hour shorter (art. 95), including shortened working Saturdays. */
    shortenedDays: z.array(dateSchema),
  })
  .superRefine((cal, ctx) => {
    const issue = (message: string, path: (string | number)[]) =>
      ctx.addIssue({ code: "custom", message, path });
    const seen = new Map<string, string>();
    const claim = (date: string, list: string, path: (string | number)[]) => {
      if (yearOf(date) !== cal.year) issue(`${date} is outside ${cal.year}`, path);
      const prior = seen.get(date);
      if (prior !== undefined) issue(`${date} listed in ${prior} and ${list}`, path);
      seen.set(date, list);
    };
    cal.nonWorkingDays.forEach((d, i) => {
      claim(d.date, "nonWorkingDays", ["nonWorkingDays", i, "date"]);
    });
    cal.workingWeekendDays.forEach((d, i) => {
      claim(d.date, "workingWeekendDays", ["workingWeekendDays", i, "date"]);
      if (isoWeekday(d.date) < 6)
        issue(`${d.date} is not a Saturday or Sunday`, ["workingWeekendDays", i, "date"]);
      if (d.dayOffMovedTo !== undefined) {
        const target = cal.nonWorkingDays.find((n) => n.date === d.dayOffMovedTo);
        if (target?.kind !== "transfer" || target.movedFrom !== d.date) {
          issue(`${d.dayOffMovedTo} is not a transferred day off from ${d.date}`, [
            "workingWeekendDays",
            i,
            "dayOffMovedTo",
          ]);
        }
      }
    });
    const offDates = new Set(cal.nonWorkingDays.map((d) => d.date));
    const workingWeekends = new Set(cal.workingWeekendDays.map((d) => d.date));
    cal.shortenedDays.forEach((date, i) => {
      if (yearOf(date) !== cal.year) issue(`${date} is outside ${cal.year}`, ["shortenedDays", i]);
      const working = !offDates.has(date) && (isoWeekday(date) < 6 || workingWeekends.has(date));
      if (!working) issue(`shortened day ${date} is not a working day`, ["shortenedDays", i]);
    });
    if (new Set(cal.shortenedDays).size !== cal.shortenedDays.length) {
      issue("shortenedDays has duplicates", ["shortenedDays"]);
    }
    for (const md of ART_112_HOLIDAYS) {
      const date = `${cal.year}-${md}`;
      if (!cal.nonWorkingDays.some((d) => d.date === date && d.kind === "holiday")) {
        issue(`art. 112 holiday ${date} is missing`, ["nonWorkingDays"]);
      }
    }
  });

export type ProductionCalendarYear = z.infer<typeof productionCalendarYearSchema>;
export type NonWorkingDay = ProductionCalendarYear["nonWorkingDays"][number];

/** What the national calendar says of one date, before any school override. */
export type NationalDayKind = "working" | "shortened" | "weekend" | "holiday" | "transfer";

interface YearIndex {
  readonly data: ProductionCalendarYear;
  readonly off: Map<string, NonWorkingDay>;
  readonly workingWeekends: Set<string>;
  readonly shortened: Set<string>;
}

/** The national calendar over the years it was given; a date outside them throws. */
export class ProductionCalendar {
  readonly #years = new Map<number, YearIndex>();

  constructor(years: Iterable<ProductionCalendarYear>) {
    for (const data of years) {
      if (this.#years.has(data.year)) throw new Error(`production calendar ${data.year} given twice`);
      this.#years.set(data.year, {
        data,
        off: new Map(data.nonWorkingDays.map((d) => [d.date, d])),
        workingWeekends: new Set(data.workingWeekendDays.map((d) => d.date)),
        shortened: new Set(data.shortenedDays),
      });
    }
  }

  /** Years covered, ascending. */
  get years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** The year's data as shipped (with its decree); throws MissingProductionCalendarError. */
  year(year: number): ProductionCalendarYear {
    return this.#index(year).data;
  }

  /** The national kind of a date; `weekend` is an ordinary Saturday or Sunday. */
  dayKind(date: string): NationalDayKind {
    const weekday = isoWeekday(date);
    const y = this.#index(yearOf(date));
    const off = y.off.get(date);
    if (off) return off.kind;
    if (weekday >= 6 && !y.workingWeekends.has(date)) return "weekend";
    return y.shortened.has(date) ? "shortened" : "working";
  }

  /** A holiday or transferred day off (whatever weekday). */
  isNonWorkingDay(date: string): boolean {
    return this.#index(yearOf(date)).off.has(date);
  }

  /** A Saturday or Sunday made a working day by the decree. */
  isWorkingWeekendDay(date: string): boolean {
    return this.#index(yearOf(date)).workingWeekends.has(date);
  }

  /** A pre-holiday working day one hour shorter (art. 95). */
  isShortenedDay(date: string): boolean {
    return this.#index(yearOf(date)).shortened.has(date);
  }

  /** The art. 112 holiday's Russian name, if the date is one. */
  holidayTitle(date: string): string | undefined {
    const off = this.#index(yearOf(date)).off.get(date);
    return off?.kind === "holiday" ? off.title : undefined;
  }

  /**
   * A national working day for an organisation on a five- or six-day week: Mon–Fri (or
   * Mon–Sat) unless a holiday or transferred day off; a decree's working Saturday (or Sunday)
   * works for both; an ordinary Sunday never.
   */
  isWorkingDay(date: string, workweek: 5 | 6 = 5): boolean {
    const weekday = isoWeekday(date);
    const y = this.#index(yearOf(date));
    if (y.off.has(date)) return false;
    if (y.workingWeekends.has(date)) return true;
    return weekday <= workweek;
  }

  #index(year: number): YearIndex {
    const y = this.#years.get(year);
    if (!y) throw new MissingProductionCalendarError(year);
    return y;
  }
}
