// Period-mark columns: a header like «I четв», «1 четверть», «2 триместр», «II полуг.», «Год»,
// «Годовая», «Итоговая» names a period; its cells are period marks of the period of that kind and
// number in the mapping's `periods` (a platform export carries no period dates). «Итоговая» is the
// year's mark when the sheet has no year column; beside one it is not read (the format keeps one mark
// a pupil, subject and period), and its cells are quarantined, never dropped.
import type { Period, PeriodMark } from "../../model/records.ts";
import type { RejectedRecord } from "../types.ts";
import { parseCell } from "./cell-values.ts";
import { cellOrigin, type SheetGrid } from "./grid.ts";
import { sheetReasons as msg } from "./reasons.ts";

export type PeriodHeader = { kind: Period["kind"]; number: number } | { kind: "final" };

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const KINDS: [RegExp, Period["kind"]][] = [
  [/^четв/, "quarter"],
  [/^трим/, "trimester"],
  [/^(полуг|пол$|сем)/, "semester"],
];

/** The period a column header names, or null when it names none. */
export function periodHeader(text: string): PeriodHeader | null {
  const t = text.toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").replace(/\.$/, "").trim();
  if (/^итог(овая|\.)?( (отметка|оценка))?$/.test(t)) return { kind: "final" };
  if (/^(за )?(год|годовая)( (отметка|оценка))?$/.test(t)) return { kind: "year", number: 1 };
  const m =
    /^(?:за )?([1-4]|i{1,3}|iv)\s*-?\s*(?:я |й )?([а-я.]+)$/.exec(t) ??
    /^([а-я.]+) ([1-4]|i{1,3}|iv)$/.exec(t);
  if (!m) return null;
  const [num, word] = /^[а-я]/.test(m[1]) ? [m[2], m[1]] : [m[1], m[2]];
  const number = ROMAN[num] ?? Number(num);
  const kind = KINDS.find(([re]) => re.test(word.replace(/\.$/, "")))?.[1];
  return kind ? { kind, number } : null;
}

/** Where a column's period marks go: a period id, or why they cannot be stored. */
export type PeriodTarget = { periodId: string } | { reason: string };

export function periodTarget(
  header: PeriodHeader,
  label: string,
  periods: readonly Period[] | undefined,
  hasYearColumn: boolean,
): PeriodTarget {
  if (header.kind === "final" && hasYearColumn) return { reason: msg.finalBesideYear };
  const kind = header.kind === "final" ? "year" : header.kind;
  const number = header.kind === "final" ? 1 : header.number;
  const p = periods?.find((x) => x.kind === kind && x.number === number);
  return p ? { periodId: p.id } : { reason: msg.noPeriod(label) };
}

/** One period-mark cell into a period mark, or a quarantined cell (`file:sheet!cell`). */
export function readPeriodCell(
  grid: SheetGrid,
  at: { row: number; column: number },
  mark: { studentId: string; subjectId: string },
  target: PeriodTarget,
  out: { periodMarks: PeriodMark[]; rejected: RejectedRecord[] },
): void {
  const text = grid.text(at.row, at.column);
  if (text === "" || grid.master(at.row, at.column).column !== at.column) return;
  const origin = cellOrigin(grid, at.row, at.column);
  if ("reason" in target) {
    out.rejected.push({ stream: "periodMarks", origin, reason: target.reason, raw: text });
    return;
  }
  const parsed = parseCell(text);
  const entries = "entries" in parsed ? parsed.entries : [];
  const only = entries.length === 1 ? entries[0] : undefined;
  if (!only || only.kind !== "mark") {
    out.rejected.push({ stream: "periodMarks", origin, reason: msg.badPeriodMark, raw: text });
    return;
  }
  out.periodMarks.push({ ...mark, periodId: target.periodId, value: only.value });
}
