// What the NetSchool connector must read back from the simulator for a canonical dataset: the records
// the web diary carries, with the server's ids, and what the reports add — the day each mark was set
// (StudentGrades, from the dataset's entry time), absences (StudentTotal: the k-th code of a subject's
// day on its k-th lesson) and period marks — minus what it cannot carry (no entry times, no teacher,
// no «present» rows, no calendar, no зч/нз current marks, no parents or staff).
import { DateTime } from "luxon";

import { subjectIdOf, teacherSlotId } from "../../../src/connectors/netschool/mapping.ts";
import { netschoolId, SIM_TYPES } from "../../../src/connectors/netschool/simulator.ts";
import type { Dataset } from "../../../src/dataset/types.ts";
import type { Mark, StreamName, StreamRecords } from "../../../src/model/records.ts";

const numeric = (m: Mark) => typeof m.value === "number" || /^[1-5]$/.test(m.value);

export function expectedNetschoolRecords(d: Dataset): { [S in StreamName]?: StreamRecords[S][] } {
  const s = d.streams;
  const observed = d.manifest.observedAt.slice(0, 10);
  const year = s.periods
    .filter((p) => p.kind === "year")
    .find((y) => y.start <= observed && observed <= y.end)!;
  const inYear = (date: string) => date >= year.start && date <= year.end;
  const classes = new Map(s.classes.map((c) => [c.id, c]));
  const subjectName = new Map(s.subjects.map((x) => [x.id, x.name]));
  const cid = (id: string) => netschoolId("class", id);
  const sid = (id: string) => subjectIdOf(subjectName.get(id)!);
  const pid = (id: string) => netschoolId("person", id);
  const lessons = s.lessons.filter((l) => inYear(l.date));
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  const worksByLesson = new Map<string, number>();
  for (const w of s.works)
    if (w.lessonId) worksByLesson.set(w.lessonId, (worksByLesson.get(w.lessonId) ?? 0) + 1);
  // Oral marks: the k-th of a pupil in a lesson sits on the lesson's k-th oral assignment.
  const oralIndex = new Map<string, number>();
  const oralCount = new Map<string, number>();
  const workWeight = new Map<string, number>();
  const marks: StreamRecords["marks"][] = [];
  const workMarkSeen = new Set<string>();
  // StudentGrades: the set day of each (pupil, subject, lesson day, type, value); alike rows: the earliest.
  const zone = d.manifest.school.timezone;
  const worksById = new Map(s.works.map((w) => [w.id, w]));
  const typeName = (m: Mark) => {
    const kind = m.workId ? worksById.get(m.workId)?.kind : "oral";
    return SIM_TYPES.find((t) => t.kind === kind)?.name ?? SIM_TYPES[0].name;
  };
  const setKey = (m: Mark, date: string) => `${m.studentId}|${m.subjectId}|${date}|${typeName(m)}|${m.value}`;
  const setDates = new Map<string, string>();
  for (const m of s.marks) {
    const l = m.lessonId ? lessonById.get(m.lessonId) : undefined;
    if (!l || !numeric(m)) continue;
    const day = m.recordedAt ? DateTime.fromISO(m.recordedAt).setZone(zone).toISODate()! : l.date;
    const had = setDates.get(setKey(m, l.date));
    if (!had || day < had) setDates.set(setKey(m, l.date), day);
  }
  for (const m of s.marks) {
    if (!m.lessonId || !numeric(m)) continue;
    if (m.workId && m.weight && m.weight > (workWeight.get(m.workId) ?? 1))
      workWeight.set(m.workId, m.weight);
  }
  for (const m of s.marks) {
    const l = m.lessonId ? lessonById.get(m.lessonId) : undefined;
    if (!l || !numeric(m)) continue;
    let assignment: string;
    let weight: number | undefined;
    if (m.workId) {
      if (workMarkSeen.has(`${m.workId}|${m.studentId}`)) continue;
      workMarkSeen.add(`${m.workId}|${m.studentId}`);
      assignment = netschoolId("work", m.workId);
      const w = workWeight.get(m.workId) ?? 1;
      weight = w === 1 ? undefined : w;
    } else {
      const key = `${l.id}|${m.studentId}`;
      const k = oralIndex.get(key) ?? 0;
      oralIndex.set(key, k + 1);
      oralCount.set(l.id, Math.max(oralCount.get(l.id) ?? 0, k + 1));
      assignment = netschoolId("oral", `${l.id}#${k}`);
    }
    marks.push({
      id: `${assignment}-${pid(m.studentId)}`,
      studentId: pid(m.studentId),
      subjectId: sid(m.subjectId),
      workId: assignment,
      lessonId: netschoolId("lesson", l.id),
      value: Number(m.value) as Mark["value"],
      ...(weight ? { weight } : {}),
      recordedOn: setDates.get(setKey(m, l.date))!,
    });
  }
  const works: StreamRecords["works"][] = [];
  for (const w of s.works) {
    const l = w.lessonId ? lessonById.get(w.lessonId) : undefined;
    if (!l) continue;
    works.push({
      id: netschoolId("work", w.id),
      lessonId: netschoolId("lesson", l.id),
      classId: cid(l.classId),
      subjectId: sid(l.subjectId),
      kind: w.kind,
      date: l.date,
    });
  }
  for (const l of lessons) {
    const n = Math.max(oralCount.get(l.id) ?? 0, l.topic && !worksByLesson.get(l.id) ? 1 : 0);
    for (let k = 0; k < n; k += 1) {
      works.push({
        id: netschoolId("oral", `${l.id}#${k}`),
        lessonId: netschoolId("lesson", l.id),
        classId: cid(l.classId),
        subjectId: sid(l.subjectId),
        kind: "oral",
        date: l.date,
      });
    }
  }
  const pupils = s.persons.filter((p) => p.role === "student" && p.classId && classes.has(p.classId));
  const slots = new Map<string, StreamRecords["persons"]>();
  for (const l of lessons) {
    const c = classes.get(l.classId)!;
    const id = teacherSlotId(cid(l.classId), sid(l.subjectId));
    slots.set(id, {
      id,
      role: "teacher",
      name: `Учитель: ${subjectName.get(l.subjectId)}, ${c.grade}${c.letter}`,
    });
  }
  const pupilIds = new Set(pupils.map((p) => p.id));
  // StudentTotal prints a subject's absences of a day as codes in lesson order, without the lesson.
  const statusOf = new Map(s.attendance.map((a) => [`${a.studentId}|${a.lessonId}`, a.status]));
  const lessonsByClassDay = new Map<string, typeof lessons>();
  for (const l of lessons) {
    const key = `${l.classId}|${l.subjectId}|${l.date}`;
    lessonsByClassDay.set(key, [...(lessonsByClassDay.get(key) ?? []), l]);
  }
  const attendance: StreamRecords["attendance"][] = [];
  for (const p of pupils) {
    for (const [key, group] of lessonsByClassDay) {
      if (!key.startsWith(`${p.classId}|`)) continue;
      const ordered = [...group].sort((a, b) => a.number - b.number);
      const statuses = ordered
        .map((l) => statusOf.get(`${p.id}|${l.id}`) ?? "present")
        .filter((x) => x !== "present");
      statuses.forEach((status, k) => {
        attendance.push({ studentId: pid(p.id), lessonId: netschoolId("lesson", ordered[k].id), status });
      });
    }
  }
  const termIds = new Set(
    s.periods.filter((p) => p.start >= year.start && p.end <= year.end).map((p) => p.id),
  );
  const classSubjects = new Set(lessons.map((l) => `${l.classId}|${l.subjectId}`));
  const classOf = new Map(pupils.map((p) => [p.id, p.classId!]));
  const periodMarks = s.periodMarks
    .filter(
      (m) =>
        pupilIds.has(m.studentId) &&
        termIds.has(m.periodId) &&
        classSubjects.has(`${classOf.get(m.studentId)}|${m.subjectId}`),
    )
    .map((m) => ({
      studentId: pid(m.studentId),
      subjectId: sid(m.subjectId),
      periodId: netschoolId("period", m.periodId),
      value: m.value,
    }));
  return {
    attendance,
    periodMarks,
    periods: s.periods
      .filter((p) => p.start >= year.start && p.end <= year.end)
      .map((p) => ({
        id: netschoolId("period", p.id),
        kind: p.kind,
        number: p.number,
        start: p.start,
        end: p.end,
      })),
    classes: [...new Set(pupils.map((p) => p.classId!))].map((id) => {
      const c = classes.get(id)!;
      return { id: cid(id), grade: c.grade, letter: c.letter };
    }),
    subjects: [...new Set(lessons.map((l) => l.subjectId))].map((id) => ({
      id: sid(id),
      name: subjectName.get(id)!,
    })),
    persons: [
      ...pupils.map((p) => ({
        id: pid(p.id),
        role: "student" as const,
        name: p.name,
        classId: cid(p.classId!),
      })),
      ...slots.values(),
    ],
    lessons: lessons.map((l) => ({
      id: netschoolId("lesson", l.id),
      classId: cid(l.classId),
      subjectId: sid(l.subjectId),
      teacherId: teacherSlotId(cid(l.classId), sid(l.subjectId)),
      date: l.date,
      number: l.number,
      start: l.start,
      end: l.end,
      ...(l.topic ? { topic: l.topic } : {}),
      ...(l.homework ? { homework: l.homework } : {}),
    })),
    works,
    marks,
  };
}
