// Сводная ведомость учёта посещаемости (001 §3.3–3.4, §6): missed lessons of each student of a class
// by reason, for a period or a month, and the class's absences week by week.
import type { z } from "zod";
import { z as zod } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import {
  loadAttendance,
  loadLessons,
  loadRoster,
  requireClass,
  studentsOf,
  weekRange,
} from "../report-data.ts";
import { absenceCounts } from "./attendance-common.ts";
import { classParameters, dayMonth, frame, groupBy, percent, sum } from "./common.ts";
import { reportBuilderMessages as m } from "./messages.ru.ts";
import { periodOrMonthParamsSchema, periodOrMonthRange } from "./params.ts";

export const attendanceSheetParamsSchema = zod.intersection(
  zod.object({ classId: zod.string().min(1) }),
  periodOrMonthParamsSchema,
);

export async function buildAttendanceSheet(
  db: Db,
  schoolId: string,
  params: z.infer<typeof attendanceSheetParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  requireClass(roster, params.classId);
  const { range, label } = await periodOrMonthRange(db, schoolId, params);
  const lessons = await loadLessons(db, schoolId, range, { classId: params.classId });
  const records = await loadAttendance(db, schoolId, range, { classId: params.classId });
  const byStudent = groupBy(records, (r) => r.studentId);
  const rows: Row[] = studentsOf(roster, params.classId).map((s, i) => {
    const c = absenceCounts(byStudent.get(s.id) ?? []);
    return {
      n: i + 1,
      student: s.name,
      missed: c.missed,
      ill: c.ill,
      excused: c.excused,
      unexcused: c.unexcused,
      late: c.late,
      share: percent(c.missed, lessons.length),
    };
  });
  const total = absenceCounts(records);
  const weeks = groupBy(records, (r) => weekRange(r.date).from);
  const weekKeys = [...weeks.keys()].sort();
  return frame({
    kind: "attendance-sheet",
    school: roster.school,
    parameters: [
      ...classParameters(roster, params.classId),
      label,
      { label: "Уроков класса", value: lessons.length },
    ],
    sections: [
      {
        heading: m.attendanceSheet.students,
        tables: [
          {
            columns: [
              { key: "n", title: m.col.n, kind: "int", width: 0.7 },
              { key: "student", title: m.col.student, kind: "text", width: 5 },
              { key: "missed", title: m.col.absences, kind: "int", width: 1.6 },
              { key: "ill", title: m.col.ill, kind: "int", width: 1.4 },
              { key: "excused", title: m.col.excused, kind: "int", width: 1.6 },
              { key: "unexcused", title: m.col.unexcused, kind: "int", width: 1.6 },
              { key: "late", title: m.col.late, kind: "int", width: 1.4 },
              { key: "share", title: m.col.absentShare, kind: "percent", width: 1.4 },
            ],
            rows,
            totalsRow: {
              student: m.totals,
              missed: total.missed,
              ill: total.ill,
              excused: total.excused,
              unexcused: total.unexcused,
              late: total.late,
              share: percent(total.missed, lessons.length * rows.length),
            },
          },
        ],
        chart: weekKeys.length
          ? {
              kind: "line",
              title: m.attendanceSheet.chart,
              categories: weekKeys.map((w) => dayMonth(w)),
              series: [
                {
                  name: m.col.absences,
                  values: weekKeys.map((w) => absenceCounts(weeks.get(w) ?? []).missed),
                },
                { name: m.col.ill, values: weekKeys.map((w) => absenceCounts(weeks.get(w) ?? []).ill) },
              ],
            }
          : undefined,
        totals: [{ label: m.col.absences, value: sum(rows.map((r) => Number(r.missed))) }],
      },
    ],
  });
}
