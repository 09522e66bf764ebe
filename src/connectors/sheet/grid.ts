// A sheet as the import sees it: the text of each cell (a merged cell reads as its master), the date
// of a real date cell, and A1 addresses. XLSX sheets come from exceljs, a CSV file is one sheet.
import ExcelJS from "exceljs";

export interface SheetGrid {
  /** The file's name (no folder), as quarantine origins name it. */
  file: string;
  /** The sheet's name; a CSV file's is its name without the extension. */
  name: string;
  rowCount: number;
  columnCount: number;
  /** Trimmed display text of a cell (1-based row and column); a merged cell gives its master's text. */
  text(row: number, column: number): string;
  /** `YYYY-MM-DD` when the cell (or its merge master) holds a real date. */
  date(row: number, column: number): string | undefined;
  /** The address of the merge master of a cell (itself when not merged). */
  master(row: number, column: number): { row: number; column: number };
}

/** Column letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnName(column: number): string {
  let s = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** 1-based column number of column letters: A → 1, AA → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export const cellAddress = (row: number, column: number) => `${columnName(column)}${row}`;

/** `file:sheet!D12`, the origin of a quarantined cell. */
export const cellOrigin = (grid: SheetGrid, row: number, column: number) =>
  `${grid.file}:${grid.name}!${cellAddress(row, column)}`;

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value)
      return value.richText
        .map((r) => r.text)
        .join("")
        .trim();
    if ("result" in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ("text" in value) return String(value.text).trim();
    if ("error" in value) return String(value.error);
    return "";
  }
  return String(value).trim();
}

function worksheetGrid(file: string, ws: ExcelJS.Worksheet): SheetGrid {
  const masterOf = (row: number, column: number) => {
    const cell = ws.getCell(row, column);
    const m = cell.isMerged ? cell.master : cell;
    return { row: Number(m.row), column: Number(m.col) };
  };
  const masterValue = (row: number, column: number) => {
    const m = masterOf(row, column);
    return ws.getCell(m.row, m.column).value;
  };
  return {
    file,
    name: ws.name,
    rowCount: ws.rowCount,
    columnCount: ws.columnCount,
    text: (row, column) => cellText(masterValue(row, column)),
    date: (row, column) => {
      const v = masterValue(row, column);
      return v instanceof Date ? v.toISOString().slice(0, 10) : undefined;
    },
    master: masterOf,
  };
}

export async function readXlsx(path: string, file: string): Promise<SheetGrid[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets.map((ws) => worksheetGrid(file, ws));
}

/** A CSV file's rows as one sheet (no merges, no typed cells). */
export function rowsGrid(file: string, name: string, rows: string[][]): SheetGrid {
  return {
    file,
    name,
    rowCount: rows.length,
    columnCount: Math.max(0, ...rows.map((r) => r.length)),
    text: (row, column) => (rows[row - 1]?.[column - 1] ?? "").trim(),
    date: () => undefined,
    master: (row, column) => ({ row, column }),
  };
}
