// One journal sheet (a class × a subject: pupils down, lessons across) read through its mapping into
// canonical records. A sheet has no lesson records, so a mark keeps its lesson's day (`lessonDate`), as
// Moodle's lesson columns do; a made-up lesson would have no topic or homework and raise false findings.
// For the same reason attendance codes (н, б…) are recognised but not stored: attendance belongs to a
// lesson record. The sheet proves absence only inside what it shows: its class × subject × dates, less
// the days of a cell it could not read; a pupil row it could not read voids that proof for the sheet.
import { createHash } from "node:crypto";
import { idSchema, type Mark, type Person, type SchoolClass, type Subject } from "../../model/records.ts";
import type { ReadScope, RejectedRecord } from "../types.ts";
import { parseCell } from "./cell-values.ts";
import { cellOrigin, columnName, columnNumber, type SheetGrid } from "./grid.ts";
import type { SheetMapping, TextSource } from "./mapping.ts";
import { sheetReasons as msg } from "./reasons.ts";
import { isoDate, monthOf, parseRussianDate, yearOfMonth } from "./russian-dates.ts";

export interface SheetRecords {
  classes: SchoolClass[];
  subjects: Subject[];
  persons: Person[];
  marks: Mark[];
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
function resolveText(grid: SheetGrid, source: TextSource): { text: string | null; where: string } {
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

const slug = (s: string) => s.trim().toLowerCase().replace(/ё/g, "е").replace(/\s+/g, "-");

/** A pupil's id without a platform id: stable for the class and the name, and no name in it (logs, keys). */
export function pupilId(classId: string, name: string): string {
  const key = `${classId}\u0000${name.trim().replace(/\s+/g, " ").toLowerCase().replace(/ё/g, "е")}`;
  return `sheet-${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
}

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

function lessonColumns(
  grid: SheetGrid,
  m: SheetMapping,
  startYear: number,
): { lessons: LessonColumn[]; badHeaders: { column: number; header: string }[] } {
  const lessons: LessonColumn[] = [];
  const badHeaders: { column: number; header: string }[] = [];
  const perDay = new Map<string, number>();
  const skip = new RegExp(m.skipColumns, "iu");
  const last = m.lastDateColumn ?? grid.columnCount;
  let month: number | null = null;
  for (let c = m.firstDateColumn; c <= last; c++) {
    if (m.monthRow !== undefined) {
      const t = grid.text(m.monthRow, c);
      if (t !== "") month = monthOf(t.replace(/\s*\d{4}\s*г?\.?$/, ""));
      if (t !== "" && skip.test(t)) continue;
    }
    const header = grid.text(m.dateRow, c);
    if (header === "" || skip.test(header)) continue;
    let date = grid.date(m.dateRow, c) ?? null;
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
  return { lessons, badHeaders };
}

export function readJournalSheet(grid: SheetGrid, m: SheetMapping, startYear: number): SheetRecords {
  const out: SheetRecords = {
    classes: [],
    subjects: [],
    persons: [],
    marks: [],
    rejected: [],
    scope: [],
    attendanceCodes: 0,
  };
  const sheetOrigin = `${grid.file}:${grid.name}`;
  const reject = (origin: string, reason: string, raw: unknown): SheetRecords => {
    out.rejected.push({ stream: "marks", origin, reason, raw });
    return out;
  };

  const cls = resolveText(grid, m.class);
  if (cls.text === null) return reject(sheetOrigin, msg.noClass(cls.where), grid.name);
  const cm = CLASS.exec(cls.text);
  if (!cm) return reject(sheetOrigin, msg.badClass, cls.text);
  const schoolClass: SchoolClass = {
    id: `${cm[1]}${cm[2].toUpperCase()}`,
    grade: Number(cm[1]),
    letter: cm[2].toUpperCase(),
  };
  if (schoolClass.grade < 1 || schoolClass.grade > 11) return reject(sheetOrigin, msg.badClass, cls.text);
  const subj = resolveText(grid, m.subject);
  if (subj.text === null) return reject(sheetOrigin, msg.noSubject(subj.where), grid.name);
  const subject: Subject = { id: slug(subj.text), name: subj.text.replace(/\s+/g, " ") };
  out.classes.push(schoolClass);
  out.subjects.push(subject);

  const { lessons, badHeaders } = lessonColumns(grid, m, startYear);
  if (lessons.length === 0) return reject(sheetOrigin, msg.noDates, grid.text(m.dateRow, m.firstDateColumn));

  const stop = new RegExp(m.stopAt, "iu");
  const rowOf = new Map<string, number>();
  const cutDays = new Set<string>();
  let proofVoid = false;
  for (let r = m.firstRow; r <= grid.rowCount; r++) {
    const name = grid.text(r, m.nameColumn).replace(/\s+/g, " ");
    if (name === "") continue;
    if (stop.test(name)) break;
    let studentId = pupilId(schoolClass.id, name);
    if (m.idColumn !== undefined) {
      const id = idSchema.safeParse(grid.text(r, m.idColumn));
      if (!id.success) {
        reject(
          cellOrigin(grid, r, m.idColumn),
          msg.badPupilId(id.error.issues[0].message),
          grid.text(r, m.idColumn),
        );
        proofVoid = true;
        continue;
      }
      studentId = id.data;
    }
    const earlier = rowOf.get(studentId);
    if (earlier !== undefined) {
      reject(cellOrigin(grid, r, m.nameColumn), msg.duplicatePupil(earlier), name);
      proofVoid = true;
      continue;
    }
    rowOf.set(studentId, r);
    out.persons.push({ id: studentId, role: "student", name, classId: schoolClass.id });
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
