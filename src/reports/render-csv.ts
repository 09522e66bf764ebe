// CSV renderer for Russian Excel: UTF-8 with BOM, ";" between fields, decimal comma, CRLF lines,
// RFC 4180 quoting. One table → just that table; several → each after a blank line and its heading.
import { formatCell } from "./format.ts";
import { reportMessages as msg } from "./messages.ru.ts";
import { type Report, reportTables, type Table } from "./model.ts";

const BOM = "\ufeff";
const SEPARATOR = ";";
const EOL = "\r\n";

/**
 * One field, quoted when it holds the separator, a quote, a line break or edge spaces. Text that
 * a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe (OWASP CSV injection).
 */
export function csvField(text: string, isText: boolean): string {
  let value = text;
  if (isText && /^[=+\-@\t\r]/.test(value)) value = `'${value}`;
  if (/[;"\r\n]|^\s|\s$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

function tableLines(table: Table): string[] {
  const lines = [table.columns.map((c) => csvField(c.title, true)).join(SEPARATOR)];
  const rows = table.totalsRow ? [...table.rows, table.totalsRow] : table.rows;
  for (const row of rows) {
    lines.push(
      table.columns
        .map((c) => {
          const value = row[c.key];
          return csvField(formatCell(value, c), typeof value === "string");
        })
        .join(SEPARATOR),
    );
  }
  return lines;
}

/** A single table as a CSV file. */
export function renderCsvTable(table: Table): Buffer {
  return Buffer.from(BOM + tableLines(table).join(EOL) + EOL, "utf8");
}

/** A whole report as one CSV file (charts as their data tables). */
export function renderCsv(report: Report): Buffer {
  const tables = reportTables(report, msg.category);
  if (tables.length === 1) return renderCsvTable(tables[0].table);
  const blocks = tables.map((ref, i) => [
    csvField(ref.name ?? msg.table(i + 1), true),
    ...tableLines(ref.table),
  ]);
  const lines = blocks.flatMap((block, i) => (i === 0 ? block : ["", ...block]));
  if (lines.length === 0) lines.push(csvField(report.title, true));
  return Buffer.from(BOM + lines.join(EOL) + EOL, "utf8");
}
