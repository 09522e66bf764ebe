// Dates as Russian journals write them: 17.09.2025, 17.09.25, 17.09 (year from the school year),
// «17 сен», «17 сентября», a month name over day numbers, or a real date cell of a workbook.
import { dateSchema } from "../../model/records.ts";

/** Month number (1–12) of a Russian month name or abbreviation (сен, сент., сентябрь, сентября), or null. */
export function monthOf(text: string): number | null {
  const t = text.trim().toLowerCase().replace(/ё/g, "е").replace(/\.$/, "");
  if (!/^[а-я]+$/.test(t)) return null;
  const stems: [string, number][] = [
    ["янв", 1],
    ["фев", 2],
    ["мар", 3],
    ["апр", 4],
    ["май", 5],
    ["мая", 5],
    ["июн", 6],
    ["июл", 7],
    ["авг", 8],
    ["сен", 9],
    ["окт", 10],
    ["ноя", 11],
    ["дек", 12],
  ];
  for (const [stem, n] of stems) if (t.startsWith(stem)) return n;
  return null;
}

/** The calendar year a month falls in, within the school year that starts on 1 September of `startYear`. */
export const yearOfMonth = (month: number, startYear: number): number =>
  month >= 9 ? startYear : startYear + 1;

/** The school year (its starting calendar year) an instant falls in: September–August. */
export function schoolYearOf(at: Date): number {
  return at.getUTCMonth() + 1 >= 9 ? at.getUTCFullYear() : at.getUTCFullYear() - 1;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD` when it is a real calendar date, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  const s = `${year}-${pad(month)}-${pad(day)}`;
  return dateSchema.safeParse(s).success ? s : null;
}

const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * A date header's text as `YYYY-MM-DD`, or null when it is not a date. A day and month without a year
 * take it from the school year starting in `startYear` (September–December: that year, else the next).
 */
export function parseRussianDate(text: string, startYear: number): string | null {
  const t = text.trim().toLowerCase();
  let m = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$/.exec(t);
  if (m) {
    const month = Number(m[2]);
    const year = m[3] ? fullYear(m[3]) : yearOfMonth(month, startYear);
    return isoDate(year, month, Number(m[1]));
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[\s.-]*([а-яё]+)\.?(?:[\s.-]*(\d{2}|\d{4}))?(?:\s*г\.?)?$/.exec(t);
  if (m) {
    const month = monthOf(m[2]);
    if (month === null) return null;
    const year = m[3] ? fullYear(m[3]) : yearOfMonth(month, startYear);
    return isoDate(year, month, Number(m[1]));
  }
  return null;
}
