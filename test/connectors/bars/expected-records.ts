// What a sync of a dataset through the BARS simulator must store, stream by stream, under the ids the
// BARS connector derives (src/connectors/bars/mapping.ts) and for the date window read. BARS cannot carry:
// parents and staff other than the teachers of the pupils' lessons, class teachers, substitutes (the
// diary names the journal's teacher), topic authors, work weights, entry times (none at all), activity,
// outages, last year's periods and period marks (GetTotalMarks is the current year only), workdays of
// the calendar (the diary flags only holidays and vacations).
import { barsIds } from "../../../src/connectors/bars/mapping.ts";
import { barsSimIds, subperiodOf } from "../../../src/connectors/bars/simulator-payloads.ts";
import type { Dataset } from "../../../src/dataset/types.ts";
import type { StreamName } from "../../../src/model/records.ts";

const schoolYearOf = (date: string) => {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? y : y - 1;
};

export function expectedBarsRecords(
  ds: Dataset,
  window: { from: string; to: string },
): Partial<Record<StreamName, object[]>> {
  const s = ds.streams;
  const ids = barsSimIds(ds);
  const inWindow = (d: string) => window.from <= d && d <= window.to;
  const name = new Map(s.persons.map((p) => [p.id, p.name]));
  const subjectName = new Map(s.subjects.map((x) => [x.id, x.name]));
  const subj = (id: string) => barsIds.subject(subjectName.get(id)!);
  const cls = new Map(s.classes.map((c) => [c.id, barsIds.classOf(c)]));
  const pupilClass = new Map(s.persons.map((p) => [p.id, p.classId]));
  const lessonsById = new Map(s.lessons.map((l) => [l.id, l]));
  const worksById = new Map(s.works.map((w) => [w.id, w]));
  const year = schoolYearOf(window.from);
  const subjects = new Set<string>();
  const teachers = new Set<string>();

  const lessons = s.lessons.filter((l) => inWindow(l.date));
  const firstLesson = new Map<string, string>();
  for (const l of [...lessons].sort((a, b) => a.number - b.number)) {
    const k = `${l.classId}|${l.subjectId}|${l.date}`;
    if (!firstLesson.has(k)) firstLesson.set(k, ids.lessons.get(l.id)!);
  }
  const works = new Map<string, object>();
  for (const w of s.works) {
    if (w.kind !== "control" || !w.lessonId || !inWindow(lessonsById.get(w.lessonId)!.date)) continue;
    const l = lessonsById.get(w.lessonId)!;
    const id = barsIds.work(cls.get(l.classId)!, subj(l.subjectId), l.date, "control");
    if (!works.has(id))
      works.set(id, {
        id,
        lessonId: ids.lessons.get(l.id),
        classId: cls.get(l.classId),
        subjectId: subj(l.subjectId),
        kind: "control",
        date: l.date,
      });
  }
  const seq = (id: string) => Number(/\d+/.exec(id)?.[0] ?? 0);
  const dated = s.marks
    .map((m) => ({
      m,
      date: m.lessonId
        ? lessonsById.get(m.lessonId)?.date
        : m.workId
          ? worksById.get(m.workId)?.date
          : m.lessonDate,
    }))
    .filter((x): x is { m: (typeof s.marks)[number]; date: string } => x.date !== undefined)
    .sort((a, b) => a.date.localeCompare(b.date) || seq(a.m.id) - seq(b.m.id));
  const positions = new Map<string, number>();
  const marks: object[] = [];
  for (const { m, date } of dated) {
    const k = `${m.studentId}|${m.subjectId}|${date}`;
    const position = (positions.get(k) ?? 0) + 1;
    positions.set(k, position);
    if (!inWindow(date)) continue;
    const classId = pupilClass.get(m.studentId)!;
    const lessonId = firstLesson.get(`${classId}|${m.subjectId}|${date}`);
    const work = m.workId ? worksById.get(m.workId) : undefined;
    const workId = work ? barsIds.work(cls.get(classId)!, subj(m.subjectId), date, work.kind) : undefined;
    if (work && workId && !works.has(workId))
      works.set(workId, {
        id: workId,
        ...(lessonId ? { lessonId } : {}),
        classId: cls.get(classId),
        subjectId: subj(m.subjectId),
        kind: work.kind,
        date,
      });
    subjects.add(m.subjectId);
    const pupil = ids.pupils.get(m.studentId)!;
    marks.push({
      id: barsIds.mark(pupil, subj(m.subjectId), date, position),
      studentId: pupil,
      subjectId: subj(m.subjectId),
      ...(workId ? { workId } : {}),
      ...(lessonId ? { lessonId } : { lessonDate: date }),
      value: String(m.value),
    });
  }
  for (const l of lessons) {
    subjects.add(l.subjectId);
    teachers.add(l.teacherId);
  }
  const periods = s.periods.filter((p) => schoolYearOf(p.start) === year);
  const periodId = new Map(periods.map((p) => [p.id, barsIds.period(year, subperiodOf(p).code)]));
  const periodMarks = s.periodMarks
    .filter((pm) => periodId.has(pm.periodId))
    .map((pm) => {
      subjects.add(pm.subjectId);
      return {
        studentId: ids.pupils.get(pm.studentId),
        subjectId: subj(pm.subjectId),
        periodId: periodId.get(pm.periodId),
        value: String(pm.value),
      };
    });
  return {
    periods: periods.map((p) => ({
      id: periodId.get(p.id),
      kind: p.kind,
      number: p.number,
      start: p.start,
      end: p.end,
    })),
    calendar: s.calendar
      .filter((c) => c.kind !== "workday" && inWindow(c.date))
      .map((c) => ({ date: c.date, kind: c.kind })),
    subjects: [...subjects].map((id) => ({ id: subj(id), name: subjectName.get(id) })),
    classes: s.classes.map((c) => ({ id: cls.get(c.id), grade: c.grade, letter: c.letter })),
    persons: [
      ...s.persons
        .filter((p) => p.role === "student" && p.classId)
        .map((p) => ({
          id: ids.pupils.get(p.id),
          role: "student",
          name: p.name,
          classId: cls.get(p.classId!),
        })),
      ...[...teachers].map((t) => ({
        id: barsIds.teacher(name.get(t)!),
        role: "teacher",
        name: name.get(t),
      })),
    ],
    lessons: lessons.map((l) => ({
      id: ids.lessons.get(l.id),
      classId: cls.get(l.classId),
      subjectId: subj(l.subjectId),
      teacherId: barsIds.teacher(name.get(l.teacherId)!),
      date: l.date,
      number: l.number,
      start: l.start,
      end: l.end,
      ...(l.topic ? { topic: l.topic } : {}),
      ...(l.homework ? { homework: l.homework } : {}),
    })),
    works: [...works.values()],
    marks,
    attendance: s.attendance
      .filter((a) => inWindow(lessonsById.get(a.lessonId)!.date))
      .map((a) => ({
        studentId: ids.pupils.get(a.studentId),
        lessonId: ids.lessons.get(a.lessonId),
        status: a.status,
      })),
    periodMarks,
  };
}

/** Records as sorted canonical JSON (keys sorted, marks as text), for multiset comparison. */
export function normalise(records: readonly object[]): string[] {
  const sortKeys = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, x]) => [k, k === "value" ? String(x) : sortKeys(x)]),
        )
      : v;
  return records.map((r) => JSON.stringify(sortKeys(r))).sort();
}
