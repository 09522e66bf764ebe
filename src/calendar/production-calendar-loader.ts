/**
 * Reads `config/calendars/ru-<year>.json` files into a ProductionCalendar, validated, once per
 * folder (the files change only with a release).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidProductionCalendarError } from "./errors.ts";
import {
  ProductionCalendar,
  type ProductionCalendarYear,
  productionCalendarYearSchema,
} from "./production-calendar.ts";

/** The shipped folder, found from this file so it works from any working directory. */
export const DEFAULT_CALENDAR_DIR = resolve(
  fileURLToPath(new URL("../../config/calendars/", import.meta.url)),
);

const FILE_NAME = /^ru-(\d{4})\.json$/;
const cache = new Map<string, ProductionCalendar>();

/** Parses and validates one year's file content; `file` names it in errors. */
export function parseProductionCalendarYear(text: string, file: string): ProductionCalendarYear {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidProductionCalendarError(file, `not JSON (${(err as Error).message})`);
  }
  const parsed = productionCalendarYearSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new InvalidProductionCalendarError(file, detail);
  }
  const m = FILE_NAME.exec(basename(file));
  if (m && Number(m[1]) !== parsed.data.year) {
    throw new InvalidProductionCalendarError(
      file,
      `file name says ${m[1]} but the data is for ${parsed.data.year}`,
    );
  }
  return parsed.data;
}

/**
 * All `ru-<year>.json` in `dir` (default: the shipped `config/calendars`; a relative path is
 * taken from the working directory). Cached per folder; `{ reload: true }` reads again.
 */
export function loadProductionCalendar(dir?: string, options: { reload?: boolean } = {}): ProductionCalendar {
  const folder = resolve(dir ?? DEFAULT_CALENDAR_DIR);
  const cached = cache.get(folder);
  if (cached && !options.reload) return cached;
  const files = readdirSync(folder)
    .filter((f) => FILE_NAME.test(f))
    .sort();
  const years = files.map((f) => {
    const path = join(folder, f);
    return parseProductionCalendarYear(readFileSync(path, "utf8"), path);
  });
  const calendar = new ProductionCalendar(years);
  cache.set(folder, calendar);
  return calendar;
}
