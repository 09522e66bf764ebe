// XLSX renderer (exceljs): one sheet per table (charts as their data), title rows above, a bold
// frozen header, real numbers and dates with Russian-friendly number formats.
import ExcelJS from "exceljs";
import { columnDigits, formatCell, formatInstant, formatLabelledValue } from "./format.ts";
import { reportMessages as msg } from "./messages.ru.ts";
import { type Column, type Report, type Row, reportTables, type Table } from "./model.ts";

const HEADER_FILL = "FFE4E9F0";
const TOTALS_FILL = "FFE9EDF2";
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/** Excel number format of a column kind (Excel shows it with the reader's decimal separator). */
function numberFormat(column: Column): string | undefined {
  const digits = columnDigits(column);
  const fraction = digits > 0 ? `.${"0".repeat(digits)}` : "";
  switch (column.kind) {
    case "int":
      return "#,##0";
    case "decimal":
      return `#,##0${fraction}`;
    case "percent":
      return `0${fraction}%`;
    case "date":
      return "dd.mm.yyyy";
    default:
      return undefined;
  }
}

/** The cell value as Excel should hold it: numbers as numbers, percent as a fraction, dates as dates. */
function cellValue(value: Row[string] | undefined, column: Column): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return column.kind === "percent" ? value / 100 : value;
  if (column.kind === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  return value;
}

/** Sheet names: ≤31 characters, none of []:*?/\, unique within the workbook. */
function sheetName(wanted: string, used: Set<string>): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, " ")
      .trim()
      .slice(0, 31) || "Лист";
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    name = base.slice(0, 31 - suffix.length) + suffix;
  }
  used.add(name.toLowerCase());
  return name;
}

/** Title, subtitle, parameters and generation time; returns the next free row number. */
function writeTitleRows(sheet: ExcelJS.Worksheet, report: Report, heading: string | undefined): number {
  let r = 1;
  const title = sheet.getCell(r++, 1);
  title.value = report.title;
  title.font = { bold: true, size: 14 };
  if (report.subtitle) sheet.getCell(r++, 1).value = report.subtitle;
  for (const p of [
    ...report.parameters,
    { label: msg.generatedAt, value: formatInstant(report.generatedAt) },
  ]) {
    const cell = sheet.getCell(r++, 1);
    cell.value = `${p.label}: ${formatLabelledValue(p.value)}`;
  }
  if (heading && heading !== report.title) {
    r++;
    const h = sheet.getCell(r++, 1);
    h.value = heading;
    h.font = { bold: true, size: 12 };
  }
  return r + 1;
}

function writeTable(sheet: ExcelJS.Worksheet, table: Table, startRow: number): number {
  const headerRow = sheet.getRow(startRow);
  table.columns.forEach((column, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = column.title;
    cell.font = { bold: true };
    cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: HEADER_FILL } };
    cell.border = { bottom: { style: "thin" } };
  });
  // Freeze everything down to the header so it stays visible while scrolling.
  sheet.views = [{ state: "frozen", xSplit: 0, ySplit: startRow, topLeftCell: `A${startRow + 1}` }];

  const formats = table.columns.map(numberFormat);
  let r = startRow + 1;
  const writeRow = (row: Row, bold: boolean) => {
    const excelRow = sheet.getRow(r++);
    table.columns.forEach((column, i) => {
      const cell = excelRow.getCell(i + 1);
      cell.value = cellValue(row[column.key], column);
      const format = formats[i];
      if (format && typeof row[column.key] !== "string") cell.numFmt = format;
      else if (format && column.kind === "date") cell.numFmt = format;
      if (column.kind === "text") cell.alignment = { vertical: "top", wrapText: true };
      if (bold) {
        cell.font = { bold: true };
        cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: TOTALS_FILL } };
        cell.border = { top: { style: "thin" } };
      }
    });
  };
  for (const row of table.rows) writeRow(row, false);
  if (table.totalsRow) writeRow(table.totalsRow, true);

  // Widths from content (in characters), capped so long text wraps instead of a huge column.
  table.columns.forEach((column, i) => {
    let widest = Math.max(
      ...column.title.split(/\s+/).map((w) => w.length),
      Math.min(column.title.length, 16),
    );
    const rows = table.totalsRow ? [...table.rows, table.totalsRow] : table.rows;
    for (const row of rows.length > 2000 ? rows.slice(0, 2000) : rows) {
      const text = formatCell(row[column.key], column, { grouping: true, percentSign: true });
      widest = Math.max(widest, ...text.split("\n").map((l) => l.length));
    }
    sheet.getColumn(i + 1).width = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, widest + 2));
  });
  return r;
}

/** Renders a report as an XLSX workbook. */
export async function renderXlsx(report: Report): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "reglament";
  workbook.title = report.title;
  workbook.created = new Date(report.generatedAt);
  const used = new Set<string>();
  const tables = reportTables(report, msg.category);

  // Text that belongs to no table (paragraphs, section totals) goes to a summary sheet first.
  const hasLooseText = report.sections.some((s) => s.paragraphs?.length || s.totals?.length);
  if (hasLooseText || tables.length === 0) {
    const sheet = workbook.addWorksheet(sheetName(msg.sheetSummary, used));
    let r = writeTitleRows(sheet, report, undefined);
    for (const section of report.sections) {
      if (!section.paragraphs?.length && !section.totals?.length) continue;
      if (section.heading) {
        const h = sheet.getCell(r++, 1);
        h.value = section.heading;
        h.font = { bold: true, size: 12 };
      }
      for (const text of section.paragraphs ?? []) {
        const cell = sheet.getCell(r++, 1);
        cell.value = text;
        cell.alignment = { wrapText: true, vertical: "top" };
      }
      for (const t of section.totals ?? []) {
        const label = sheet.getCell(r, 1);
        label.value = t.label;
        label.font = { bold: true };
        sheet.getCell(r++, 2).value = t.value;
      }
      r++;
    }
    sheet.getColumn(1).width = 80;
    sheet.getColumn(2).width = 16;
  }

  tables.forEach((ref, i) => {
    const sheet = workbook.addWorksheet(sheetName(ref.name ?? msg.table(i + 1), used));
    const start = writeTitleRows(sheet, report, ref.name);
    writeTable(sheet, ref.table, start);
  });

  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}
