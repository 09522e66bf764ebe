// An independent, deliberately plain reading of src/demo/README.md's rule semantics, used to
// prove that the demo dataset's ground truth is exactly what the data shows. It shares no code
// with the generator; only the calendar (the thing under the rules) and the record schemas.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SchoolCalendar } from "../../src/calendar/index.ts";
import type {
  Activity,
  CalendarDay,
  Lesson,
  Manifest,
  Mark,
  Outage,
  Period,
  PeriodMark,
  Person,
  SchoolClass,
  Work,
} from "../../src/model/records.ts";

export interface Finding {
  ruleId: string;
  entity: Record<string, string>;
  deadline: string;
}

const parsed = new Map<string, unknown[]>();

/** The records of a JSONL file, parsed once per path (tests read the same files many times). */
export function readJsonl<T>(dir: string, file: string): T[] {
  const path = join(dir, file);
  let records = parsed.get(path);
  if (!records) {
    records = readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as unknown);
    parsed.set(path, records);
  }
  return records as T[];
}

export function forgetParsedFiles(): void {
  parsed.clear();
}

const WRITTEN = new Set(["written", "test", "control", "lab", "practical"]);

export function entityKey(ruleId: string, entity: Record<string, string>): string {
  const keys = Object.keys(entity).sort();
  return `${ruleId}|${keys.map((k) => `${k}=${entity[k]}`).join(",")}`;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function hhmmPlus(hhmm: string, minutes: number): string {
  const total = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

function roundMean(mean: number): number {
  if (mean >= 4.5 - 1e-9) return 5;
  if (mean >= 3.5 - 1e-9) return 4;
  if (mean >= 2.5 - 1e-9) return 3;
  return 2;
}

export function checkDataset(dir: string): Finding[] {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  const periods = readJsonl<Period>(dir, "periods.jsonl");
  const calendar = readJsonl<CalendarDay>(dir, "calendar.jsonl");
  const classes = readJsonl<SchoolClass>(dir, "classes.jsonl");
  const persons = readJsonl<Person>(dir, "persons.jsonl");
  const lessons = readJsonl<Lesson>(dir, "lessons.jsonl");
  const works = readJsonl<Work>(dir, "works.jsonl");
  const marks = readJsonl<Mark>(dir, "marks.jsonl");
  const periodMarks = readJsonl<PeriodMark>(dir, "period-marks.jsonl");
  const activity = readJsonl<Activity>(dir, "activity.jsonl");
  const outages = readJsonl<Outage>(dir, "outages.jsonl");

  const cal = new SchoolCalendar({
    timezone: manifest.school.timezone,
    workweek: manifest.school.workweek,
    overrides: calendar,
  });
  // Memoised calendar answers (luxon per row would be slow); the answers are the calendar's.
  const memo = new Map<string, Date | string>();
  const remember = <T extends Date | string>(key: string, f: () => T): T => {
    const known = memo.get(key) as T | undefined;
    if (known !== undefined) return known;
    const value = f();
    memo.set(key, value);
    return value;
  };
  const at = (date: string, time: string) => remember(`at|${date}|${time}`, () => cal.at(date, time));
  const endOfDay = (date: string) => remember(`eod|${date}`, () => cal.endOfDay(date));
  const startOfDay = (date: string) => remember(`sod|${date}`, () => cal.startOfDay(date));
  const observed = Date.parse(manifest.observedAt);
  const observedDate = cal.dateOf(manifest.observedAt);
  const iso = (ms: number) => new Date(ms).toISOString();
  const move = (d: Date): number => {
    const ms = d.getTime();
    for (const o of outages) {
      if (ms >= Date.parse(o.from) && ms <= Date.parse(o.to)) {
        const resumed = cal.dateOf(o.to);
        const day = cal.isWorkingDay(resumed) ? resumed : cal.nextWorkingDay(resumed);
        return endOfDay(day).getTime();
      }
    }
    return ms;
  };
  const t = (s: string) => Date.parse(s);

  const findings: Finding[] = [];
  const add = (ruleId: string, entity: Record<string, string>, deadline: number) =>
    findings.push({ ruleId, entity, deadline: iso(deadline) });

  const grade = new Map(classes.map((c) => [c.id, c.grade]));
  const studentsOf = new Map<string, string[]>();
  const classOfStudent = new Map<string, string>();
  for (const p of persons) {
    if (p.role !== "student" || !p.classId) continue;
    classOfStudent.set(p.id, p.classId);
    const list = studentsOf.get(p.classId) ?? [];
    list.push(p.id);
    studentsOf.set(p.classId, list);
  }
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  const workById = new Map(works.map((w) => [w.id, w]));
  const marksOfWork = new Map<string, Mark[]>();
  for (const m of marks) {
    if (!m.workId) continue;
    const list = marksOfWork.get(m.workId) ?? [];
    list.push(m);
    marksOfWork.set(m.workId, list);
  }
  const markDate = (m: Mark) => (m.workId ? workById.get(m.workId)!.date : lessonById.get(m.lessonId!)!.date);

  // Lessons.
  const lastEnd = new Map<string, string>();
  for (const l of lessons) {
    const k = `${l.classId}|${l.date}`;
    if ((lastEnd.get(k) ?? "") < l.end) lastEnd.set(k, l.end);
  }
  for (const l of lessons) {
    const e = { kind: "lesson", id: l.id };
    const topicDl = move(at(l.date, "15:00"));
    if (l.topicRecordedAt ? t(l.topicRecordedAt) > topicDl : observed > topicDl)
      add("lesson.topic.late", e, topicDl);
    if (l.topicRecordedAt && t(l.topicRecordedAt) < startOfDay(l.date).getTime())
      add("lesson.topic.in-advance", e, startOfDay(l.date).getTime());
    if (l.homework && l.homeworkRecordedAt && grade.get(l.classId)! >= 2) {
      const dl = move(at(l.date, hhmmPlus(lastEnd.get(`${l.classId}|${l.date}`)!, 60)));
      if (t(l.homeworkRecordedAt) > dl) add("homework.late", e, dl);
    }
    const attDl = move(endOfDay(l.date));
    if (l.attendanceRecordedAt ? t(l.attendanceRecordedAt) > attDl : observed > attDl)
      add("attendance.not-taken", e, attDl);
    if (l.substituteTeacherId && l.topicAuthorId && l.topicAuthorId !== l.substituteTeacherId)
      add("substitution.wrong-author", e, topicDl);
    if (grade.get(l.classId) === 1 && l.homework) add("grade1.marks", e, t(l.homeworkRecordedAt!));
  }

  // Marks and works.
  for (const m of marks) {
    const classId = classOfStudent.get(m.studentId)!;
    if (grade.get(classId) === 1) {
      add("grade1.marks", { kind: "mark", id: m.id }, t(m.recordedAt!));
      continue;
    }
    const work = m.workId ? workById.get(m.workId) : undefined;
    if (m.lessonId && (!work || work.kind === "oral")) {
      const dl = move(endOfDay(markDate(m)));
      if (t(m.recordedAt!) > dl) add("mark.oral.late", { kind: "mark", id: m.id }, dl);
    }
  }
  const quarterOf = (date: string) =>
    periods.find((p) => p.kind === "quarter" && p.start <= date && date <= p.end);
  for (const w of works) {
    if (grade.get(w.classId)! < 2) continue;
    let rule: string | undefined;
    let dl: number | undefined;
    if (WRITTEN.has(w.kind)) {
      rule = "mark.written.late";
      dl = move(endOfDay(cal.addWorkingDays(w.date, 5)));
    } else if (
      (w.kind === "regional" || w.kind === "federal" || w.kind === "final") &&
      w.resultsAnnouncedOn
    ) {
      rule = w.kind === "final" ? "attestation.final.late" : "mark.external.late";
      dl = move(endOfDay(cal.addWorkingDays(w.resultsAnnouncedOn, 1)));
    } else if (w.kind === "intermediate") {
      const q = quarterOf(w.date)!;
      rule = "attestation.intermediate.late";
      dl = move(endOfDay(cal.previousWorkingDay(cal.previousWorkingDay(q.end))));
    }
    if (!rule || dl === undefined) continue;
    const ms = marksOfWork.get(w.id) ?? [];
    const late = ms.length === 0 ? observed > dl : ms.some((m) => t(m.recordedAt!) > dl!);
    if (late) add(rule, { kind: "work", id: w.id }, dl);
  }

  // Periods.
  const finishedQuarters = periods.filter(
    (p) => p.kind === "quarter" && observed > endOfDay(addDays(p.end, 4)).getTime(),
  );
  const numeric = (v: Mark["value"]) =>
    typeof v === "number" ? v : /^[1-5]$/.test(v) ? Number(v) : undefined;
  const marksBy = new Map<string, Mark[]>(); // student|subject
  for (const m of marks) {
    const k = `${m.studentId}|${m.subjectId}`;
    const list = marksBy.get(k) ?? [];
    list.push(m);
    marksBy.set(k, list);
  }
  const periodById = new Map(periods.map((p) => [p.id, p]));
  const pmKey = new Set(periodMarks.map((pm) => `${pm.studentId}|${pm.subjectId}|${pm.periodId}`));
  for (const pm of periodMarks) {
    const p = periodById.get(pm.periodId)!;
    const dl = move(endOfDay(addDays(p.end, 4)));
    const e = {
      kind: "student-subject-period",
      studentId: pm.studentId,
      subjectId: pm.subjectId,
      periodId: p.id,
    };
    if (pm.recordedAt && t(pm.recordedAt) > dl) add("period-mark.late", e, dl);
    const value = numeric(pm.value);
    if (value === undefined || observed <= dl) continue;
    let sum = 0;
    let weight = 0;
    for (const m of marksBy.get(`${pm.studentId}|${pm.subjectId}`) ?? []) {
      const v = numeric(m.value);
      const d = markDate(m);
      if (v === undefined || d < p.start || d > p.end) continue;
      sum += v * (m.weight ?? 1);
      weight += m.weight ?? 1;
    }
    if (weight > 0 && Math.abs(value - roundMean(sum / weight)) >= 1) add("period-mark.unjustified", e, dl);
  }
  const writtenWorks = new Set<string>();
  for (const w of works) {
    const q = WRITTEN.has(w.kind) ? quarterOf(w.date) : undefined;
    if (q) writtenWorks.add(`${w.classId}|${w.subjectId}|${q.id}`);
  }
  for (const p of finishedQuarters) {
    const schoolDays = cal.schoolDaysBetween(p.start, p.end).length;
    const lessonCount = new Map<string, number>(); // class|subject
    for (const l of lessons) {
      if (l.date < p.start || l.date > p.end) continue;
      const k = `${l.classId}|${l.subjectId}`;
      lessonCount.set(k, (lessonCount.get(k) ?? 0) + 1);
    }
    for (const [k, count] of lessonCount) {
      const [classId, subjectId] = k.split("|");
      if (grade.get(classId)! < 2) continue;
      const hoursPerWeek = count / (schoolDays / manifest.school.workweek);
      const min = hoursPerWeek <= 2 ? 3 : 5;
      const hasWritten = writtenWorks.has(`${classId}|${subjectId}|${p.id}`);
      if (!hasWritten)
        add(
          "control-work.missing",
          { kind: "class-subject-period", classId, subjectId, periodId: p.id },
          endOfDay(p.end).getTime(),
        );
      for (const studentId of studentsOf.get(classId) ?? []) {
        const e = { kind: "student-subject-period", studentId, subjectId, periodId: p.id };
        const n = (marksBy.get(`${studentId}|${subjectId}`) ?? []).filter((m) => {
          const d = markDate(m);
          return numeric(m.value) !== undefined && d >= p.start && d <= p.end;
        }).length;
        if (n < min) add("marks.accumulation", e, endOfDay(p.end).getTime());
        if (!pmKey.has(`${studentId}|${subjectId}|${p.id}`))
          add("period-mark.late", e, move(endOfDay(addDays(p.end, 4))));
      }
    }
  }

  // Years.
  for (const y of periods.filter((p) => p.kind === "year")) {
    if (y.start <= observedDate && observedDate <= y.end) {
      const deadline = `${y.start.slice(0, 4)}-09-10`;
      const dl = endOfDay(deadline).getTime();
      if (observed > dl && cal.schoolDaysBetween(y.start, deadline).length > 0) {
        const early = new Set(
          lessons.filter((l) => l.date >= y.start && l.date <= deadline).map((l) => l.classId),
        );
        for (const c of classes) {
          if (!early.has(c.id)) add("year.setup.late", { kind: "class", id: c.id }, dl);
        }
      }
    } else if (y.end < observedDate) {
      const dl = endOfDay(`${y.end.slice(0, 4)}-08-30`).getTime();
      const within = (pid: string) => {
        const p = periodById.get(pid)!;
        return p.start >= y.start && p.end <= y.end;
      };
      const late =
        periodMarks.some((pm) => within(pm.periodId) && pm.recordedAt && t(pm.recordedAt) > dl) ||
        marks.some((m) => {
          const d = markDate(m);
          return d >= y.start && d <= y.end && t(m.recordedAt!) > dl;
        }) ||
        lessons.some(
          (l) => l.date >= y.start && l.date <= y.end && l.topicRecordedAt && t(l.topicRecordedAt) > dl,
        );
      if (observed > dl && late) add("year.close.late", { kind: "period", id: y.id }, dl);
    }
  }

  // Parents: full Monday–Sunday weeks of the current year before observedAt's date.
  const year = periods.find((p) => p.kind === "year" && p.start <= observedDate && observedDate <= p.end)!;
  const views = new Map<string, number>();
  for (const a of activity) views.set(`${a.personId}|${a.date}`, a.diaryViews ?? 0);
  const weekday = (d: string) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  for (const p of persons.filter((x) => x.role === "parent")) {
    for (
      let week = addDays(year.start, 1 - weekday(year.start));
      addDays(week, 6) < observedDate;
      week = addDays(week, 7)
    ) {
      let sum = 0;
      for (let i = 0; i < 7; i++) sum += views.get(`${p.id}|${addDays(week, i)}`) ?? 0;
      if (sum < 2)
        add(
          "parents.monitoring",
          { kind: "parent-week", personId: p.id, weekStart: week },
          endOfDay(addDays(week, 6)).getTime(),
        );
    }
  }
  return findings;
}
