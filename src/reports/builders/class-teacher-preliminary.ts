// Предварительный отчёт классного руководителя за период (001 §3.4): before the period marks are
// set, the class's likely standing from the current marks (the school's cut-offs) and who is at risk.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import { describeForecast } from "../metrics.ts";
import type { Report, Row } from "../model.ts";
import { loadAttendance, loadClassPeriod, loadMarks } from "../report-data.ts";
import { absenceCounts } from "./attendance-common.ts";
import { classParameters, frame, groupBy } from "./common.ts";
import { forecasts, marksText } from "./forecast.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { classPeriodParamsSchema, policyParameters, policyParamsSchema, resolvePolicy } from "./params.ts";
import { groupOf, standingColumns, standingRow } from "./school-performance.ts";

export const classTeacherPreliminaryParamsSchema = classPeriodParamsSchema.extend(policyParamsSchema.shape);

export async function buildClassTeacherPreliminary(
  db: Db,
  schoolId: string,
  params: z.infer<typeof classTeacherPreliminaryParamsSchema>,
): Promise<Report> {
  const { roster, period, students, range, scope } = await loadClassPeriod(db, schoolId, params);
  const policy = resolvePolicy(params);
  const marks = await loadMarks(db, schoolId, range, scope);
  const attendance = groupBy(await loadAttendance(db, schoolId, range, scope), (a) => a.studentId);
  const list = forecasts(
    roster,
    students.map((s) => s.id),
    marks,
    policy,
  );
  // The forecast marks stand in for period marks in the class standing.
  const asPeriodMarks = groupBy(
    list
      .filter((f) => f.forecast.mark !== null)
      .map((f) => ({
        studentId: f.studentId,
        subjectId: f.subjectId,
        periodId: period.id,
        value: String(f.forecast.mark),
      })),
    (p) => p.studentId,
  );
  const standing = groupOf(
    students.map((s) => s.id),
    asPeriodMarks,
  );
  const summary = standingRow(
    { class: roster.classById.get(params.classId)?.name ?? params.classId },
    standing,
  );
  const risks: Row[] = list
    .filter((f) => f.forecast.mark === 2)
    .map((f) => ({
      student: roster.personById.get(f.studentId)?.name ?? f.studentId,
      subject: roster.subjectById.get(f.subjectId)?.name ?? f.subjectId,
      marks: marksText(f.marks),
      mean: f.forecast.mean,
      missed: absenceCounts((attendance.get(f.studentId) ?? []).filter((a) => a.subjectId === f.subjectId))
        .missed,
      reason: describeForecast(f.forecast),
    }));
  return frame({
    kind: "class-teacher-preliminary",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...classParameters(roster, params.classId),
      { label: m.params.period, value: periodName(period) },
      ...policyParameters(policy),
    ],
    sections: [
      {
        heading: m.preliminary.summary,
        paragraphs: [m.preliminary.note],
        tables: [
          {
            columns: [{ key: "class", title: m.col.class, kind: "text", width: 1.5 }, ...standingColumns()],
            rows: [summary],
          },
        ],
      },
      {
        heading: m.preliminary.risks,
        tables: [
          {
            columns: [
              { key: "student", title: m.col.student, kind: "text", width: 4 },
              { key: "subject", title: m.col.subject, kind: "text", width: 3 },
              { key: "marks", title: m.col.marks, kind: "text", width: 3 },
              { key: "mean", title: m.col.mean, kind: "decimal", width: 1.4 },
              { key: "missed", title: m.col.absences, kind: "int", width: 1.4 },
              { key: "reason", title: m.col.reason, kind: "text", width: 7 },
            ],
            rows: risks,
          },
        ],
      },
    ],
  });
}
