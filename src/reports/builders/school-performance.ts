// Сводный отчёт об успеваемости по школе (001 §3.3): per class and level, students by their
// standing over all subjects of the period (отличники, хорошисты, с одной «3», неуспевающие).
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import { countOutcomes, type MarkValue, normalizeMark, qualityRate, successRate } from "../metrics.ts";
import type { Column, Report, Row } from "../model.ts";
import { loadPeriod, loadPeriodMarks, loadRoster, type PeriodMarkInfo, studentsOf } from "../report-data.ts";
import { countsCells, frame, groupBy, levelOf, studentStanding } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { periodParamsSchema } from "./params.ts";

export const schoolPerformanceParamsSchema = periodParamsSchema;

/** Exactly one «3» and every other graded mark «4» or «5». */
export function hasOneThree(values: ReadonlyArray<MarkValue>): boolean {
  const graded = values.map(normalizeMark).filter((v): v is number => typeof v === "number");
  return (
    graded.filter((v) => v === 3).length === 1 &&
    graded.every((v) => v >= 3) &&
    !values.some((v) => normalizeMark(v) === "н/а")
  );
}

export interface Group {
  standings: (MarkValue | null)[];
  oneThree: number;
}

export function standingRow(label: Record<string, string>, g: Group): Row {
  const c = countOutcomes(g.standings);
  const cells = countsCells(c);
  return {
    ...label,
    students: cells.students,
    counted: cells.counted,
    excellent: c.n5,
    good: c.n4,
    oneThree: g.oneThree,
    n3: c.n3,
    failing: c.n2,
    na: c.nNotAttested,
    success: cells.success,
    quality: cells.quality,
    sou: cells.sou,
  };
}

export function standingColumns(): Column[] {
  return [
    { key: "students", title: m.col.students, kind: "int" },
    { key: "counted", title: "Учтено (N)", kind: "int" },
    { key: "excellent", title: m.col.excellent, kind: "int" },
    { key: "good", title: m.col.good, kind: "int" },
    { key: "oneThree", title: m.col.oneThree, kind: "int" },
    { key: "n3", title: "С «3»", kind: "int" },
    { key: "failing", title: m.col.failing, kind: "int" },
    { key: "na", title: "н/а", kind: "int" },
    { key: "success", title: "Успеваемость, %", kind: "percent" },
    { key: "quality", title: "Качество, %", kind: "percent" },
    { key: "sou", title: "СОУ, %", kind: "percent" },
  ];
}

export function groupOf(studentIds: string[], byStudent: Map<string, PeriodMarkInfo[]>): Group {
  const values = studentIds.map((id) => (byStudent.get(id) ?? []).map((p) => p.value));
  return {
    standings: values.map((v) => studentStanding(v)),
    oneThree: values.filter((v) => hasOneThree(v)).length,
  };
}

export async function buildSchoolPerformance(
  db: Db,
  schoolId: string,
  params: z.infer<typeof schoolPerformanceParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const period = await loadPeriod(db, schoolId, params.periodId);
  const byStudent = groupBy(await loadPeriodMarks(db, schoolId, [period.id]), (p) => p.studentId);
  const classRows: Row[] = [];
  const chart = { categories: [] as string[], success: [] as number[], quality: [] as number[] };
  for (const c of roster.classes) {
    const ids = studentsOf(roster, c.id).map((s) => s.id);
    if (ids.length === 0) continue;
    const g = groupOf(ids, byStudent);
    classRows.push(standingRow({ class: c.name }, g));
    const counts = countOutcomes(g.standings);
    if (counts.counted > 0) {
      chart.categories.push(c.name);
      chart.success.push(Math.round((successRate(counts) ?? 0) * 10) / 10);
      chart.quality.push(Math.round((qualityRate(counts) ?? 0) * 10) / 10);
    }
  }
  const levelRows: Row[] = (Object.keys(m.levels) as (keyof typeof m.levels)[]).map((level) =>
    standingRow(
      { level: m.levels[level] },
      groupOf(
        roster.classes
          .filter((c) => levelOf(c.grade) === level)
          .flatMap((c) => studentsOf(roster, c.id).map((s) => s.id)),
        byStudent,
      ),
    ),
  );
  const everyone = roster.classes.flatMap((c) => studentsOf(roster, c.id).map((s) => s.id));
  return frame({
    kind: "school-performance",
    school: roster.school,
    orientation: "landscape",
    parameters: [{ label: m.params.period, value: periodName(period) }],
    sections: [
      {
        heading: m.schoolPerformance.byClass,
        paragraphs: [m.performance.note],
        tables: [
          {
            columns: [{ key: "class", title: m.col.class, kind: "text", width: 1.5 }, ...standingColumns()],
            rows: classRows,
            totalsRow: standingRow({ class: m.school }, groupOf(everyone, byStudent)),
          },
        ],
        chart: chart.categories.length
          ? {
              kind: "bar",
              title: m.schoolPerformance.chart,
              categories: chart.categories,
              series: [
                { name: "Успеваемость", values: chart.success },
                { name: "Качество", values: chart.quality },
              ],
              unit: "%",
            }
          : undefined,
      },
      {
        heading: m.schoolPerformance.byLevel,
        tables: [
          {
            columns: [{ key: "level", title: m.col.level, kind: "text", width: 4 }, ...standingColumns()],
            rows: levelRows,
            totalsRow: standingRow({ level: m.school }, groupOf(everyone, byStudent)),
          },
        ],
      },
    ],
  });
}
