// The mapping of a spreadsheet layout (YAML): which sheets, where the class and subject are named, the
// header rows (a month row over day numbers, or one row of dates), the pupils' rows and columns. A
// preset (config/sheet-presets/<name>.yaml) is a mapping; a file may start from one (`preset:`) and
// change any key.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { schoolSchema } from "../../model/records.ts";
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
    /** The school the sheets belong to; absent: the only school in the store (or `--school`). */
    school: schoolSchema.optional(),
    /** The calendar year the school year starts in (2025 for 2025/26), for dates without a year. */
    schoolYear: z.number().int().min(1990).max(2100).optional(),
    /** Sheets to read (by name); absent: every sheet. */
    sheets: z.array(z.string().min(1)).optional(),
    class: textSourceSchema,
    subject: textSourceSchema,
    /** Row of month names over the day numbers (an empty cell continues the month on its left). */
    monthRow: z.number().int().min(1).optional(),
    /** Row of the dates, or of day numbers when there is a month row. */
    dateRow: z.number().int().min(1),
    /** First row of pupils. */
    firstRow: z.number().int().min(1),
    /** Column of the pupils' names. */
    nameColumn: columnSchema,
    /** Column of the pupils' ids in the platform, when the export has one (else ids come from class and name). */
    idColumn: columnSchema.optional(),
    firstDateColumn: columnSchema,
    lastDateColumn: columnSchema.optional(),
    /** Headers of columns that are not lessons (averages, period marks): skipped. */
    skipColumns: regexSchema.default("четв|полугод|тримест|год|итог|сред|ср\\.|балл"),
    /** A name cell matching this ends the list of pupils (a totals row). */
    stopAt: regexSchema.default("^(итого|всего|средн)"),
  })
  .strict()
  .refine((m) => m.firstRow > m.dateRow, { message: "firstRow must be below dateRow", path: ["firstRow"] })
  .refine((m) => m.monthRow === undefined || m.monthRow < m.dateRow, {
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
