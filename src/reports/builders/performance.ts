// Period performance and quality by class, subject, class×subject and teacher (000 §7.2, 003 §8.2).
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { MarkValue } from "../metrics.ts";
import { countOutcomes, meanMark, qualityRate } from "../metrics.ts";
import type { Column, Report, Row } from "../model.ts";
import {
  loadLessons,
  loadPeriod,
  loadPeriodMarks,
  loadRoster,
  nameOf,
  type PeriodMarkInfo,
  type Roster,
  studentsOf,
  teachersByClassSubject,
} from "../report-data.ts";
import { frame, groupBy, metricCells, metricColumns, studentStanding } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { periodParamsSchema } from "./params.ts";

export const performanceParamsSchema = periodParamsSchema;

/** One class×subject: every live student of the class with their period mark (null = none). */
export interface ClassSubjectMarks {
  classId: string;
  subjectId: string;
  teacherId: string | null;
  marks: (MarkValue | null)[];
}

/**
 * The class×subject cells of a period: a subject counts for a class when it has lessons or period
 * marks there; every live student of the class is one entry (no mark → null, outside N).
 */
export function classSubjectMarks(
  roster: Roster,
  periodMarks: PeriodMarkInfo[],
  teacherOf: Map<string, string>,
): ClassSubjectMarks[] {
  const markOf = new Map(periodMarks.map((p) => [`${p.studentId}|${p.subjectId}`, p.value]));
  const subjectsByClass = new Map<string, Set<string>>();
  for (const key of teacherOf.keys()) {
    const [classId, subjectId] = key.split("|");
    const set = subjectsByClass.get(classId) ?? new Set<string>();
    set.add(subjectId);
    subjectsByClass.set(classId, set);
  }
  for (const p of periodMarks) {
    const classId = roster.personById.get(p.studentId)?.classId;
    if (!classId) continue;
    const set = subjectsByClass.get(classId) ?? new Set<string>();
    set.add(p.subjectId);
    subjectsByClass.set(classId, set);
  }
  const out: ClassSubjectMarks[] = [];
  for (const c of roster.classes) {
    const students = studentsOf(roster, c.id);
    const subjects = [...(subjectsByClass.get(c.id) ?? [])]
      .filter((s) => roster.subjectById.has(s))
      .sort((a, b) =>
        (roster.subjectById.get(a)?.name ?? a).localeCompare(roster.subjectById.get(b)?.name ?? b, "ru"),
      );
    for (const subjectId of subjects) {
      out.push({
        classId: c.id,
        subjectId,
        teacherId: teacherOf.get(`${c.id}|${subjectId}`) ?? null,
        marks: students.map((s) => markOf.get(`${s.id}|${subjectId}`) ?? null),
      });
    }
  }
  return out;
}

/** Each live student's standing over all subjects (studentStanding), grouped by class. */
export function standingsByClass(
  roster: Roster,
  periodMarks: PeriodMarkInfo[],
): Map<string, (MarkValue | null)[]> {
  const byStudent = groupBy(periodMarks, (p) => p.studentId);
  const out = new Map<string, (MarkValue | null)[]>();
  for (const c of roster.classes) {
    out.set(
      c.id,
      studentsOf(roster, c.id).map((s) => studentStanding((byStudent.get(s.id) ?? []).map((p) => p.value))),
    );
  }
  return out;
}

export async function buildPerformance(
  db: Db,
  schoolId: string,
  params: z.infer<typeof performanceParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const period = await loadPeriod(db, schoolId, params.periodId);
  const lessons = await loadLessons(db, schoolId, { from: period.start, to: period.end });
  const periodMarks = await loadPeriodMarks(db, schoolId, [period.id]);
  const cells = classSubjectMarks(roster, periodMarks, teachersByClassSubject(lessons));
  const metrics = metricColumns();
  const subjectName = (id: string) => roster.subjectById.get(id)?.name ?? id;

  const standings = standingsByClass(roster, periodMarks);
  const marksByClass = groupBy(periodMarks, (p) => roster.personById.get(p.studentId)?.classId ?? "");
  const meanOf = (list: PeriodMarkInfo[]) => meanMark(list.map((p) => ({ value: p.value })));
  const classRows: Row[] = [];
  const chartCategories: string[] = [];
  const chartValues: number[] = [];
  for (const c of roster.classes) {
    const values = standings.get(c.id) ?? [];
    if (values.length === 0) continue;
    // The mean is over the class's period marks, not over the students' worst ones.
    classRows.push({ class: c.name, ...metricCells(values), mean: meanOf(marksByClass.get(c.id) ?? []) });
    const counts = countOutcomes(values);
    if (counts.counted > 0) {
      chartCategories.push(c.name);
      chartValues.push(Math.round((qualityRate(counts) ?? 0) * 10) / 10);
    }
  }
  const allStandings = [...standings.values()].flat();

  const bySubject = groupBy(cells, (c) => c.subjectId);
  const subjectRows: Row[] = [...bySubject].map(([subjectId, list]) => ({
    subject: subjectName(subjectId),
    ...metricCells(list.flatMap((l) => l.marks)),
  }));
  subjectRows.sort((a, b) => String(a.subject).localeCompare(String(b.subject), "ru"));

  const classSubjectRows: Row[] = cells.map((c) => ({
    class: roster.classById.get(c.classId)?.name ?? c.classId,
    subject: subjectName(c.subjectId),
    teacher: nameOf(roster, c.teacherId),
    ...metricCells(c.marks),
  }));

  const byTeacher = groupBy(
    cells.filter((c) => c.teacherId),
    (c) => c.teacherId ?? "",
  );
  const teacherRows: Row[] = [...byTeacher]
    .map(([teacherId, list]) => ({
      teacher: nameOf(roster, teacherId),
      ...metricCells(list.flatMap((l) => l.marks)),
    }))
    .sort((a, b) => String(a.teacher).localeCompare(String(b.teacher), "ru"));

  const col = (key: string, title: string, width = 3): Column => ({ key, title, kind: "text", width });
  const allCells = cells.flatMap((c) => c.marks);
  return frame({
    kind: "performance",
    school: roster.school,
    orientation: "landscape",
    parameters: [{ label: m.params.period, value: periodName(period) }],
    sections: [
      {
        heading: m.performance.byClass,
        paragraphs: [m.performance.note],
        tables: [
          {
            columns: [col("class", m.col.class, 1.5), ...metrics],
            rows: classRows,
            totalsRow: {
              class: m.school,
              ...metricCells(allStandings),
              mean: meanOf(
                periodMarks.filter((p) =>
                  roster.classById.has(roster.personById.get(p.studentId)?.classId ?? ""),
                ),
              ),
            },
          },
        ],
        chart:
          chartCategories.length > 0
            ? {
                kind: "bar",
                title: m.performance.chart,
                categories: chartCategories,
                series: [{ name: "Качество", values: chartValues }],
                unit: "%",
              }
            : undefined,
      },
      {
        heading: m.performance.bySubject,
        tables: [
          {
            columns: [col("subject", m.col.subject, 4), ...metrics],
            rows: subjectRows,
            totalsRow: { subject: m.totals, ...metricCells(allCells) },
          },
        ],
      },
      {
        heading: m.performance.byTeacher,
        tables: [{ columns: [col("teacher", m.col.teacher, 4), ...metrics], rows: teacherRows }],
      },
      {
        heading: m.performance.byClassSubject,
        tables: [
          {
            columns: [
              col("class", m.col.class, 1.5),
              col("subject", m.col.subject, 4),
              col("teacher", m.col.teacher, 4),
              ...metrics,
            ],
            rows: classSubjectRows,
          },
        ],
      },
    ],
  });
}
