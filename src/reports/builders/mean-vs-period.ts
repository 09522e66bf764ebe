// Средний балл и отметка за период (003 §5.1 «итоговые оценки должны быть обоснованы»): per student
// and subject, the plain and the weighted mean, the mark the school's cut-offs give, the mark set.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import { meanMark, normalizeMark, periodMarkFromMean } from "../metrics.ts";
import type { Report, Row } from "../model.ts";
import { loadClassPeriod, loadMarks, loadPeriodMarks } from "../report-data.ts";
import { classParameters, frame, groupBy, markCell } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { classPeriodParamsSchema, policyParameters, policyParamsSchema, resolvePolicy } from "./params.ts";

export const meanVsPeriodParamsSchema = classPeriodParamsSchema.extend(policyParamsSchema.shape);

export async function buildMeanVsPeriod(
  db: Db,
  schoolId: string,
  params: z.infer<typeof meanVsPeriodParamsSchema>,
): Promise<Report> {
  const { roster, period, students, range, scope } = await loadClassPeriod(db, schoolId, params);
  const policy = resolvePolicy(params);
  const marks = groupBy(await loadMarks(db, schoolId, range, scope), (x) => `${x.studentId}|${x.subjectId}`);
  const pm = new Map(
    (await loadPeriodMarks(db, schoolId, [period.id], scope)).map((p) => [
      `${p.studentId}|${p.subjectId}`,
      p.value,
    ]),
  );
  const rows: Row[] = [];
  let mismatches = 0;
  for (const st of students) {
    for (const s of roster.subjects) {
      const key = `${st.id}|${s.id}`;
      const list = marks.get(key);
      const set = pm.get(key);
      if (!list && set === undefined) continue;
      const weighted = (list ?? []).map((x) => ({ value: x.value, weight: x.weight ?? undefined }));
      const wMean = meanMark(weighted);
      const byCutoffs = periodMarkFromMean(wMean, policy);
      const actual = set === undefined ? null : normalizeMark(set);
      const differs = typeof actual === "number" && byCutoffs !== null && actual !== byCutoffs;
      if (differs) mismatches++;
      rows.push({
        student: st.name,
        subject: s.name,
        count: (list ?? []).filter((x) => typeof normalizeMark(x.value) === "number").length,
        mean: meanMark(weighted, { useWeights: false }),
        weighted: wMean,
        byCutoffs,
        periodMark: markCell(set),
        mismatch: differs ? m.yes : "",
      });
    }
  }
  return frame({
    kind: "mean-vs-period",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...classParameters(roster, params.classId),
      { label: m.params.period, value: periodName(period) },
      ...policyParameters(policy),
    ],
    sections: [
      {
        heading: m.meanVsPeriod.table,
        tables: [
          {
            columns: [
              { key: "student", title: m.col.student, kind: "text", width: 4 },
              { key: "subject", title: m.col.subject, kind: "text", width: 3.5 },
              { key: "count", title: m.col.marksCount, kind: "int", width: 1.2 },
              { key: "mean", title: m.col.mean, kind: "decimal", width: 1.5 },
              { key: "weighted", title: m.col.weightedMean, kind: "decimal", width: 1.8 },
              { key: "byCutoffs", title: m.col.byCutoffs, kind: "int", width: 1.5 },
              { key: "periodMark", title: m.col.periodMark, kind: "int", width: 1.5 },
              { key: "mismatch", title: m.col.mismatch, kind: "text", width: 1.5 },
            ],
            rows,
          },
        ],
        totals: [{ label: m.meanVsPeriod.mismatches, value: mismatches }],
      },
    ],
  });
}
