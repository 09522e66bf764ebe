// Еженедельная распечатка для родителей без доступа к электронному дневнику (002 §5, 001 §3.4): a
// student's week of marks, lessons with homework, and absences. For a class: one printout per
// student whose parents did not open the diary in the four weeks up to the week's end.
import { DateTime } from "luxon";
import { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Section } from "../model.ts";
import {
  lastObservedDate,
  loadActivity,
  loadAttendance,
  loadLessons,
  loadMarks,
  loadRoster,
  type PersonInfo,
  type Roster,
  requireClass,
  requireStudent,
  studentsOf,
  weekRange,
} from "../report-data.ts";
import { frame, groupBy, markCell, sum } from "./common.ts";
import { reportBuilderMessages as m } from "./messages.ru.ts";

export const parentWeeklyParamsSchema = z
  .object({
    studentId: z.string().min(1).optional(),
    classId: z.string().min(1).optional(),
    /** Any day of the week (default: the school's latest observation). */
    week: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
      .optional(),
  })
  .refine((p) => p.studentId !== undefined || p.classId !== undefined, "give studentId or classId");

/** Students of a class none of whose parents opened the diary in the 28 days up to `to`. */
export async function offlineFamilies(
  db: Db,
  roster: Roster,
  classId: string,
  to: string,
): Promise<PersonInfo[]> {
  const from = DateTime.fromISO(to).minus({ days: 27 }).toISODate() ?? to;
  const views = groupBy(await loadActivity(db, roster.school.id, { from, to }), (a) => a.personId);
  return studentsOf(roster, classId).filter((s) => {
    const parents = roster.persons.filter((p) => p.role === "parent" && p.childIds.includes(s.id));
    return parents.every((p) => sum((views.get(p.id) ?? []).map((a) => a.diaryViews)) === 0);
  });
}

export async function buildParentWeekly(
  db: Db,
  schoolId: string,
  params: z.infer<typeof parentWeeklyParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const day =
    params.week ??
    (await lastObservedDate(db, roster.school)) ??
    DateTime.now().setZone(roster.school.timezone).toISODate() ??
    "";
  const range = weekRange(day);
  let students: PersonInfo[];
  if (params.studentId) students = [requireStudent(roster, params.studentId)];
  else {
    requireClass(roster, params.classId ?? "");
    students = await offlineFamilies(db, roster, params.classId ?? "", range.to);
  }
  const classId = params.studentId ? (students[0]?.classId ?? undefined) : params.classId;
  const scope = params.studentId ? { studentId: params.studentId } : { classId };
  const lessons = classId ? await loadLessons(db, schoolId, range, { classId }) : [];
  const marks = groupBy(await loadMarks(db, schoolId, range, scope), (x) => x.studentId);
  const absences = groupBy(
    (await loadAttendance(db, schoolId, range, scope)).filter((a) => a.status !== "present"),
    (a) => a.studentId,
  );
  const subj = (id: string) => roster.subjectById.get(id)?.name ?? id;
  const withHomework = lessons.filter((l) => l.topic || l.homework);
  const d = (s: string) => s.split("-").reverse().join(".");
  const sections: Section[] = students.flatMap((s): Section[] => {
    const mk = marks.get(s.id) ?? [];
    const ab = absences.get(s.id) ?? [];
    return [
      {
        heading: `${s.name}, ${roster.classById.get(s.classId ?? "")?.name ?? ""} класс`,
        tables: [
          {
            caption: m.parentWeekly.marks,
            columns: [
              { key: "date", title: m.col.date, kind: "date", width: 1.5 },
              { key: "subject", title: m.col.subject, kind: "text", width: 4 },
              { key: "mark", title: "Отметка", kind: "int", width: 1.2 },
            ],
            rows: mk.map((x) => ({ date: x.date, subject: subj(x.subjectId), mark: markCell(x.value) })),
          },
          ...(ab.length
            ? [
                {
                  caption: m.parentWeekly.absences,
                  columns: [
                    { key: "date", title: m.col.date, kind: "date" as const, width: 1.5 },
                    { key: "subject", title: m.col.subject, kind: "text" as const, width: 4 },
                    { key: "status", title: "Причина", kind: "text" as const, width: 2.5 },
                  ],
                  rows: ab.map((a) => ({
                    date: a.date,
                    subject: subj(a.subjectId),
                    status: m.attendanceStatus[a.status] ?? a.status,
                  })),
                },
              ]
            : []),
        ],
        totals: [{ label: m.parentWeekly.absencesTotal, value: ab.length }],
      },
    ];
  });
  if (withHomework.length && students.length) {
    sections.push({
      heading: m.parentWeekly.lessons,
      tables: [
        {
          columns: [
            { key: "date", title: m.col.date, kind: "date", width: 1.5 },
            { key: "lesson", title: m.col.lesson, kind: "int", width: 0.8 },
            { key: "subject", title: m.col.subject, kind: "text", width: 3 },
            { key: "topic", title: m.col.topic, kind: "text", width: 4 },
            { key: "homework", title: m.col.homework, kind: "text", width: 4 },
          ],
          rows: withHomework.map((l) => ({
            date: l.date,
            lesson: l.number,
            subject: subj(l.subjectId),
            topic: l.topic ?? "",
            homework: l.homework ?? "",
          })),
        },
      ],
    });
  }
  if (students.length) sections.push({ paragraphs: [m.parentWeekly.signature] });
  else sections.push({ paragraphs: [m.parentWeekly.noneSelected] });
  return frame({
    kind: "parent-weekly",
    school: roster.school,
    parameters: [
      ...(params.studentId ? [{ label: m.params.student, value: students[0]?.name ?? "" }] : []),
      ...(classId ? [{ label: m.params.class, value: roster.classById.get(classId)?.name ?? classId }] : []),
      { label: m.params.week, value: `${d(range.from)}–${d(range.to)}` },
    ],
    sections,
  });
}
