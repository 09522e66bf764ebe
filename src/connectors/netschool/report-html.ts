// The HTML files the NetSchool report queue produces (GET `files/{id}`), read the way the working
// clients read them (platforms/bars-netschool.md B6; lentryd/NetSchoolApi `Grades.ts`, `Journal.ts`):
// the data sit in `table.table-print`.
// - StudentGrades: one row per mark — type, topic, lesson date, «Дата выставления», mark — and a
//   `tr.totals` row at the end.
// - StudentTotal: row 1 has «Предмет», the months (th[colspan]) and one th[rowspan] per total column;
//   row 2 the day numbers; then one row per subject: the name, one cell per day (digits = marks,
//   `.` = a duty mark, letters = absence codes) and `td.cell-num-2` per total column.
import { type HTMLElement, parse } from "node-html-parser";

/** `dd.mm.yy` or `dd.mm.yyyy` → `YYYY-MM-DD`; null when not a date. */
export function parseRuDate(text: string): string | null {
  const m = /(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b/.exec(text);
  if (!m) return null;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const month = Number(m[2]);
  const day = Number(m[1]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const cellText = (e: HTMLElement | undefined | null) => (e?.text ?? "").replace(/\s+/g, " ").trim();

function table(html: string): HTMLElement {
  const t = parse(html).querySelector("table.table-print");
  if (!t) throw new Error("no table.table-print in the report");
  return t;
}

export interface GradeRow {
  type: string;
  topic: string;
  /** The lesson's day. */
  lessonDate: string;
  /** «Дата выставления»: the day the mark was entered (date only). */
  setDate: string;
  /** The mark as printed («5», «н/а»…). */
  mark: string;
  /** The 1-based row in the table, for quarantine. */
  row: number;
}

export interface ParseProblem {
  row: number;
  reason: string;
  raw: string;
}

export function parseStudentGrades(html: string): { rows: GradeRow[]; problems: ParseProblem[] } {
  const rows: GradeRow[] = [];
  const problems: ParseProblem[] = [];
  const trs = table(html).querySelectorAll("tr");
  trs.forEach((tr, i) => {
    if (tr.classList.contains("totals")) return;
    const tds = tr.querySelectorAll("td");
    if (tds.length === 0) return; // the header row (th)
    const [type, topic, lesson, set, mark] = tds.map(cellText);
    const lessonDate = parseRuDate(lesson ?? "");
    const setDate = parseRuDate(set ?? "");
    if (tds.length < 5 || !lessonDate || !setDate || !mark) {
      problems.push({
        row: i + 1,
        reason: "expected type, topic, lesson date, set date and mark",
        raw: cellText(tr),
      });
      return;
    }
    rows.push({ type, topic, lessonDate, setDate, mark, row: i + 1 });
  });
  return { rows, problems };
}

const MONTHS: Record<string, number> = {
  январь: 1,
  февраль: 2,
  март: 3,
  апрель: 4,
  май: 5,
  июнь: 6,
  июль: 7,
  август: 8,
  сентябрь: 9,
  октябрь: 10,
  ноябрь: 11,
  декабрь: 12,
};

export interface TotalDay {
  date: string;
  /** Marks printed that day, in order. */
  marks: number[];
  /** Duty marks («.», work owed). */
  duty: number;
  /** Absence codes (ОТ, УП, Б, НП, ОП, ОСВ…), in order. */
  codes: string[];
}

export interface TotalSubject {
  name: string;
  days: TotalDay[];
  /** Total columns by heading («1 четверть Итог», «Средняя оценка»…) → printed value (may be empty). */
  totals: { heading: string; value: string }[];
}

/**
 * StudentTotal of the school year starting in `startYear` (September): months before September
 * belong to the next calendar year.
 */
export function parseStudentTotal(html: string, startYear: number): TotalSubject[] {
  const trs = table(html).querySelectorAll("tr");
  if (trs.length < 2) throw new Error("StudentTotal: no header rows");
  const months = trs[0].querySelectorAll("th[colspan]").map((th) => ({
    month: MONTHS[cellText(th).toLowerCase()],
    span: Number(th.getAttribute("colspan") ?? "0"),
  }));
  const headings = trs[0].querySelectorAll("th[rowspan]").map(cellText).slice(1); // first: «Предмет»
  const dayNumbers = trs[1].querySelectorAll("th").map((th) => Number(cellText(th)));
  const dates: string[] = [];
  for (const { month, span } of months) {
    if (!month) throw new Error("StudentTotal: a month heading is not a month name");
    const year = month >= 9 ? startYear : startYear + 1;
    for (let k = 0; k < span; k += 1) {
      const day = dayNumbers[dates.length];
      dates.push(`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`);
    }
  }
  const subjects: TotalSubject[] = [];
  for (const tr of trs.slice(2)) {
    const tds = tr.querySelectorAll("td");
    if (tds.length === 0) continue;
    const name = cellText(tds[0]);
    const dayCells = tds.slice(1).filter((td) => !td.getAttribute("class"));
    const totalCells = tds.filter((td) => td.classList.contains("cell-num-2"));
    const days: TotalDay[] = [];
    dayCells.forEach((td, i) => {
      const text = cellText(td);
      if (!text || !dates[i]) return;
      days.push({
        date: dates[i],
        marks: (text.match(/\d/g) ?? []).map(Number),
        duty: (text.match(/\./g) ?? []).length,
        codes: text.match(/[А-ЯЁа-яё]+/g) ?? [],
      });
    });
    const totals = totalCells.map((td, i) => ({ heading: headings[i] ?? "", value: cellText(td) }));
    subjects.push({ name, days, totals });
  }
  return subjects;
}
