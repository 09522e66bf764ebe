// Наполняемость классов (001 §3.3): live students per class, by level of education and in all.
import { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import { lastObservedDate, loadRoster, nameOf, studentsOf } from "../report-data.ts";
import { frame, levelOf, sum } from "./common.ts";
import { reportBuilderMessages as m } from "./messages.ru.ts";

export const classSizesParamsSchema = z.object({ periodId: z.string().min(1).optional() });

export async function buildClassSizes(
  db: Db,
  schoolId: string,
  _params: z.infer<typeof classSizesParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const asOf = await lastObservedDate(db, roster.school);
  const rows: Row[] = roster.classes.map((c) => ({
    class: c.name,
    teacher: nameOf(roster, c.classTeacherId),
    students: studentsOf(roster, c.id).length,
  }));
  const levels = (Object.keys(m.levels) as (keyof typeof m.levels)[]).map((level) => {
    const classes = roster.classes.filter((c) => levelOf(c.grade) === level);
    return {
      level: m.levels[level],
      classes: classes.length,
      students: sum(classes.map((c) => studentsOf(roster, c.id).length)),
    };
  });
  const total = sum(rows.map((r) => Number(r.students)));
  return frame({
    kind: "class-sizes",
    school: roster.school,
    parameters: asOf ? [{ label: m.params.asOf, value: asOf.split("-").reverse().join(".") }] : [],
    sections: [
      {
        tables: [
          {
            columns: [
              { key: "class", title: m.col.class, kind: "text", width: 1 },
              { key: "teacher", title: m.params.classTeacher, kind: "text", width: 4 },
              { key: "students", title: m.col.students, kind: "int", width: 1.5 },
            ],
            rows,
            totalsRow: { class: m.totals, students: total },
          },
        ],
        chart: rows.length
          ? {
              kind: "bar",
              title: m.classSizes.chart,
              categories: rows.map((r) => String(r.class)),
              series: [{ name: m.col.students, values: rows.map((r) => Number(r.students)) }],
            }
          : undefined,
      },
      {
        heading: m.classSizes.byLevel,
        tables: [
          {
            columns: [
              { key: "level", title: m.col.level, kind: "text", width: 4 },
              { key: "classes", title: "Классов", kind: "int", width: 1.5 },
              { key: "students", title: m.col.students, kind: "int", width: 1.5 },
            ],
            rows: levels,
            totalsRow: { level: m.school, classes: roster.classes.length, students: total },
          },
        ],
      },
    ],
  });
}
