// Сводная ведомость учёта успеваемости (001 §3.3–3.4, §6): a class's period marks for every period
// of the school year holding the chosen period, the year marks last; one table per period.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Column, Report, Section } from "../model.ts";
import { loadClassPeriod, loadLessons, loadPeriodMarks, loadPeriods } from "../report-data.ts";
import { classSubjects, subjectShort } from "./class-subjects.ts";
import { classParameters, frame, markCell } from "./common.ts";
import { reportBuilderMessages as m, periodName } from "./messages.ru.ts";
import { classPeriodParamsSchema } from "./params.ts";

export const marksSheetParamsSchema = classPeriodParamsSchema;

export async function buildMarksSheet(
  db: Db,
  schoolId: string,
  params: z.infer<typeof marksSheetParamsSchema>,
): Promise<Report> {
  const { roster, period: chosen, students } = await loadClassPeriod(db, schoolId, params);
  const all = await loadPeriods(db, schoolId);
  const year = all.find((p) => p.kind === "year" && p.start <= chosen.start && p.end >= chosen.end) ?? chosen;
  const periods = all
    .filter((p) => p.start >= year.start && p.end <= year.end && p.kind !== "year")
    .concat(year.kind === "year" ? [year] : []);
  const lessons = await loadLessons(
    db,
    schoolId,
    { from: year.start, to: year.end },
    { classId: params.classId },
  );
  const periodMarks = await loadPeriodMarks(
    db,
    schoolId,
    periods.map((p) => p.id),
    { classId: params.classId },
  );
  const subjects = classSubjects(roster, lessons, periodMarks);
  const markOf = new Map(periodMarks.map((p) => [`${p.periodId}|${p.studentId}|${p.subjectId}`, p.value]));
  const columns: Column[] = [
    { key: "n", title: m.col.n, kind: "int", width: 0.8 },
    { key: "student", title: m.col.student, kind: "text", width: 6 },
    ...subjects.map((s) => ({
      key: `s_${s.id}`,
      title: subjectShort(s.name),
      kind: "int" as const,
      width: 1.3,
    })),
  ];
  const sections: Section[] = periods.map((p) => ({
    heading: m.marksSheet.period(periodName(p)),
    tables: [
      {
        columns,
        rows: students.map((st, i) => {
          const row: Record<string, string | number | null> = { n: i + 1, student: st.name };
          for (const s of subjects) row[`s_${s.id}`] = markCell(markOf.get(`${p.id}|${st.id}|${s.id}`));
          return row;
        }),
      },
    ],
  }));
  return frame({
    kind: "marks-sheet",
    school: roster.school,
    orientation: "landscape",
    parameters: [
      ...classParameters(roster, params.classId),
      { label: m.params.period, value: periodName(year) },
    ],
    sections,
  });
}
