// Journal spreadsheets built in the test (no binary blobs): XLSX through exceljs with merged headers,
// CSV in UTF-8 or windows-1251.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";

export interface Pupil {
  name: string;
  /** One cell a lesson column, in the order of the columns ("" = empty). */
  cells: string[];
}

/** A class × subject sheet with a month row (merged over its days) above day numbers. */
export interface MonthDaysSheet {
  name: string;
  /** Month names over their day numbers (or any header merged over sub-headers). */
  months: { name: string; days: (number | string)[] }[];
  pupils: Pupil[];
  /** Headers right of the days (e.g. "I четв"), cells left empty. */
  trailing?: string[];
}

export const tempDir = () => mkdtempSync(join(tmpdir(), "reglament-sheet-"));

/** Writes an XLSX workbook of month-over-days sheets (preset journal-month-days). */
export async function writeMonthDaysXlsx(path: string, sheets: MonthDaysSheet[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.getCell(1, 1).value = "№";
    ws.getCell(1, 2).value = "ФИО";
    let c = 3;
    for (const m of s.months) {
      ws.getCell(1, c).value = m.name;
      if (m.days.length > 1) ws.mergeCells(1, c, 1, c + m.days.length - 1);
      for (const d of m.days) ws.getCell(2, c++).value = d;
    }
    for (const t of s.trailing ?? []) ws.getCell(2, c++).value = t;
    s.pupils.forEach((p, i) => {
      ws.getCell(3 + i, 1).value = i + 1;
      ws.getCell(3 + i, 2).value = p.name;
      p.cells.forEach((v, j) => {
        if (v === "") return;
        // Marks typed in Excel are numbers; codes are text.
        ws.getCell(3 + i, 3 + j).value = /^[1-5]$/.test(v) ? Number(v) : v;
      });
    });
  }
  await wb.xlsx.writeFile(path);
  return path;
}

/** A sheet with one row of date headers; `merge` spans a header over the next columns (same day). */
export interface DatesSheet {
  name: string;
  headers: (string | Date)[];
  merges?: { from: number; to: number }[];
  pupils: Pupil[];
}

export async function writeDatesXlsx(path: string, sheets: DatesSheet[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.getCell(1, 1).value = "№";
    ws.getCell(1, 2).value = "ФИО";
    s.headers.forEach((h, j) => {
      if (h !== "") ws.getCell(1, 3 + j).value = h;
    });
    for (const m of s.merges ?? []) ws.mergeCells(1, 3 + m.from, 1, 3 + m.to);
    s.pupils.forEach((p, i) => {
      ws.getCell(2 + i, 1).value = i + 1;
      ws.getCell(2 + i, 2).value = p.name;
      p.cells.forEach((v, j) => {
        if (v !== "") ws.getCell(2 + i, 3 + j).value = v;
      });
    });
  }
  await wb.xlsx.writeFile(path);
  return path;
}

/** windows-1251 bytes of a text (the table built from the platform's own decoder). */
export function encodeWindows1251(text: string): Buffer {
  const decoder = new TextDecoder("windows-1251");
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    [...text].map((ch) => {
      const b = table.get(ch);
      if (b === undefined) throw new Error(`U+${ch.codePointAt(0)?.toString(16)} has no windows-1251 byte`);
      return b;
    }),
  );
}

/** A CSV file as Russian Excel saves it: ";" separated, CRLF, quoted where needed. */
export function writeCsv(
  path: string,
  rows: string[][],
  encoding: "utf-8" | "utf-8-bom" | "windows-1251",
): string {
  const quote = (v: string) => (/[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = `${rows.map((r) => r.map(quote).join(";")).join("\r\n")}\r\n`;
  const bytes =
    encoding === "windows-1251"
      ? encodeWindows1251(text)
      : Buffer.concat([
          encoding === "utf-8-bom" ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
          Buffer.from(text),
        ]);
  writeFileSync(path, bytes);
  return path;
}

/** A «Сводная ведомость» sheet: subjects across, each merged over its period headers (preset summary-periods). */
export interface SummarySheet {
  name: string;
  subjects: { name: string; periods: string[] }[];
  /** One cell a period column, in the order of the columns ("" = empty). */
  pupils: Pupil[];
}

/** The same grid as a month row over days: a subject's name merged over its period headers. */
export function writeSummaryXlsx(path: string, sheets: SummarySheet[]): Promise<string> {
  return writeMonthDaysXlsx(
    path,
    sheets.map((s) => ({
      name: s.name,
      months: s.subjects.map((x) => ({ name: x.name, days: x.periods })),
      pupils: s.pupils,
    })),
  );
}
