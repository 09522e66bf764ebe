// What the NetSchool connector must read back from the simulator for a canonical dataset: the records
// the web diary carries, with the server's ids, minus what it cannot carry (no entry times, no teacher,
// no attendance, no period marks, no calendar, no зч/нз marks, no parents or staff).

import { subjectIdOf, teacherSlotId } from "../../../src/connectors/netschool/mapping.ts";
import { netschoolId } from "../../../src/connectors/netschool/simulator.ts";
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
  return {
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
