// Выписка из электронного журнала (001 §2.11): one student's current marks by subject with their
// dates, and the period (attestation) marks, for a period or the whole school year holding it.
import { z } from "zod";
import type { Db } from "../../store/db.ts";
import { meanMark } from "../metrics.ts";
import type { Column, Report, Row } from "../model.ts";
import {
  lastObservedDate,
  loadMarks,
  loadPeriodMarks,
  loadPeriods,
  loadRoster,
  type PeriodInfo,
  ReportParamsError,
  requireStudent,
} from "../report-data.ts";
import { classParameters, dayMonth, frame, groupBy, markCell } from "./common.ts";
import { reportBuilderMessages as m, periodName, periodShort } from "./messages.ru.ts";

export const studentExtractParamsSchema = z.object({
  studentId: z.string().min(1),
  /** A period, or by default the school year of the latest observation. */
  periodId: z.string().min(1).optional(),
});

/** The chosen period, else the year period holding the school's "today" (else the latest period). */
export async function periodOrCurrentYear(
  db: Db,
  schoolId: string,
  periods: PeriodInfo[],
  periodId: string | undefined,
  timezone: string,
): Promise<PeriodInfo> {
  if (periodId) {
    const found = periods.find((p) => p.id === periodId);
    if (!found)
      throw new ReportParamsError(
        m.errors.noPeriod(
          periodId,
          periods.map((p) => p.id),
        ),
      );
    return found;
  }
  const today =
    (await lastObservedDate(db, { id: schoolId, name: "", timezone, workweek: 5 })) ?? "9999-12-31";
  const years = periods.filter((p) => p.kind === "year");
  const current =
    years.find((p) => p.start <= today && p.end >= today) ??
    years.filter((p) => p.start <= today).at(-1) ??
    periods.at(-1);
  if (!current) throw new ReportParamsError(m.errors.noDefaultPeriod);
  return current;
}

export async function buildStudentExtract(
  db: Db,
  schoolId: string,
  params: z.infer<typeof studentExtractParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const student = requireStudent(roster, params.studentId);
  const periods = await loadPeriods(db, schoolId);
  const scopePeriod = await periodOrCurrentYear(
    db,
    schoolId,
    periods,
    params.periodId,
    roster.school.timezone,
  );
  const inside = periods.filter((p) => p.start >= scopePeriod.start && p.end <= scopePeriod.end);
  const marks = await loadMarks(
    db,
    schoolId,
    { from: scopePeriod.start, to: scopePeriod.end },
    { studentId: student.id },
  );
  const periodMarks = await loadPeriodMarks(
    db,
    schoolId,
    inside.map((p) => p.id),
    { studentId: student.id },
  );
  const bySubject = groupBy(marks, (x) => x.subjectId);
  const currentRows: Row[] = roster.subjects
    .filter((s) => bySubject.has(s.id))
    .map((s) => {
      const list = bySubject.get(s.id) ?? [];
      return {
        subject: s.name,
        marks: list.map((x) => `${x.value} (${dayMonth(x.date)})`).join(", "),
        count: list.length,
        mean: meanMark(list.map((x) => ({ value: x.value, weight: x.weight ?? undefined }))),
      };
    });
  const pmOf = new Map(periodMarks.map((p) => [`${p.subjectId}|${p.periodId}`, p.value]));
  const withPm = inside.filter((p) => periodMarks.some((x) => x.periodId === p.id));
  const pmSubjects = roster.subjects.filter((s) => periodMarks.some((p) => p.subjectId === s.id));
  const pmColumns: Column[] = [
    { key: "subject", title: m.col.subject, kind: "text", width: 4 },
    ...withPm.map((p) => ({ key: `p_${p.id}`, title: periodShort(p), kind: "int" as const, width: 1.2 })),
  ];
  const pmRows: Row[] = pmSubjects.map((s) => {
    const row: Row = { subject: s.name };
    for (const p of withPm) row[`p_${p.id}`] = markCell(pmOf.get(`${s.id}|${p.id}`));
    return row;
  });
  return frame({
    kind: "student-extract",
    school: roster.school,
    parameters: [
      { label: m.params.student, value: student.name },
      ...(student.classId ? classParameters(roster, student.classId) : []),
      { label: m.params.period, value: periodName(scopePeriod) },
    ],
    sections: [
      {
        heading: m.studentExtract.current,
        tables: [
          {
            columns: [
              { key: "subject", title: m.col.subject, kind: "text", width: 3 },
              { key: "marks", title: m.col.marks, kind: "text", width: 9 },
              { key: "count", title: m.col.marksCount, kind: "int", width: 1.2 },
              { key: "mean", title: m.col.mean, kind: "decimal", width: 1.4 },
            ],
            rows: currentRows,
          },
        ],
      },
      { heading: m.studentExtract.attestation, tables: [{ columns: pmColumns, rows: pmRows }] },
      { paragraphs: [m.studentExtract.basis] },
    ],
  });
}
