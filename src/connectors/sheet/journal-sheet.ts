// One journal sheet (a class × a subject: pupils down, lessons across) read through its mapping into
// canonical records. A sheet has no lesson records, so a mark keeps its lesson's day (`lessonDate`), as
// Moodle's lesson columns do; a made-up lesson would have no topic or homework and raise false findings.
// For the same reason attendance codes (н, б…) are recognised but not stored: attendance belongs to a
// lesson record. The sheet proves absence only inside what it shows: its class × subject × dates, less
// the days of a cell it could not read; a pupil row it could not read voids that proof for the sheet.
// Period-mark columns after the lessons (I четв, год, итоговая: period-columns.ts) are period marks.
import type { Mark, Period, PeriodMark, Person, SchoolClass, Subject } from "../../model/records.ts";
import type { ReadScope, RejectedRecord } from "../types.ts";
import { parseCell } from "./cell-values.ts";
import { cellOrigin, columnName, columnNumber, type SheetGrid } from "./grid.ts";
import type { SheetMapping, TextSource } from "./mapping.ts";
import { type PeriodHeader, periodHeader, periodTarget, readPeriodCell } from "./period-columns.ts";
import { pupilRows } from "./pupil-rows.ts";
import { sheetReasons as msg } from "./reasons.ts";
import { isoDate, monthOf, parseRussianDate, yearOfMonth } from "./russian-dates.ts";

export { pupilId } from "./pupil-rows.ts";

export interface SheetRecords {
  classes: SchoolClass[];
  subjects: Subject[];
  persons: Person[];
  marks: Mark[];
  periodMarks: PeriodMark[];
  /** The mapping's periods, when a sheet had period-mark columns. */
  periods: Period[];
  rejected: RejectedRecord[];
  /** What the sheet proves for marks (empty: nothing). */
  scope: ReadScope[];
  /** Attendance codes seen (not stored: a sheet has no lesson records). */
  attendanceCodes: number;
}

/** A column that is a lesson: its day and its number among the sheet's columns of that day. */
interface LessonColumn {
  column: number;
  date: string;
  n: number;
}

const CLASS = /^(\d{1,2})\s*[-–]?\s*([А-ЯЁA-Z])$/iu;

/** Resolves a text source on a grid; null when the cell is empty or the pattern does not match. */
export function resolveText(grid: SheetGrid, source: TextSource): { text: string | null; where: string } {
  if (typeof source === "string") return { text: source.trim(), where: "mapping" };
  const where =
    "cell" in source ? `${grid.file}:${grid.name}!${source.cell.toUpperCase()}` : "the sheet name";
  let raw = grid.name;
  if ("cell" in source) {
    const m = /^([A-Za-z]+)(\d+)$/.exec(source.cell)!;
    raw = grid.text(Number(m[2]), columnNumber(m[1]));
  }
  if (!source.pattern) return { text: raw.trim() || null, where };
  const m = new RegExp(source.pattern, "iu").exec(raw);
  if (!m) return { text: null, where };
  return { text: (m[1] ?? m[0]).trim() || null, where };
}

export const slug = (s: string) => s.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, "-");

const DAY = 86_400_000;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** [first, last] of the days, less the cut days, as inclusive windows. */
function windowsWithout(days: string[], cut: Set<string>): { from: string; to: string }[] {
  const sorted = [...new Set(days)].sort();
  const out: { from: string; to: string }[] = [];
  let from: string | null = sorted[0] ?? null;
  const last = sorted[sorted.length - 1];
  for (const d of [...cut].sort()) {
    if (from === null || d < from) continue;
    if (d > from) out.push({ from, to: addDays(d, -1) });
    from = addDays(d, 1);
  }
  if (from !== null && last !== undefined && from <= last) out.push({ from, to: last });
  return out;
}

/** A period-mark column: its period and its header as written. */
export interface PeriodColumn {
  column: number;
  header: PeriodHeader;
  label: string;
}

function lessonColumns(
  grid: SheetGrid,
  m: SheetMapping,
  startYear: number,
): {
  lessons: LessonColumn[];
  periodColumns: PeriodColumn[];
  badHeaders: { column: number; header: string }[];
} {
  const lessons: LessonColumn[] = [];
  const periodColumns: PeriodColumn[] = [];
  const badHeaders: { column: number; header: string }[] = [];
  const dateRow = m.dateRow!;
  const perDay = new Map<string, number>();
  const skip = new RegExp(m.skipColumns, "iu");
  const last = m.lastDateColumn ?? grid.columnCount;
  let month: number | null = null;
  for (let c = m.firstDateColumn; c <= last; c++) {
    const above = m.monthRow === undefined ? "" : grid.text(m.monthRow, c);
    const header = grid.text(dateRow, c);
    // A period header sits in the date row, or in the month row over an empty date cell.
    const label = header || above;
    const period = label ? periodHeader(label) : null;
    if (period) {
      periodColumns.push({ column: c, header: period, label });
      continue;
    }
    if (above !== "") {
      month = monthOf(above.replace(/\s*\d{4}\s*г?\.?$/, ""));
      if (skip.test(above)) continue;
    }
    if (header === "" || skip.test(header)) continue;
    let date = grid.date(dateRow, c) ?? null;
    if (date === null && m.monthRow !== undefined && /^\d{1,2}$/.test(header) && month !== null)
      date = isoDate(yearOfMonth(month, startYear), month, Number(header));
    else if (date === null) date = parseRussianDate(header, startYear);
    if (date === null) {
      if (/\d/.test(header)) badHeaders.push({ column: c, header });
      continue;
    }
    const n = (perDay.get(date) ?? 0) + 1;
    perDay.set(date, n);
    lessons.push({ column: c, date, n });
  }
  return { lessons, periodColumns, badHeaders };
}

/** The sheet's class as the mapping names it, or why it cannot be read. */
export function sheetClass(grid: SheetGrid, m: SheetMapping): SchoolClass | { reason: string; raw: string } {
  const cls = resolveText(grid, m.class);
  if (cls.text === null) return { reason: msg.noClass(cls.where), raw: grid.name };
  const cm = CLASS.exec(cls.text);
  const grade = Number(cm?.[1]);
  if (!cm || grade < 1 || grade > 11) return { reason: msg.badClass, raw: cls.text };
  return { id: `${grade}${cm[2].toUpperCase()}`, grade, letter: cm[2].toUpperCase() };
}

/** Empty records of a sheet, for a reader to fill. */
export function emptySheetRecords(): SheetRecords {
  return {
    classes: [],
    subjects: [],
    persons: [],
    marks: [],
    periodMarks: [],
    periods: [],
    rejected: [],
    scope: [],
    attendanceCodes: 0,
  };
}

export function readJournalSheet(grid: SheetGrid, m: SheetMapping, startYear: number): SheetRecords {
  const out = emptySheetRecords();
  const sheetOrigin = `${grid.file}:${grid.name}`;
  const reject = (origin: string, reason: string, raw: unknown): SheetRecords => {
    out.rejected.push({ stream: "marks", origin, reason, raw });
    return out;
  };

  const schoolClass = sheetClass(grid, m);
  if ("reason" in schoolClass) return reject(sheetOrigin, schoolClass.reason, schoolClass.raw);
  const subj = resolveText(grid, m.subject!);
  if (subj.text === null) return reject(sheetOrigin, msg.noSubject(subj.where), grid.name);
  const subject: Subject = { id: slug(subj.text), name: subj.text.replace(/\s+/g, " ") };
  out.classes.push(schoolClass);
  out.subjects.push(subject);

  const { lessons, periodColumns, badHeaders } = lessonColumns(grid, m, startYear);
  if (lessons.length === 0 && periodColumns.length === 0)
    return reject(sheetOrigin, msg.noDates, grid.text(m.dateRow!, m.firstDateColumn));
  const hasYear = periodColumns.some((p) => p.header.kind === "year");
  const targets = periodColumns.map((p) => periodTarget(p.header, p.label, m.periods, hasYear));
  if (targets.some((t) => "periodId" in t)) out.periods = m.periods ?? [];

  const cutDays = new Set<string>();
  const pupils = pupilRows(grid, m, schoolClass.id, out.rejected, "marks");
  let proofVoid = pupils.unreadable;
  for (const { row: r, person } of pupils.rows) {
    const studentId = person.id;
    out.persons.push(person);
    for (const l of lessons) {
      const text = grid.text(r, l.column);
      if (text === "" || grid.master(r, l.column).column !== l.column) continue;
      const parsed = parseCell(text);
      if ("bad" in parsed) {
        reject(cellOrigin(grid, r, l.column), msg.badCell, text);
        cutDays.add(l.date);
        continue;
      }
      let k = 0;
      for (const e of parsed.entries) {
        if (e.kind === "attendance") {
          out.attendanceCodes++;
          continue;
        }
        const id = `sheet:${schoolClass.id}:${subject.id}:${l.date}#${l.n}:${studentId}${k > 0 ? `~${k + 1}` : ""}`;
        k++;
        out.marks.push({ id, studentId, subjectId: subject.id, lessonDate: l.date, value: e.value });
      }
    }
    periodColumns.forEach((p, i) => {
      readPeriodCell(
        grid,
        { row: r, column: p.column },
        { studentId, subjectId: subject.id },
        targets[i],
        out,
      );
    });
    for (const b of badHeaders) {
      const text = grid.text(r, b.column);
      if (text === "") continue;
      reject(cellOrigin(grid, r, b.column), msg.badHeader(columnName(b.column)), text);
      proofVoid = true;
    }
  }
  if (!proofVoid) {
    out.scope = windowsWithout(
      lessons.map((l) => l.date),
      cutDays,
    ).map((w) => ({ ...w, classId: schoolClass.id, subjectId: subject.id }));
  }
  return out;
}
