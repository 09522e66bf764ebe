// Сводный отчёт классного руководителя (001 §3.3): per student of a class, the period's current
// marks by value, the mean and the missed lessons.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import { meanMark, normalizeMark } from "../metrics.ts";
import type { Report, Row } from "../model.ts";
import { loadAttendance, loadClassPeriod, loadMarks } from "../report-data.ts";
import { absenceCounts } from "./attendance-common.ts";
import { classParameters, frame, groupBy, sum } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { classPeriodParamsSchema } from "./params.ts";

export const classTeacherSummaryParamsSchema = classPeriodParamsSchema;

export async function buildClassTeacherSummary(
  db: Db,
  schoolId: string,
  params: z.infer<typeof classTeacherSummaryParamsSchema>,
): Promise<Report> {
  const { roster, period, students, range, scope } = await loadClassPeriod(db, schoolId, params);
  const marks = groupBy(await loadMarks(db, schoolId, range, scope), (x) => x.studentId);
  const attendance = groupBy(await loadAttendance(db, schoolId, range, scope), (x) => x.studentId);
  const rows: Row[] = students.map((s, i) => {
    const mine = marks.get(s.id) ?? [];
    const by = (v: number) => mine.filter((x) => normalizeMark(x.value) === v).length;
    const a = absenceCounts(attendance.get(s.id) ?? []);
    return {
      n: i + 1,
      student: s.name,
      n5: by(5),
      n4: by(4),
      n3: by(3),
      n2: by(2),
      mean: meanMark(mine.map((x) => ({ value: x.value, weight: x.weight ?? undefined }))),
      missed: a.missed,
      ill: a.ill,
      excused: a.excused,
      unexcused: a.unexcused,
      late: a.late,
    };
  });
  const total = (k: string) => sum(rows.map((r) => Number(r[k] ?? 0)));
  const allMarks = [...marks.values()].flat();
  return frame({
    kind: "class-teacher-summary",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...classParameters(roster, params.classId),
      { label: m.params.period, value: periodName(period) },
    ],
    sections: [
      {
        heading: m.classTeacherSummary.students,
        tables: [
          {
            columns: [
              { key: "n", title: m.col.n, kind: "int", width: 0.7 },
              { key: "student", title: m.col.student, kind: "text", width: 5 },
              { key: "n5", title: "«5»", kind: "int", width: 1 },
              { key: "n4", title: "«4»", kind: "int", width: 1 },
              { key: "n3", title: "«3»", kind: "int", width: 1 },
              { key: "n2", title: "«2»", kind: "int", width: 1 },
              { key: "mean", title: m.col.mean, kind: "decimal", width: 1.6 },
              { key: "missed", title: m.col.absences, kind: "int", width: 1.8 },
              { key: "ill", title: m.col.ill, kind: "int", width: 1.5 },
              { key: "excused", title: m.col.excused, kind: "int", width: 1.8 },
              { key: "unexcused", title: m.col.unexcused, kind: "int", width: 1.8 },
              { key: "late", title: m.col.late, kind: "int", width: 1.5 },
            ],
            rows,
            totalsRow: {
              student: m.totals,
              n5: total("n5"),
              n4: total("n4"),
              n3: total("n3"),
              n2: total("n2"),
              mean: meanMark(allMarks.map((x) => ({ value: x.value, weight: x.weight ?? undefined }))),
              missed: total("missed"),
              ill: total("ill"),
              excused: total("excused"),
              unexcused: total("unexcused"),
              late: total("late"),
            },
          },
        ],
      },
    ],
  });
}
