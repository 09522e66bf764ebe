// Отчёт классного руководителя за учебный период (001 §3.4): the class's standing from the period
// marks, the students of each group by name (with the subjects of their «3», «2» or н/а), and absences.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import { normalizeMark } from "../metrics.ts";
import type { Report, Row } from "../model.ts";
import { loadAttendance, loadClassPeriod, loadPeriodMarks } from "../report-data.ts";
import { absenceCounts } from "./attendance-common.ts";
import { classParameters, frame, groupBy, studentStanding } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { classPeriodParamsSchema } from "./params.ts";
import { groupOf, hasOneThree, standingColumns, standingRow } from "./school-performance.ts";

export const classTeacherPeriodParamsSchema = classPeriodParamsSchema;

export async function buildClassTeacherPeriod(
  db: Db,
  schoolId: string,
  params: z.infer<typeof classTeacherPeriodParamsSchema>,
): Promise<Report> {
  const { roster, cls, period, students, range, scope } = await loadClassPeriod(db, schoolId, params);
  const byStudent = groupBy(await loadPeriodMarks(db, schoolId, [period.id], scope), (p) => p.studentId);
  const attendance = groupBy(await loadAttendance(db, schoolId, range, scope), (a) => a.studentId);
  const group = groupOf(
    students.map((s) => s.id),
    byStudent,
  );
  const subjectName = (id: string) => roster.subjectById.get(id)?.name ?? id;

  const rows: Row[] = students.map((s, i) => {
    const marks = byStudent.get(s.id) ?? [];
    const values = marks.map((p) => p.value);
    const standing = studentStanding(values);
    const group =
      standing === 5
        ? m.col.excellent
        : standing === 4
          ? m.col.good
          : hasOneThree(values)
            ? m.col.oneThree
            : standing === 3
              ? "С «3»"
              : standing === 2 || standing === "н/а"
                ? m.col.failing
                : "—";
    const weak = marks
      .filter((p) => {
        const v = normalizeMark(p.value);
        return v === "н/а" || (typeof v === "number" && v <= 3);
      })
      .map((p) => `${subjectName(p.subjectId)} (${p.value})`)
      .join(", ");
    const a = absenceCounts(attendance.get(s.id) ?? []);
    return { n: i + 1, student: s.name, group, weak, missed: a.missed, ill: a.ill, unexcused: a.unexcused };
  });
  return frame({
    kind: "class-teacher-period",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...classParameters(roster, params.classId),
      { label: m.params.period, value: periodName(period) },
    ],
    sections: [
      {
        heading: m.classPeriod.summary,
        paragraphs: [m.performance.note],
        tables: [
          {
            columns: [{ key: "class", title: m.col.class, kind: "text", width: 1.5 }, ...standingColumns()],
            rows: [standingRow({ class: cls.name }, group)],
          },
        ],
      },
      {
        heading: m.classPeriod.lists,
        tables: [
          {
            columns: [
              { key: "n", title: m.col.n, kind: "int", width: 0.7 },
              { key: "student", title: m.col.student, kind: "text", width: 4.5 },
              { key: "group", title: "Группа", kind: "text", width: 2 },
              { key: "weak", title: "Отметки «3», «2», н/а", kind: "text", width: 7 },
              { key: "missed", title: m.col.absences, kind: "int", width: 1.5 },
              { key: "ill", title: m.col.ill, kind: "int", width: 1.4 },
              { key: "unexcused", title: m.col.unexcused, kind: "int", width: 1.6 },
            ],
            rows,
          },
        ],
      },
    ],
  });
}
