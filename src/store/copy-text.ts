// Rows as PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash escapes): what a first
// load streams into a table in one statement instead of binding one array parameter per column.
import type { ColumnType } from "./entities.ts";

const SPECIAL = /[\\\t\n\r]/;

/** One field's text, escaped for COPY; null and undefined become \N. */
export function copyField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  const s = typeof v === "string" ? v : String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, escapeChar) : s;
}

function escapeChar(c: string): string {
  switch (c) {
    case "\\":
      return "\\\\";
    case "\t":
      return "\\t";
    case "\n":
      return "\\n";
    default:
      return "\\r";
  }
}

/** A text[] value as a PostgreSQL array literal (before COPY escaping): every element quoted. */
export function arrayLiteral(items: unknown[]): string {
  return `{${items.map((i) => (i === null || i === undefined ? "NULL" : `"${String(i).replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

/** A normalised record field as COPY text for a column of this type. */
export function copyValue(type: ColumnType, v: unknown): string {
  if (v === undefined || v === null) return "\\N";
  if (type === "text[]") {
    if (!Array.isArray(v)) throw new Error(`expected a list, got ${typeof v}`);
    return copyField(arrayLiteral(v));
  }
  return copyField(v as string | number);
}
