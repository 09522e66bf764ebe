// Замены и отмены уроков (001 §5.3 «правильность оформления записей о замене уроков»): substituted
// lessons with who wrote the topic, lessons removed from the schedule, and substitutions by teacher.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import { loadLessons, loadRemovedLessons, loadRoster, nameOf } from "../report-data.ts";
import { frame } from "./common.ts";
import { reportBuilderMessages as m } from "./messages.ru.ts";
import { periodOrMonthParamsSchema, periodOrMonthRange } from "./params.ts";

export const lessonsSubstitutedParamsSchema = periodOrMonthParamsSchema;

export async function buildLessonsSubstituted(
  db: Db,
  schoolId: string,
  params: z.infer<typeof lessonsSubstitutedParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const { range, label } = await periodOrMonthRange(db, schoolId, params);
  const substituted = (await loadLessons(db, schoolId, range)).filter((l) => l.substituteTeacherId);
  const removed = await loadRemovedLessons(db, schoolId, range);
  const cls = (id: string) => roster.classById.get(id)?.name ?? id;
  const subj = (id: string) => roster.subjectById.get(id)?.name ?? id;
  const subRows: Row[] = substituted.map((l) => ({
    date: l.date,
    lesson: l.number,
    class: cls(l.classId),
    subject: subj(l.subjectId),
    teacher: nameOf(roster, l.teacherId),
    substitute: nameOf(roster, l.substituteTeacherId),
    topicAuthor: l.topicAuthorId ? nameOf(roster, l.topicAuthorId) : "",
    status: !l.topic
      ? "тема не записана"
      : l.topicAuthorId && l.topicAuthorId !== l.substituteTeacherId
        ? "записал не заменяющий"
        : "в порядке",
  }));
  const cancelledRows: Row[] = removed.map((l) => ({
    date: l.date,
    lesson: l.number,
    class: cls(l.classId),
    subject: subj(l.subjectId),
    teacher: nameOf(roster, l.teacherId),
  }));
  const teachers = new Set(
    substituted.flatMap((l) => [l.teacherId, l.substituteTeacherId ?? ""]).filter(Boolean),
  );
  const teacherRows: Row[] = [...teachers]
    .map((id) => ({
      teacher: nameOf(roster, id),
      missed: substituted.filter((l) => l.teacherId === id).length,
      covered: substituted.filter((l) => l.substituteTeacherId === id).length,
    }))
    .sort((a, b) => a.teacher.localeCompare(b.teacher, "ru"));
  return frame({
    kind: "lessons-substituted",
    school: roster.school,
    orientation: "landscape",
    parameters: [label],
    sections: [
      {
        heading: m.substitutions.substituted,
        tables: [
          {
            columns: [
              { key: "date", title: m.col.date, kind: "date", width: 1.6 },
              { key: "lesson", title: m.col.lesson, kind: "int", width: 0.8 },
              { key: "class", title: m.col.class, kind: "text", width: 1 },
              { key: "subject", title: m.col.subject, kind: "text", width: 3 },
              { key: "teacher", title: m.col.teacher, kind: "text", width: 3.5 },
              { key: "substitute", title: m.col.substitute, kind: "text", width: 3.5 },
              { key: "topicAuthor", title: m.col.topicAuthor, kind: "text", width: 3.5 },
              { key: "status", title: m.col.status, kind: "text", width: 2.5 },
            ],
            rows: subRows,
          },
        ],
        totals: [{ label: m.col.substituted, value: subRows.length }],
      },
      {
        heading: m.substitutions.cancelled,
        tables: [
          {
            columns: [
              { key: "date", title: m.col.date, kind: "date", width: 1.6 },
              { key: "lesson", title: m.col.lesson, kind: "int", width: 0.8 },
              { key: "class", title: m.col.class, kind: "text", width: 1 },
              { key: "subject", title: m.col.subject, kind: "text", width: 3 },
              { key: "teacher", title: m.col.teacher, kind: "text", width: 3.5 },
            ],
            rows: cancelledRows,
          },
        ],
        totals: [{ label: m.col.cancelled, value: cancelledRows.length }],
      },
      {
        heading: m.substitutions.byTeacher,
        tables: [
          {
            columns: [
              { key: "teacher", title: m.col.teacher, kind: "text", width: 4 },
              { key: "missed", title: m.substitutions.missed, kind: "int", width: 2 },
              { key: "covered", title: m.substitutions.covered, kind: "int", width: 2 },
            ],
            rows: teacherRows,
          },
        ],
      },
    ],
  });
}
