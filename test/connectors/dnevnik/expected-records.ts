// What the Dnevnik connector must read back from the simulator for a canonical dataset: the same
// records with platform ids, minus what the platform cannot carry (see the simulator's notes).

import { simulatedId } from "../../../src/connectors/dnevnik/simulated-ids.ts";
import type { Dataset } from "../../../src/dataset/types.ts";
import type { StreamName, StreamRecords } from "../../../src/model/records.ts";

const pid = (id: string) => simulatedId("person", id);
const cid = (id: string) => simulatedId("class", id);
const sid = (id: string) => simulatedId("subject", id);
const lid = (id: string) => simulatedId("lesson", id);
const wid = (id: string) => simulatedId("work", id);

export function expectedRecords(d: Dataset): { [S in StreamName]?: StreamRecords[S][] } {
  const s = d.streams;
  const lessonIds = new Set(s.lessons.map((l) => l.id));
  return {
    persons: s.persons
      .filter((p) => p.role !== "parent")
      .map((p) => ({
        id: pid(p.id),
        role: p.role,
        name: p.name,
        classId: p.classId ? cid(p.classId) : undefined,
      })),
    classes: s.classes.map((c) => ({
      id: cid(c.id),
      grade: c.grade,
      letter: c.letter,
      classTeacherId: c.classTeacherId ? pid(c.classTeacherId) : undefined,
    })),
    subjects: s.subjects.map((x) => ({ id: sid(x.id), name: x.name })),
    periods: s.periods.map((p) => ({ ...p, id: simulatedId("period", p.id) })),
    calendar: s.calendar.filter((c) => c.kind !== "workday"),
    lessons: s.lessons.map((l) => ({
      id: lid(l.id),
      classId: cid(l.classId),
      subjectId: sid(l.subjectId),
      teacherId: pid(l.teacherId),
      date: l.date,
      number: l.number,
      start: l.start,
      end: l.end,
      topic: l.topic,
      homework: l.homework,
      homeworkRecordedAt: l.homeworkRecordedAt,
    })),
    works: s.works
      .filter((w) => w.lessonId && lessonIds.has(w.lessonId))
      .map((w) => ({
        id: wid(w.id),
        lessonId: lid(w.lessonId!),
        classId: cid(w.classId),
        subjectId: sid(w.subjectId),
        kind: w.kind,
        date: w.date,
      })),
    marks: s.marks.map((m) => ({
      id: simulatedId("mark", m.id),
      studentId: pid(m.studentId),
      subjectId: sid(m.subjectId),
      workId: m.workId ? wid(m.workId) : undefined,
      lessonId: m.lessonId ? lid(m.lessonId) : undefined,
      value: String(m.value) as StreamRecords["marks"]["value"],
      weight: m.weight,
      // Mark.date is the entry time (real-shapes.md D1); the platform writes it to the millisecond.
      recordedAt: m.recordedAt,
    })),
    // The platform has no "excused" code: `Pass` is a plain absence (real-shapes.md D5).
    attendance: s.attendance.map((a) => ({
      ...a,
      studentId: pid(a.studentId),
      lessonId: lid(a.lessonId),
      status: a.status === "excused" ? "absent" : a.status,
    })),
    periodMarks: s.periodMarks.map((p) => ({
      studentId: pid(p.studentId),
      subjectId: sid(p.subjectId),
      periodId: simulatedId("period", p.periodId),
      value: p.value,
    })),
  };
}

/** Records as plain comparable data: no undefined keys, instants in UTC, sorted. */
export function normalise(records: readonly object[]): string[] {
  return records
    .map((r) =>
      JSON.stringify(r, (k, v) =>
        typeof v === "string" && /(recordedAt|RecordedAt)$/.test(k) ? new Date(v).toISOString() : v,
      ),
    )
    .sort();
}
