// The deputy's control figures of 003 §3.5: participation, students without marks or with one
// mark, homework and topics recorded — per class and subject, for a period or a month.
import type { z } from "zod";
import type { Db } from "../../store/db.ts";
import type { Report, Row } from "../model.ts";
import {
  loadActivity,
  loadLessons,
  loadMarks,
  loadRoster,
  nameOf,
  studentsOf,
  teachersByClassSubject,
} from "../report-data.ts";
import { frame, groupBy, percent, sum } from "./common.ts";
import { reportBuilderMessages as m } from "./messages.ru.ts";
import { periodOrMonthParamsSchema, periodOrMonthRange } from "./params.ts";

export const controlFiguresParamsSchema = periodOrMonthParamsSchema;

export async function buildControlFigures(
  db: Db,
  schoolId: string,
  params: z.infer<typeof controlFiguresParamsSchema>,
): Promise<Report> {
  const roster = await loadRoster(db, schoolId);
  const { range, label } = await periodOrMonthRange(db, schoolId, params);
  const lessons = await loadLessons(db, schoolId, range);
  const marks = await loadMarks(db, schoolId, range);
  const activity = await loadActivity(db, schoolId, range);
  const teacherOf = teachersByClassSubject(lessons);

  const lessonsBy = groupBy(lessons, (l) => `${l.classId}|${l.subjectId}`);
  const marksPerStudent = new Map<string, number>();
  for (const mk of marks) {
    const k = `${mk.studentId}|${mk.subjectId}`;
    marksPerStudent.set(k, (marksPerStudent.get(k) ?? 0) + 1);
  }
  const rows: Row[] = [];
  const noMarksByClass = new Map<string, { none: number; pairs: number }>();
  let tot = { pairs: 0, none: 0, one: 0, lessons: 0, topic: 0, homework: 0 };
  for (const c of roster.classes) {
    const students = studentsOf(roster, c.id);
    for (const s of roster.subjects) {
      const list = lessonsBy.get(`${c.id}|${s.id}`);
      if (!list) continue;
      const counts = students.map((st) => marksPerStudent.get(`${st.id}|${s.id}`) ?? 0);
      const none = counts.filter((n) => n === 0).length;
      const one = counts.filter((n) => n === 1).length;
      const topic = list.filter((l) => l.topic && l.topic.trim() !== "").length;
      const homework = list.filter((l) => l.homework && l.homework.trim() !== "").length;
      rows.push({
        class: c.name,
        subject: s.name,
        teacher: nameOf(roster, teacherOf.get(`${c.id}|${s.id}`)),
        students: students.length,
        noMarks: percent(none, students.length),
        oneMark: percent(one, students.length),
        lessons: list.length,
        topic: percent(topic, list.length),
        homework: percent(homework, list.length),
      });
      const agg = noMarksByClass.get(c.name) ?? { none: 0, pairs: 0 };
      agg.none += none;
      agg.pairs += students.length;
      noMarksByClass.set(c.name, agg);
      tot = {
        pairs: tot.pairs + students.length,
        none: tot.none + none,
        one: tot.one + one,
        lessons: tot.lessons + list.length,
        topic: tot.topic + topic,
        homework: tot.homework + homework,
      };
    }
  }

  const byPerson = groupBy(activity, (a) => a.personId);
  const activeShare = (role: string, metric: "logins" | "diaryViews" | "entries") => {
    const people = roster.persons.filter((p) => p.role === role);
    const active = people.filter((p) => sum((byPerson.get(p.id) ?? []).map((d) => d[metric])) > 0).length;
    return { active, total: people.length, share: percent(active, people.length) };
  };
  const teachers = activeShare("teacher", "logins");
  const parents = activeShare("parent", "diaryViews");
  const students = activeShare("student", "logins");
  const chartClasses = [...noMarksByClass].filter(([, v]) => v.pairs > 0);

  return frame({
    kind: "control-figures",
    school: roster.school,
    orientation: "landscape",
    parameters: [label],
    sections: [
      {
        heading: m.controlFigures.participation,
        tables: [
          {
            columns: [
              { key: "indicator", title: m.col.indicator, kind: "text", width: 5 },
              { key: "active", title: "Работали", kind: "int", width: 2 },
              { key: "total", title: m.col.total, kind: "int", width: 2 },
              { key: "share", title: m.col.share, kind: "percent", width: 2 },
            ],
            rows: [
              { indicator: m.controlFigures.teachers, ...teachers },
              { indicator: m.controlFigures.parents, ...parents },
              { indicator: m.controlFigures.students, ...students },
            ],
          },
        ],
      },
      {
        heading: m.controlFigures.byClassSubject,
        tables: [
          {
            columns: [
              { key: "class", title: m.col.class, kind: "text", width: 1.5 },
              { key: "subject", title: m.col.subject, kind: "text", width: 4 },
              { key: "teacher", title: m.col.teacher, kind: "text", width: 4 },
              { key: "students", title: m.col.students, kind: "int", width: 1.5 },
              { key: "noMarks", title: m.col.noMarksShare, kind: "percent", width: 2 },
              { key: "oneMark", title: m.col.oneMarkShare, kind: "percent", width: 2 },
              { key: "lessons", title: m.col.lessons, kind: "int", width: 1.5 },
              { key: "topic", title: m.col.topicShare, kind: "percent", width: 2 },
              { key: "homework", title: m.col.homeworkShare, kind: "percent", width: 2 },
            ],
            rows,
            totalsRow: {
              class: m.totals,
              students: tot.pairs,
              noMarks: percent(tot.none, tot.pairs),
              oneMark: percent(tot.one, tot.pairs),
              lessons: tot.lessons,
              topic: percent(tot.topic, tot.lessons),
              homework: percent(tot.homework, tot.lessons),
            },
          },
        ],
        chart:
          chartClasses.length > 0
            ? {
                kind: "bar",
                title: m.controlFigures.chart,
                categories: chartClasses.map(([name]) => name),
                series: [
                  {
                    name: m.col.noMarksShare.replace(", %", ""),
                    values: chartClasses.map(([, v]) => Math.round(((v.none * 100) / v.pairs) * 10) / 10),
                  },
                ],
                unit: "%",
              }
            : undefined,
      },
    ],
  });
}
