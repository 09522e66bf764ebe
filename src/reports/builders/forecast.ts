// Прогноз отметок за период (002 §6, 000 §9.2): per student and subject, the mark the current marks
// give under the school's cut-offs and what lifts it to the next mark.
import { z } from "zod";
import type { Db } from "../../store/db.ts";
import {
  describeForecast,
  forecastPeriodMark,
  type MarkForecast,
  type PeriodMarkPolicy,
} from "../metrics.ts";
import type { Column, LabelledValue, Report, Row, Section } from "../model.ts";
import {
  loadMarks,
  loadPeriod,
  loadRoster,
  type MarkInfo,
  type Roster,
  requireClass,
  requireStudent,
  studentsOf,
} from "../report-data.ts";
import { classParameters, frame, groupBy } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { policyParameters, policyParamsSchema, resolvePolicy } from "./params.ts";

export const forecastParamsSchema = z
  .object({
    periodId: z.string().min(1),
    classId: z.string().min(1).optional(),
    studentId: z.string().min(1).optional(),
  })
  .extend(policyParamsSchema.shape)
  .refine((p) => p.classId !== undefined || p.studentId !== undefined, "give classId or studentId");

export interface StudentSubjectForecast {
  studentId: string;
  subjectId: string;
  marks: MarkInfo[];
  forecast: MarkForecast;
}

/** Forecasts for every student and subject with current marks, in roster order. */
export function forecasts(
  roster: Roster,
  studentIds: string[],
  marks: MarkInfo[],
  policy: PeriodMarkPolicy,
): StudentSubjectForecast[] {
  const by = groupBy(marks, (x) => `${x.studentId}|${x.subjectId}`);
  const out: StudentSubjectForecast[] = [];
  for (const studentId of studentIds) {
    for (const s of roster.subjects) {
      const list = by.get(`${studentId}|${s.id}`);
      if (!list) continue;
      out.push({
        studentId,
        subjectId: s.id,
        marks: list,
        forecast: forecastPeriodMark(
          list.map((x) => ({ value: x.value, weight: x.weight ?? undefined })),
          policy,
        ),
      });
    }
  }
  return out;
}

/** «5 4 4 3» — a student's marks in order. */
export function marksText(marks: MarkInfo[]): string {
  return marks.map((x) => String(x.value)).join(" ");
}

export async function buildForecast(
  db: Db,
  schoolId: string,
  params: z.infer<typeof forecastParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const period = await loadPeriod(db, schoolId, params.periodId);
  const policy = resolvePolicy(params);
  let studentIds: string[];
  let scopeParams: LabelledValue[];
  if (params.studentId) {
    const st = requireStudent(roster, params.studentId);
    studentIds = [params.studentId];
    scopeParams = [
      { label: m.params.student, value: st.name },
      ...(st.classId ? classParameters(roster, st.classId) : []),
    ];
  } else {
    requireClass(roster, params.classId ?? "");
    studentIds = studentsOf(roster, params.classId ?? "").map((s) => s.id);
    scopeParams = classParameters(roster, params.classId ?? "");
  }
  const marks = await loadMarks(
    db,
    schoolId,
    { from: period.start, to: period.end },
    params.studentId ? { studentId: params.studentId } : { classId: params.classId },
  );
  const list = forecasts(roster, studentIds, marks, policy);
  const columns: Column[] = [
    { key: "subject", title: m.col.subject, kind: "text", width: 3.5 },
    { key: "marks", title: m.col.marks, kind: "text", width: 4 },
    { key: "mean", title: m.col.mean, kind: "decimal", width: 1.4 },
    { key: "forecast", title: m.col.forecast, kind: "int", width: 1.2 },
    { key: "reason", title: m.col.reason, kind: "text", width: 8 },
  ];
  const rowOf = (f: StudentSubjectForecast): Row => ({
    subject: roster.subjectById.get(f.subjectId)?.name ?? f.subjectId,
    marks: marksText(f.marks),
    mean: f.forecast.mean,
    forecast: f.forecast.mark,
    reason: describeForecast(f.forecast),
  });
  const byStudent = groupBy(list, (f) => f.studentId);
  // One section per student: a class teacher hands each family its own part.
  const studentSections: Section[] = studentIds
    .filter((id) => byStudent.has(id))
    .map((id) => ({
      heading: params.studentId ? m.forecast.table : (roster.personById.get(id)?.name ?? id),
      tables: [{ columns, rows: (byStudent.get(id) ?? []).map(rowOf) }],
    }));
  const dist = [5, 4, 3, 2].map((v) => list.filter((f) => f.forecast.mark === v).length);
  const last = marks.at(-1);
  return frame({
    kind: "forecast",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...scopeParams,
      { label: m.params.period, value: periodName(period) },
      ...(last ? [{ label: m.params.asOf, value: last.date.split("-").reverse().join(".") }] : []),
      ...policyParameters(policy),
    ],
    sections: [
      ...(list.length && !params.studentId
        ? [
            {
              heading: m.forecast.summary,
              chart: {
                kind: "bar" as const,
                title: m.forecast.chart,
                categories: ["«5»", "«4»", "«3»", "«2»"],
                series: [{ name: m.col.forecast, values: dist }],
              },
            },
          ]
        : []),
      ...studentSections,
    ],
  });
}
