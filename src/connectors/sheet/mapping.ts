// The mapping of a spreadsheet layout (YAML): which sheets, where the class and subject are named, the
// header rows (a month row over day numbers, or one row of dates), the pupils' rows and columns. Two
// layouts: `journal` (one class × subject a sheet, lessons across, period-mark columns after them) and
// `summary` («Сводная ведомость»: one class a sheet, subjects across, each over its period columns).
// A preset (config/sheet-presets/<name>.yaml) is a mapping; a file may start from one (`preset:`) and
// change any key.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { periodSchema, schoolSchema } from "../../model/records.ts";
import { columnNumber } from "./grid.ts";

export const SHEET_PRESETS_DIR = fileURLToPath(new URL("../../../config/sheet-presets/", import.meta.url));

export class MappingError extends Error {}

const regexSchema = z.string().refine((s) => {
  try {
    new RegExp(s, "iu");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

const columnSchema = z
  .string({ error: "expected column letters, e.g. B" })
  .regex(/^[A-Za-z]{1,3}$/, "expected column letters, e.g. B")
  .transform(columnNumber);

const cellSchema = z.string().regex(/^[A-Za-z]{1,3}\d{1,7}$/, "expected a cell address, e.g. B2");

/**
 * Where a text (the class, the subject) comes from: a fixed string, a cell, or the sheet's name (a CSV
 * file's name without extension); `pattern` picks its first capture group (or the whole match).
 */
const textSourceSchema = z.union([
  z.string().min(1),
  z.object({ cell: cellSchema, pattern: regexSchema.optional() }).strict(),
  z.object({ sheetName: z.literal(true), pattern: regexSchema.optional() }).strict(),
]);
export type TextSource = z.infer<typeof textSourceSchema>;

export const sheetMappingSchema = z
  .object({
    description: z.string().optional(),
    /** `journal` (default): a class × subject a sheet, lessons across; `summary`: a class a sheet, subjects across. */
    layout: z.enum(["journal", "summary"]).default("journal"),
    /** The school the sheets belong to; absent: the only school in the store (or `--school`). */
    school: schoolSchema.optional(),
    /** The calendar year the school year starts in (2025 for 2025/26), for dates without a year. */
    schoolYear: z.number().int().min(1990).max(2100).optional(),
    /** Sheets to read (by name); absent: every sheet. */
    sheets: z.array(z.string().min(1)).optional(),
    class: textSourceSchema,
    /** Journal layout: the sheet's subject. */
    subject: textSourceSchema.optional(),
    /** Row of month names over the day numbers (an empty cell continues the month on its left). */
    monthRow: z.number().int().min(1).optional(),
    /** Journal layout: row of the dates, or of day numbers when there is a month row. */
    dateRow: z.number().int().min(1).optional(),
    /** Summary layout: row of subject names (a name merged or continued over its period columns). */
    subjectRow: z.number().int().min(1).optional(),
    /** Summary layout: row of period headers under the subjects (I четв … год, итоговая). */
    periodRow: z.number().int().min(1).optional(),
    /** Summary layout without a period row: the one period of every column (a header like «I четв»). */
    period: textSourceSchema.optional(),
    /**
     * The school's reporting periods (the platform export has no dates): period-mark columns are read
     * into the period of their kind and number; without them such cells are quarantined.
     */
    periods: z.array(periodSchema).optional(),
    /** First row of pupils. */
    firstRow: z.number().int().min(1),
    /** Column of the pupils' names. */
    nameColumn: columnSchema,
    /** Column of the pupils' ids in the platform, when the export has one (else ids come from class and name). */
    idColumn: columnSchema.optional(),
    /** Journal layout: the first lesson column; summary layout: the first subject column. */
    firstDateColumn: columnSchema,
    lastDateColumn: columnSchema.optional(),
    /**
     * Headers of columns that are neither lessons nor period marks (averages, absence totals): skipped.
     * In the summary layout, matched against the subject row.
     */
    skipColumns: regexSchema.default("сред|ср\\.|балл|пропущ|пропуск"),
    /** A name cell matching this ends the list of pupils (a totals row). */
    stopAt: regexSchema.default("^(итого|всего|средн)"),
  })
  .strict()
  .refine((m) => m.layout !== "journal" || m.dateRow !== undefined, {
    message: "required for the journal layout",
    path: ["dateRow"],
  })
  .refine((m) => m.layout !== "journal" || m.subject !== undefined, {
    message: "required for the journal layout",
    path: ["subject"],
  })
  .refine((m) => m.layout !== "summary" || m.subjectRow !== undefined, {
    message: "required for the summary layout",
    path: ["subjectRow"],
  })
  .refine((m) => m.layout !== "summary" || m.periodRow !== undefined || m.period !== undefined, {
    message: "the summary layout needs periodRow or period",
    path: ["periodRow"],
  })
  .refine((m) => m.firstRow > Math.max(m.dateRow ?? 0, m.subjectRow ?? 0, m.periodRow ?? 0), {
    message: "firstRow must be below the header rows",
    path: ["firstRow"],
  })
  .refine((m) => m.monthRow === undefined || m.dateRow === undefined || m.monthRow < m.dateRow, {
    message: "monthRow must be above dateRow",
    path: ["monthRow"],
  })
  .refine((m) => m.lastDateColumn === undefined || m.lastDateColumn >= m.firstDateColumn, {
    message: "lastDateColumn must not be left of firstDateColumn",
    path: ["lastDateColumn"],
  });
export type SheetMapping = z.infer<typeof sheetMappingSchema>;

export function presetNames(dir = SHEET_PRESETS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -5))
    .sort();
}

function readYaml(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new MappingError(`${file}: not valid YAML (${(err as Error).message})`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw new MappingError(`${file}: expected a mapping of keys (class, subject, dateRow…)`);
  return doc as Record<string, unknown>;
}

function presetFile(name: string): string {
  const file = join(SHEET_PRESETS_DIR, `${name}.yaml`);
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file))
    throw new MappingError(`no sheet preset "${name}" (presets: ${presetNames().join(", ")})`);
  return file;
}

/** A mapping from a YAML file or a preset's name; a file's `preset:` key starts it from that preset. */
export function loadMapping(fileOrPreset: string): { mapping: SheetMapping; name: string } {
  const isFile = /\.ya?ml$/i.test(fileOrPreset) || existsSync(fileOrPreset);
  if (isFile && !existsSync(fileOrPreset)) throw new MappingError(`${fileOrPreset}: no such mapping file`);
  const file = isFile ? fileOrPreset : presetFile(fileOrPreset);
  let doc = readYaml(file);
  if (isFile && "preset" in doc) {
    const { preset, ...own } = doc;
    if (typeof preset !== "string") throw new MappingError(`${file}: key "preset": expected a preset name`);
    doc = { ...readYaml(presetFile(preset)), ...own };
  }
  const parsed = sheetMappingSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MappingError(`${file}: key "${issue.path.join(".") || "(root)"}": ${issue.message}`);
  }
  return { mapping: parsed.data, name: isFile ? basename(file) : fileOrPreset };
}
