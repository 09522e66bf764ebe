// What a journal cell can hold: marks 1–5, the codes н/а, осв, зч, нз (marks in the canonical model),
// and attendance codes (н — absent, б — ill, у — excused, оп — late). Two entries in one cell
// (a double mark, «н 5») are separated by spaces, commas or semicolons.
import type { Mark } from "../../model/records.ts";

export type MarkValue = Extract<Mark["value"], string>;
export type AttendanceCode = "absent" | "ill" | "excused" | "late";

export type CellEntry = { kind: "mark"; value: MarkValue } | { kind: "attendance"; status: AttendanceCode };

const MARKS: Record<string, MarkValue> = {
  "1": "1",
  "2": "2",
  "3": "3",
  "4": "4",
  "5": "5",
  "н/а": "н/а",
  "н\\а": "н/а",
  на: "н/а",
  осв: "осв",
  зч: "зч",
  зач: "зч",
  зачет: "зч",
  нз: "нз",
  незач: "нз",
  незачет: "нз",
};

const ATTENDANCE: Record<string, AttendanceCode> = {
  н: "absent",
  нб: "absent",
  б: "ill",
  у: "excused",
  оп: "late",
};

/** The entries of a cell, or the token that is neither a mark nor a code. Empty cells have none. */
export function parseCell(text: string): { entries: CellEntry[] } | { bad: string } {
  const entries: CellEntry[] = [];
  for (const raw of text.trim().split(/[\s,;]+/)) {
    if (raw === "") continue;
    const token = raw.toLowerCase().replace(/ё/g, "е").replace(/\.$/, "");
    const mark = MARKS[token];
    if (mark) {
      entries.push({ kind: "mark", value: mark });
      continue;
    }
    const status = ATTENDANCE[token];
    if (status) {
      entries.push({ kind: "attendance", status });
      continue;
    }
    return { bad: raw };
  }
  return { entries };
}
