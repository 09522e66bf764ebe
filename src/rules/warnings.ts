// Early warnings, before a deadline passes (as of now): a lesson over today without its topic or
// attendance, written-work marks due tomorrow, and — before a period ends — pupils who can no longer
// reach the minimum of marks with the lessons left. Returned apart; never stored, never escalated.
import { addDays } from "../calendar/index.ts";
import type { Db } from "../store/db.ts";
import { loadSchool, shiftDeadline } from "./context.ts";
import { dayTimeSchema, deadlineOn } from "./deadline-time.ts";
import { topicDeadline } from "./lesson.topic.late.ts";
import { classLabel, indexLessons, lessonAuthor, lessonEntity } from "./lesson-index.ts";
import { localTime, warningMessages } from "./messages.ru.ts";
import type { Preset } from "./presets.ts";
import { loadPreset } from "./presets.ts";
import { StoreRuleData } from "./rule-data.ts";
import type { FindingEntity } from "./types.ts";

export interface Warning {
  kind: "topic-missing" | "attendance-missing" | "written-marks-due" | "accumulation-at-risk";
  /** The rule whose deadline is coming. */
  ruleId: string;
  entity: FindingEntity;
  responsibleId: string | null;
  deadline: string;
  message: string;
}

const WRITTEN = new Set(["written", "test", "control", "lab", "practical"]);
const ABSENT = new Set(["absent", "ill", "excused"]);

interface Minimum {
  maxHoursPerWeek?: number;
  marks: number;
}

function paramOf<T>(preset: Preset, ruleId: string, key: string, fallback: T): T {
  const p = preset.rules[ruleId]?.params as Record<string, unknown> | undefined;
  return (p?.[key] as T | undefined) ?? fallback;
}

export async function computeWarnings(
  db: Db,
  schoolId: string,
  opts: { asOf?: Date; preset?: Preset | string } = {},
): Promise<Warning[]> {
  const asOf = opts.asOf ?? new Date();
  const preset = typeof opts.preset === "object" ? opts.preset : loadPreset(opts.preset ?? "default");
  const { calendar } = await loadSchool(db, schoolId, preset.calendar);
  const data = new StoreRuleData(db, schoolId);
  const [lessons, idx, outages, works, marks, attendance, persons, periods] = await Promise.all([
    data.lessons(),
    indexLessons(data),
    data.outages(),
    data.works(),
    data.marks(),
    data.attendance(),
    data.persons(),
    data.periods(),
  ]);
  const now = asOf.getTime();
  const today = calendar.dateOf(asOf);
  const zone = calendar.timezone;
  const out: Warning[] = [];
  const on = (id: string) => preset.rules[id]?.enabled === true;

  // 1. Today's lessons that are over: topic or attendance still missing, deadline still ahead.
  const attended = new Set(attendance.map((a) => a.lessonId));
  for (const l of lessons) {
    if (l.date !== today || calendar.at(l.date, l.end).getTime() > now) continue;
    if (on("lesson.topic.late") && !l.topic?.trim()) {
      const by = dayTimeSchema.parse(paramOf(preset, "lesson.topic.late", "by", "15:00"));
      const late = dayTimeSchema.parse(paramOf(preset, "lesson.topic.late", "afterLateLesson", "end-of-day"));
      const deadline = shiftDeadline(topicDeadline(calendar, l, by, late), outages, calendar);
      if (deadline.getTime() > now)
        out.push({
          kind: "topic-missing",
          ruleId: "lesson.topic.late",
          entity: lessonEntity(l),
          responsibleId: lessonAuthor(l),
          deadline: deadline.toISOString(),
          message: warningMessages.topicToday(idx.label(l), localTime(deadline, zone)),
        });
    }
    if (on("attendance.not-taken") && !l.attendanceRecordedAt && !attended.has(l.id)) {
      const by = dayTimeSchema.parse(paramOf(preset, "attendance.not-taken", "by", "end-of-day"));
      const deadline = shiftDeadline(deadlineOn(calendar, l.date, by), outages, calendar);
      if (deadline.getTime() > now)
        out.push({
          kind: "attendance-missing",
          ruleId: "attendance.not-taken",
          entity: lessonEntity(l),
          responsibleId: lessonAuthor(l),
          deadline: deadline.toISOString(),
          message: warningMessages.attendanceToday(idx.label(l), localTime(deadline, zone)),
        });
    }
  }

  // 2. Written works whose marks are due tomorrow and some pupils present have none yet.
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  const studentsOf = new Map<string, string[]>();
  for (const p of persons) {
    if (p.role !== "student" || !p.classId) continue;
    const list = studentsOf.get(p.classId) ?? [];
    list.push(p.id);
    studentsOf.set(p.classId, list);
  }
  if (on("mark.written.late")) {
    const days = paramOf(preset, "mark.written.late", "days", 5);
    const unit = paramOf<string>(preset, "mark.written.late", "unit", "working-days");
    const minGrade = paramOf(preset, "mark.written.late", "minGrade", 2);
    const tomorrow = addDays(today, 1);
    const marked = new Map<string, Set<string>>();
    for (const m of marks) {
      if (!m.workId) continue;
      const set = marked.get(m.workId) ?? new Set<string>();
      set.add(m.studentId);
      marked.set(m.workId, set);
    }
    const away = new Set(
      attendance.filter((a) => ABSENT.has(a.status)).map((a) => `${a.lessonId}|${a.studentId}`),
    );
    for (const w of works) {
      if (!WRITTEN.has(w.kind) || (idx.classes.get(w.classId)?.grade ?? 0) < minGrade) continue;
      const dueDate = unit === "days" ? addDays(w.date, days) : calendar.addWorkingDays(w.date, days);
      if (dueDate !== tomorrow) continue;
      const deadline = shiftDeadline(calendar.endOfDay(dueDate), outages, calendar);
      const done = marked.get(w.id) ?? new Set<string>();
      const missing = (studentsOf.get(w.classId) ?? []).filter(
        (s) => !done.has(s) && !(w.lessonId && away.has(`${w.lessonId}|${s}`)),
      ).length;
      if (missing === 0) continue;
      const l = w.lessonId ? lessonById.get(w.lessonId) : undefined;
      out.push({
        kind: "written-marks-due",
        ruleId: "mark.written.late",
        entity: { kind: "work", key: w.id, workId: w.id, classId: w.classId, subjectId: w.subjectId },
        responsibleId: l ? lessonAuthor(l) : null,
        deadline: deadline.toISOString(),
        message: warningMessages.writtenMarksDue(
          idx.subjectNames.get(w.subjectId) ?? w.subjectId,
          classLabel(idx.classes.get(w.classId), w.classId),
          w.date,
          missing,
          localTime(deadline, zone),
        ),
      });
    }
  }

  // 3. Before the current period ends: pupils who cannot reach the minimum with the lessons left.
  if (on("marks.accumulation")) {
    const minimums = paramOf<Minimum[]>(preset, "marks.accumulation", "minimums", [
      { maxHoursPerWeek: 2, marks: 3 },
      { marks: 5 },
    ]);
    const minGrade = paramOf(preset, "marks.accumulation", "minGrade", 2);
    const period = periods.find((p) => p.kind !== "year" && p.start <= today && today <= p.end);
    if (period) {
      const workweek = calendar.workweek;
      const weeks = Math.max(1, calendar.schoolDaysBetween(period.start, period.end).length / workweek);
      const daysLeft = calendar.schoolDaysBetween(addDays(today, 1), period.end);
      // The timetable: lessons of each class+subject in the last 7 days, by weekday, projected forward.
      const recentFrom = addDays(today, -6);
      const perWeekday = new Map<string, number>(); // `${class}|${subject}|${weekday}`
      const held = new Map<string, number>(); // `${class}|${subject}` lessons in the period so far
      const future = new Map<string, number>();
      for (const l of lessons) {
        if (l.date < period.start || l.date > period.end) continue;
        const cs = `${l.classId}|${l.subjectId}`;
        if (l.date > today) future.set(cs, (future.get(cs) ?? 0) + 1);
        else held.set(cs, (held.get(cs) ?? 0) + 1);
        if (l.date >= recentFrom && l.date <= today) {
          const k = `${cs}|${new Date(`${l.date}T00:00:00Z`).getUTCDay()}`;
          perWeekday.set(k, (perWeekday.get(k) ?? 0) + 1);
        }
      }
      const leftOf = (cs: string) => {
        const known = future.get(cs);
        if (known !== undefined) return known;
        let n = 0;
        for (const d of daysLeft) n += perWeekday.get(`${cs}|${new Date(`${d}T00:00:00Z`).getUTCDay()}`) ?? 0;
        return n;
      };
      const count = new Map<string, number>(); // `${student}|${subject}`
      for (const m of marks) {
        const n = typeof m.value === "number" ? m.value : Number(m.value);
        if (!Number.isFinite(n)) continue;
        const date = m.lessonId ? lessonById.get(m.lessonId)?.date : undefined;
        if (!date || date < period.start || date > period.end) continue;
        const k = `${m.studentId}|${m.subjectId}`;
        count.set(k, (count.get(k) ?? 0) + 1);
      }
      const deadline = calendar.endOfDay(period.end).toISOString();
      for (const [cs, n] of held) {
        const [classId, subjectId] = cs.split("|");
        const cls = idx.classes.get(classId);
        if (!cls || cls.grade < minGrade) continue;
        const total = n + (future.get(cs) ?? 0);
        const hours = total / weeks;
        const need = (
          minimums.find((m) => m.maxHoursPerWeek === undefined || hours <= m.maxHoursPerWeek) ??
          minimums[minimums.length - 1]
        ).marks;
        const left = leftOf(cs);
        for (const s of studentsOf.get(classId) ?? []) {
          const have = count.get(`${s}|${subjectId}`) ?? 0;
          if (have + left >= need) continue;
          out.push({
            kind: "accumulation-at-risk",
            ruleId: "marks.accumulation",
            entity: {
              kind: "student-subject-period",
              key: `${s}|${subjectId}|${period.id}`,
              studentId: s,
              subjectId,
              periodId: period.id,
              classId,
            },
            responsibleId: null,
            deadline,
            message: warningMessages.accumulationAtRisk(
              idx.subjectNames.get(subjectId) ?? subjectId,
              classLabel(cls, classId),
              have,
              left,
              need,
            ),
          });
        }
      }
    }
  }
  return out;
}
