// A «Сводная ведомость» sheet (layout `summary`): one class a sheet, pupils down, subjects across, each
// subject's name merged (or continued by empty cells) over its period columns (I четв … год, итоговая),
// or one period for every column (`period`). Its cells are period marks only; they are added or updated,
// never proven absent (a ведомость shows the periods it was printed for, not every one).
import type { Subject } from "../../model/records.ts";
import { cellOrigin, columnName, type SheetGrid } from "./grid.ts";
import {
  emptySheetRecords,
  type PeriodColumn,
  resolveText,
  type SheetRecords,
  sheetClass,
  slug,
} from "./journal-sheet.ts";
import type { SheetMapping } from "./mapping.ts";
import { periodHeader, periodTarget, readPeriodCell } from "./period-columns.ts";
import { pupilRows } from "./pupil-rows.ts";
import { sheetReasons as msg } from "./reasons.ts";

interface SubjectColumn extends PeriodColumn {
  subject: Subject;
}

function subjectColumns(
  grid: SheetGrid,
  m: SheetMapping,
): { columns: SubjectColumn[]; badColumns: number[] } {
  const columns: SubjectColumn[] = [];
  const badColumns: number[] = [];
  const skip = new RegExp(m.skipColumns, "iu");
  const fixedPeriod = m.periodRow === undefined && m.period ? resolveText(grid, m.period).text : null;
  const last = m.lastDateColumn ?? grid.columnCount;
  let subject: Subject | null = null;
  for (let c = m.firstDateColumn; c <= last; c++) {
    const name = grid.text(m.subjectRow!, c).replace(/\s+/g, " ");
    if (name !== "") subject = skip.test(name) ? null : { id: slug(name), name };
    if (subject === null) continue;
    const label = m.periodRow === undefined ? (fixedPeriod ?? "") : grid.text(m.periodRow, c);
    if (label === "") continue;
    const header = periodHeader(label);
    if (header) columns.push({ column: c, header, label, subject });
    else badColumns.push(c);
  }
  return { columns, badColumns };
}

export function readSummarySheet(grid: SheetGrid, m: SheetMapping): SheetRecords {
  const out = emptySheetRecords();
  const sheetOrigin = `${grid.file}:${grid.name}`;
  const schoolClass = sheetClass(grid, m);
  if ("reason" in schoolClass) {
    out.rejected.push({
      stream: "periodMarks",
      origin: sheetOrigin,
      reason: schoolClass.reason,
      raw: schoolClass.raw,
    });
    return out;
  }
  const { columns, badColumns } = subjectColumns(grid, m);
  if (columns.length === 0) {
    out.rejected.push({ stream: "periodMarks", origin: sheetOrigin, reason: msg.noSubjects, raw: grid.name });
    return out;
  }
  out.classes.push(schoolClass);
  const subjects = new Map(columns.map((c) => [c.subject.id, c.subject]));
  out.subjects.push(...subjects.values());
  const hasYear = new Set(columns.filter((c) => c.header.kind === "year").map((c) => c.subject.id));
  const targets = columns.map((c) => periodTarget(c.header, c.label, m.periods, hasYear.has(c.subject.id)));
  if (targets.some((t) => "periodId" in t)) out.periods = m.periods ?? [];

  const pupils = pupilRows(grid, m, schoolClass.id, out.rejected, "periodMarks");
  for (const { row, person } of pupils.rows) {
    out.persons.push(person);
    columns.forEach((c, i) => {
      readPeriodCell(
        grid,
        { row, column: c.column },
        { studentId: person.id, subjectId: c.subject.id },
        targets[i],
        out,
      );
    });
    for (const column of badColumns) {
      const text = grid.text(row, column);
      if (text === "") continue;
      out.rejected.push({
        stream: "periodMarks",
        origin: cellOrigin(grid, row, column),
        reason: msg.noPeriodColumn(columnName(column)),
        raw: text,
      });
    }
  }
  return out;
}
