// Russian text forms of report values (decimal comma, ДД.ММ.ГГГГ). Shared by the text renderers;
// XLSX writes real numbers and dates and uses these only to size columns.
import type { CellValue, Column } from "./model.ts";

export const DEFAULT_DIGITS = { decimal: 2, percent: 1 } as const;

export function columnDigits(column: Column): number {
  if (column.digits !== undefined) return column.digits;
  if (column.kind === "decimal") return DEFAULT_DIGITS.decimal;
  if (column.kind === "percent") return DEFAULT_DIGITS.percent;
  return 0;
}

/** 4.256 → "4,26"; with grouping 12345 → "12 345" (no-break space between thousands). */
export function formatNumber(value: number, digits: number, grouping = false): string {
  const fixed = Math.abs(value).toFixed(digits);
  const [whole, fraction] = fixed.split(".");
  const grouped = grouping ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") : whole;
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + grouped + (fraction ? `,${fraction}` : "");
}

/** "2026-11-25" → "25.11.2026"; anything else is returned unchanged. */
export function formatDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : value;
}

/** "2026-11-25T13:05:00+03:00" → "25.11.2026 13:05", the wall time of the offset it carries. */
export function formatInstant(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : value;
}

export interface CellTextOptions {
  /** Group thousands (for print). */
  grouping?: boolean;
  /** Append " %" to percent values (for print; CSV keeps the bare number). */
  percentSign?: boolean;
}

/** The text of one cell as a Russian reader expects it; null → "". */
export function formatCell(
  value: CellValue | undefined,
  column: Column,
  options: CellTextOptions = {},
): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return column.kind === "date" ? formatDate(value) : value;
  switch (column.kind) {
    case "int":
      return formatNumber(value, 0, options.grouping);
    case "decimal":
      return formatNumber(value, columnDigits(column), options.grouping);
    case "percent":
      return (
        formatNumber(value, columnDigits(column), options.grouping) + (options.percentSign ? "\u00a0%" : "")
      );
    default:
      return String(value).replace(".", ",");
  }
}

/** A labelled value (parameters, section totals) as text. */
export function formatLabelledValue(value: string | number): string {
  if (typeof value === "string") return value;
  return Number.isInteger(value) ? formatNumber(value, 0) : formatNumber(value, 2);
}
