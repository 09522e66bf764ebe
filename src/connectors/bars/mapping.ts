// BARS shapes → canonical records: the ids BARS lacks, derived (documented below), strings cleaned of
// HTML and U+200B (as bars-api `SPAN_CLEANER` does), marks and codes, work types, periods.
//
// Ids. A pupil is its `person_id`; a lesson its diary `id`. A class is its `classyear` («5А» → `5А`), a
// subject its discipline name (spaces → `_`), a teacher `t-` + a hash of the name as the diary writes
// it (BARS gives teachers no id, and a name must not reach logs). A work is
// `<class>:<subject>:<date>:<kind>`. A period is `<school-year start>-<subperiod code>`.
//
// Mark key. BARS marks have no id (real-shapes.md §3.1): the key is
//   `<pupil>:<subject>:<lesson date>:<position>`
// where position (1, 2, …) is the mark's place among that pupil's marks in that discipline on that date,
// in the order GetSummaryMarks lists them (the cell of the day in «Оценки › Сводная»). The value is
// deliberately NOT in the key: a teacher correcting 4 to 5 must be an update of the same record (its
// history shows the change), not a deletion plus an insert. The limit: deleting the first of two marks
// in one cell shifts the second to position 1, which is seen as an update of mark 1 and a deletion of 2.
import { createHash } from "node:crypto";
import type { AttendanceStatus, WorkKind } from "./types.ts";

const ENTITIES: Record<string, string> = {
  nbsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  "#39": "'",
};

/** Text as a person reads it: tags removed, entities decoded, U+200B and friends gone, spaces collapsed. */
export function cleanText(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const t = value
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e] ?? "")
    .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return t === "" ? undefined : t;
}

/** «5А», «5 А», «10-Б» → grade and letter; null when the class year cannot be read. */
export function parseClassYear(value: string | null | undefined): { grade: number; letter: string } | null {
  const t = cleanText(value);
  if (!t) return null;
  const m = /^(\d{1,2})\s*[-–]?\s*([^\s\d-]{1,8})(?:\s*класс)?$/iu.exec(t);
  if (!m) return null;
  const grade = Number(m[1]);
  if (grade < 1 || grade > 11) return null;
  return { grade, letter: m[2].toUpperCase() };
}

export const barsIds = {
  classOf: (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`,
  subject: (name: string) => name.trim().replace(/\s+/g, "_"),
  teacher: (name: string) =>
    `t-${createHash("sha256").update(name.trim().replace(/\s+/g, " ").toLowerCase()).digest("hex").slice(0, 12)}`,
  mark: (pupil: string, subjectId: string, date: string, position: number) =>
    `${pupil}:${subjectId}:${date}:${position}`,
  work: (classId: string, subjectId: string, date: string, kind: string) =>
    `${classId}:${subjectId}:${date}:${kind}`,
  period: (yearStart: number, code: string) => `${yearStart}-${code.trim().replace(/\s+/g, "_")}`,
};

const CODES: Record<string, string> = {
  "н/а": "н/а",
  на: "н/а",
  осв: "осв",
  "осв.": "осв",
  зч: "зч",
  зач: "зч",
  "зач.": "зч",
  нз: "нз",
  незач: "нз",
};

/** A mark string as the journal shows it → canonical value; null when it is no mark we know. */
export function markValue(raw: string): "1" | "2" | "3" | "4" | "5" | "н/а" | "осв" | "зч" | "нз" | null {
  const t = cleanText(raw)?.toLowerCase();
  if (!t) return null;
  if (/^[1-5]$/.test(t)) return t as "1";
  const code = CODES[t];
  return (code as "н/а" | undefined) ?? null;
}

/** The school year (its 1 September's year) a date belongs to. */
export function schoolYearOf(date: string): number {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? y : y - 1;
}

/** A subperiod code («Четверть_2», «Полугодие_1», «Год») → canonical kind and number. */
export function periodKind(
  code: string,
  name: string,
): { kind: "quarter" | "semester" | "trimester" | "year"; number: number } | null {
  const t = `${code} ${name}`.toLowerCase();
  const n = /(\d)/.exec(code)?.[1] ?? /(\d)/.exec(name)?.[1];
  const number = n ? Number(n) : 1;
  if (/четверт/.test(t)) return { kind: "quarter", number };
  if (/полугод|семестр/.test(t)) return { kind: "semester", number };
  if (/триместр/.test(t)) return { kind: "trimester", number };
  if (/год/.test(t)) return { kind: "year", number: 1 };
  return null;
}

/** `08:30:00` → `08:30`; `8:30` → `08:30`. */
export function clock(value: string): string {
  const [h, m] = value.split(":");
  return `${h.padStart(2, "0")}:${m}`;
}

export function attendanceStatus(
  raw: string | null | undefined,
  codes: Record<string, AttendanceStatus>,
): AttendanceStatus | null | undefined {
  const t = cleanText(raw);
  if (!t) return undefined; // no entry: present, or not taken (absences-only)
  const found = codes[t] ?? Object.entries(codes).find(([k]) => k.toLowerCase() === t.toLowerCase())?.[1];
  return found ?? null;
}

/** The kind of a work type, or "lesson" when the mark is the lesson's own (no separate work). */
export function workKindOf(
  description: string | undefined,
  config: {
    lessonWorkTitles: string[];
    workKinds: { pattern: string; kind: WorkKind }[];
    defaultWorkKind: WorkKind;
  },
): WorkKind | "lesson" {
  if (!description) return "lesson";
  if (config.lessonWorkTitles.some((t) => t.toLowerCase() === description.toLowerCase())) return "lesson";
  for (const w of config.workKinds) if (new RegExp(w.pattern, "iu").test(description)) return w.kind;
  return config.defaultWorkKind;
}
