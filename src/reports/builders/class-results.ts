// Итоги успеваемости класса за учебный период (001 §3.3–3.4): the period marks of every student by
// subject, each student's mean, and the metrics per subject.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import { countOutcomes, meanMark, qualityRate } from "../metrics.ts";
import type { Column, Report, Row } from "../model.ts";
import { loadClassPeriod, loadLessons, loadPeriodMarks } from "../report-data.ts";
import { classSubjects, subjectShort } from "./class-subjects.ts";
import { classParameters, frame, markCell, metricCells, metricColumns } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { classPeriodParamsSchema } from "./params.ts";

export const classResultsParamsSchema = classPeriodParamsSchema;

export async function buildClassResults(
  db: Db,
  schoolId: string,
  params: z.infer<typeof classResultsParamsSchema>,
): Promise<Report> {
  const { roster, period, students, range, scope } = await loadClassPeriod(db, schoolId, params);
  const lessons = await loadLessons(db, schoolId, range, scope);
  const periodMarks = await loadPeriodMarks(db, schoolId, [period.id], scope);
  const subjects = classSubjects(roster, lessons, periodMarks);
  const markOf = new Map(periodMarks.map((p) => [`${p.studentId}|${p.subjectId}`, p.value]));

  const columns: Column[] = [
    { key: "n", title: m.col.n, kind: "int", width: 0.8 },
    { key: "student", title: m.col.student, kind: "text", width: 6 },
    ...subjects.map((s) => ({
      key: `s_${s.id}`,
      title: subjectShort(s.name),
      kind: "int" as const,
      width: 1.3,
    })),
    { key: "mean", title: m.col.meanShort, kind: "decimal" as const, width: 1.4 },
  ];
  const rows: Row[] = students.map((st, i) => {
    const row: Row = { n: i + 1, student: st.name };
    const values: string[] = [];
    for (const s of subjects) {
      const v = markOf.get(`${st.id}|${s.id}`);
      row[`s_${s.id}`] = markCell(v);
      if (v !== undefined) values.push(v);
    }
    row.mean = meanMark(values.map((value) => ({ value })));
    return row;
  });
  const subjectRows: Row[] = subjects.map((s) => ({
    subject: s.name,
    ...metricCells(students.map((st) => markOf.get(`${st.id}|${s.id}`) ?? null)),
  }));
  const quality = subjects
    .map((s) => ({
      name: subjectShort(s.name),
      c: countOutcomes(students.map((st) => markOf.get(`${st.id}|${s.id}`) ?? null)),
    }))
    .filter((x) => x.c.counted > 0);
  return frame({
    kind: "class-results",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...classParameters(roster, params.classId),
      { label: m.params.period, value: periodName(period) },
    ],
    sections: [
      { heading: m.classResults.matrix, tables: [{ columns, rows }] },
      {
        heading: m.classResults.bySubject,
        paragraphs: [m.performance.note],
        tables: [
          {
            columns: [{ key: "subject", title: m.col.subject, kind: "text", width: 4 }, ...metricColumns()],
            rows: subjectRows,
            totalsRow: {
              subject: m.totals,
              ...metricCells(
                subjects.flatMap((s) => students.map((st) => markOf.get(`${st.id}|${s.id}`) ?? null)),
              ),
            },
          },
        ],
        chart: quality.length
          ? {
              kind: "bar",
              title: m.classResults.chart,
              categories: quality.map((q) => q.name),
              series: [
                {
                  name: "Качество",
                  values: quality.map((q) => Math.round((qualityRate(q.c) ?? 0) * 10) / 10),
                },
              ],
              unit: "%",
            }
          : undefined,
      },
    ],
  });
}
