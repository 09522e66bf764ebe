// One class in one quarter: its lessons (topics, homework, attendance), works, marks and, for a
// finished quarter, the period marks — with this slice's injected violations. Everything of a
// class-quarter is planned in memory (bounded: ≈1,000 lessons × 30 students) and then streamed.
import type { WorkKind } from "../model/records.ts";
import {
  addEntries,
  addWorkingDays,
  atTime,
  avoidOutage,
  type DemoContext,
  endOfDay,
  isSchoolDay,
  moveOutOfOutage,
  recordViolation,
} from "./context.ts";
import { homeworkText, lessonTopic, QUARTER_WORKS, WRITTEN_KINDS } from "./curriculum.ts";
import { LocalClock } from "./local-time.ts";
import { deriveSeed, Rng } from "./random.ts";
import type { ClassInfo } from "./roster.ts";
import {
  BELLS,
  EXTERNAL_WORKS,
  FINAL_WORKS,
  GRADE1_EXTRA_VACATION,
  LATE_SETUP_FIRST_DAY,
  type QuarterDef,
} from "./school-year.ts";

const { at, dayOf, dateOf } = LocalClock;

interface PlannedLesson {
  id: string;
  day: number;
  date: string;
  number: number;
  startMin: number;
  endMin: number;
  lastEndMin: number;
  subjectId: string;
  teacherId: string;
  substituteId: string | undefined;
  /** Who makes the entries: the substitute if any (001 §3.5). */
  authorId: string;
}

interface PlannedWork {
  id: string;
  /** Index into the lessons, or -1 for a work held outside a lesson. */
  li: number;
  subjectId: string;
  kind: WorkKind;
  title: string;
  weight: number;
  date: string;
  day: number;
  announced: string | undefined;
}

const STATUS = ["present", "ill", "excused", "absent", "late"] as const;

function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

/** 2.5 / 3.5 / 4.5 rounding of the weighted mean (003 §5.1; the 001 default preset). */
export function roundMean(mean: number): number {
  const eps = 1e-9;
  if (mean >= 4.5 - eps) return 5;
  if (mean >= 3.5 - eps) return 4;
  if (mean >= 2.5 - eps) return 3;
  return 2;
}

/** A student's lasting strength or weakness in a subject, fixed by ids alone (−0.3…+0.3). */
function subjectBias(studentId: string, subjectId: string): number {
  return (deriveSeed(0, studentId, subjectId) % 1000) / 1000 - 0.5;
}

export async function generateClassQuarter(
  ctx: DemoContext,
  c: ClassInfo,
  q: QuarterDef,
  finished: boolean,
): Promise<void> {
  const rng = new Rng(deriveSeed(ctx.seed, "class-quarter", c.id, q.id));
  const { cal, clock, injector, writers } = ctx;
  const grade1 = c.grade === 1;
  const qStart = dayOf(q.start);
  const qEnd = dayOf(q.end);
  const firstDay = c.id === ctx.lateSetupClassId ? Math.max(qStart, dayOf(LATE_SETUP_FIRST_DAY)) : qStart;
  const g1From = dayOf(GRADE1_EXTRA_VACATION.from);
  const g1To = dayOf(GRADE1_EXTRA_VACATION.to);
  const teachers = ctx.roster.teachers;

  // 1. Lessons of the whole quarter from the timetable (emitted only up to observedAt's date).
  const lessons: PlannedLesson[] = [];
  for (let day = firstDay; day <= qEnd; day++) {
    const date = dateOf(day);
    if (!isSchoolDay(ctx, date)) continue;
    if (grade1 && day >= g1From && day <= g1To) continue;
    const row = c.timetable[LocalClock.weekday(day)];
    if (!row) continue;
    let last = 0;
    for (let n = 1; n < row.length; n++) if (row[n]) last = n;
    if (last === 0) continue;
    for (let n = 1; n <= last; n++) {
      const slot = row[n];
      if (!slot) continue;
      let substituteId: string | undefined;
      if (rng.chance(0.02)) {
        const regular = teachers.find((t) => t.id === slot.teacherId)!;
        const same = teachers.filter((t) => t.speciality === regular.speciality && t.id !== regular.id);
        const pool = same.length > 0 ? same : teachers.filter((t) => t.id !== regular.id);
        substituteId = rng.pick(pool).id;
      }
      lessons.push({
        id: `l-${c.id}-${date.replaceAll("-", "")}-${n}`,
        day,
        date,
        number: n,
        startMin: BELLS[n][0],
        endMin: BELLS[n][1],
        lastEndMin: BELLS[last][1],
        subjectId: slot.subjectId,
        teacherId: slot.teacherId,
        substituteId,
        authorId: substituteId ?? slot.teacherId,
      });
    }
  }
  const emitted = (li: number) => lessons[li].day <= ctx.observedDay;

  // 2. Who is away: illness spells and family days per school day, single missed or late lessons.
  const students = c.students;
  const S = students.length;
  const days = [...new Set(lessons.map((l) => l.day))];
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const dayStatus = new Uint8Array(S * days.length);
  for (let s = 0; s < S; s++) {
    const cap = Math.floor(days.length * 0.4);
    let ill = 0;
    let left = 0;
    for (let d = 0; d < days.length; d++) {
      if (left > 0) {
        dayStatus[s * days.length + d] = 1;
        left--;
        ill++;
      } else if (ill < cap && rng.chance(students[s].illness)) {
        dayStatus[s * days.length + d] = 1;
        left = rng.int(2, 7) - 1;
        ill++;
      } else if (rng.chance(0.006)) {
        dayStatus[s * days.length + d] = 2;
      }
    }
  }
  const lessonStatus = new Uint8Array(lessons.length * S);
  lessons.forEach((l, li) => {
    const d = dayIndex.get(l.day)!;
    for (let s = 0; s < S; s++) {
      const ds = dayStatus[s * days.length + d];
      if (ds !== 0) {
        lessonStatus[li * S + s] = ds;
        continue;
      }
      const r = rng.next();
      lessonStatus[li * S + s] = r < 0.012 ? 3 : r < 0.03 ? 4 : 0;
    }
  });
  const present = (li: number, s: number) => {
    const st = lessonStatus[li * S + s];
    return st === 0 || st === 4;
  };

  // 3. Works of the quarter (none in grade 1, 001 §2.10).
  const lessonsOf = new Map<string, number[]>();
  lessons.forEach((l, li) => {
    const list = lessonsOf.get(l.subjectId) ?? [];
    list.push(li);
    lessonsOf.set(l.subjectId, list);
  });
  const works: PlannedWork[] = [];
  const hostsWork = new Set<number>();
  const addWork = (
    li: number,
    subjectId: string,
    kind: WorkKind,
    title: string,
    weight: number,
    date: string,
  ) => {
    const announced =
      kind === "regional" || kind === "federal" || kind === "final"
        ? addWorkingDays(ctx, date, kind === "federal" ? 12 : 8)
        : undefined;
    works.push({
      id: `w-${c.id}-${q.id}-${String(works.length + 1).padStart(3, "0")}`,
      li,
      subjectId,
      kind,
      title,
      weight,
      date,
      day: dayOf(date),
      announced,
    });
    if (li >= 0) hostsWork.add(li);
  };
  if (!grade1) {
    for (const subjectId of Object.keys(c.hours)) {
      const subjectLessons = lessonsOf.get(subjectId) ?? [];
      if (subjectLessons.length === 0) continue;
      let plan = [...(QUARTER_WORKS[subjectId] ?? [])].sort(
        (a, b) => Number(WRITTEN_KINDS.has(b.kind)) - Number(WRITTEN_KINDS.has(a.kind)),
      );
      if (finished && injector.decide("control-work.missing", rng)) {
        plan = plan.filter((p) => !WRITTEN_KINDS.has(p.kind));
        recordViolation(ctx, {
          ruleId: "control-work.missing",
          entity: { kind: "class-subject-period", classId: c.id, subjectId, periodId: q.id },
          responsibleId: c.teacherOf[subjectId],
          deadline: clock.isoOf(endOfDay(ctx, q.end)),
          why: `no control/written work (control, written, test, lab, practical) in ${subjectId} of ${c.id} in ${q.id}`,
        });
      }
      const n = subjectLessons.length;
      plan.forEach((p, i) => {
        let pos = Math.floor(((i + 1) * n) / (plan.length + 1)) + rng.int(-1, 1);
        pos = Math.max(n > 1 ? 1 : 0, Math.min(n - 1, pos));
        let tries = 0;
        while (hostsWork.has(subjectLessons[pos]) && tries < n) {
          pos = (pos + 1) % n;
          tries++;
        }
        if (tries >= n) return;
        const li = subjectLessons[pos];
        addWork(li, subjectId, p.kind, p.title, p.weight ?? 1, lessons[li].date);
      });
    }
    if (c.grade >= 5) {
      const rotation = ["rus", c.hours["alg"] ? "alg" : "math", "eng"];
      const subjectId = rotation[(c.index + q.number) % rotation.length];
      const candidates = (lessonsOf.get(subjectId) ?? []).filter(
        (li) => lessons[li].day >= qEnd - 20 && lessons[li].day <= qEnd - 8 && !hostsWork.has(li),
      );
      if (candidates.length > 0) {
        const li = candidates[candidates.length - 1];
        addWork(li, subjectId, "intermediate", "Промежуточная аттестация", 2, lessons[li].date);
      }
    }
    for (const e of EXTERNAL_WORKS) {
      if (!e.grades.includes(c.grade)) continue;
      const subjectId = e.subjectIds.find((id) => c.hours[id]);
      if (!subjectId) continue;
      const li = (lessonsOf.get(subjectId) ?? []).find(
        (i) => lessons[i].date >= e.from && lessons[i].date <= e.to && !hostsWork.has(i),
      );
      if (li !== undefined) addWork(li, subjectId, e.kind, e.title, 1, lessons[li].date);
    }
    for (const f of FINAL_WORKS) {
      if (f.grade !== c.grade || f.date < q.start || f.date > q.end) continue;
      const li = lessons.findIndex((l) => l.date === f.date && l.subjectId === f.subjectId);
      addWork(li, f.subjectId, "final", f.title, 1, f.date);
    }
  }

  // 4. When each work's marks are entered, and which works are injected as late.
  const workBase = new Map<string, number>(); // local seconds of the first mark; Infinity = not yet
  for (const w of works) {
    const l = w.li >= 0 ? lessons[w.li] : undefined;
    const responsible = l?.authorId ?? c.teacherOf[w.subjectId];
    let base: number;
    if (w.day > ctx.observedDay) {
      base = Number.POSITIVE_INFINITY;
    } else if (w.kind === "oral") {
      base = at(w.day, (l?.endMin ?? 14 * 60) + rng.int(5, 90)) + rng.int(0, 59);
    } else if (WRITTEN_KINDS.has(w.kind)) {
      base = at(w.day + rng.int(0, 3), rng.int(15 * 60, 21 * 60 + 30)) + rng.int(0, 59);
      const deadlineDate = addWorkingDays(ctx, w.date, 5);
      const late = at(dayOf(deadlineDate) + rng.int(1, 4), rng.int(10 * 60, 20 * 60));
      if (late + 7200 < ctx.observedLocal && injector.decide("mark.written.late", rng)) {
        base = late;
        recordViolation(ctx, {
          ruleId: "mark.written.late",
          entity: { kind: "work", id: w.id },
          responsibleId: responsible,
          deadline: clock.isoOf(endOfDay(ctx, deadlineDate)),
          why: `${w.kind} work of ${w.date} marked after 5 working days`,
        });
      }
    } else if (w.kind === "intermediate") {
      base = at(w.day + rng.int(0, 1), rng.int(15 * 60, 21 * 60)) + rng.int(0, 59);
      const d1 = cal.previousWorkingDay(q.end);
      const d2 = cal.previousWorkingDay(d1);
      const late = at(rng.chance(0.5) ? dayOf(d1) : qEnd, rng.int(10 * 60, 20 * 60));
      if (
        finished &&
        late + 7200 < ctx.observedLocal &&
        injector.decide("attestation.intermediate.late", rng)
      ) {
        base = late;
        recordViolation(ctx, {
          ruleId: "attestation.intermediate.late",
          entity: { kind: "work", id: w.id },
          responsibleId: responsible,
          deadline: clock.isoOf(endOfDay(ctx, d2)),
          why: `intermediate attestation results entered later than 2 working days before ${q.end}`,
        });
      }
    } else {
      // regional, federal, final: after the results are announced.
      const announced = w.announced!;
      if (announced > ctx.observedDate) {
        base = Number.POSITIVE_INFINITY;
      } else {
        base = at(dayOf(announced), rng.int(12 * 60, 17 * 60 + 30)) + rng.int(0, 59);
        const rule = w.kind === "final" ? "attestation.final.late" : "mark.external.late";
        const deadlineDate = addWorkingDays(ctx, announced, 1);
        const late = at(dayOf(deadlineDate) + rng.int(1, 5), rng.int(10 * 60, 20 * 60));
        if (late + 7200 < ctx.observedLocal && injector.decide(rule, rng)) {
          base = late;
          recordViolation(ctx, {
            ruleId: rule,
            entity: { kind: "work", id: w.id },
            responsibleId: responsible,
            deadline: clock.isoOf(endOfDay(ctx, deadlineDate)),
            why: `${w.kind} work results announced ${announced}, marks entered after the next working day`,
          });
        }
      }
    }
    workBase.set(w.id, base);
  }

  // 5. Marks: work marks for those present, oral marks to reach each student's accumulation.
  const periodNumeric = new Map<string, { sum: number; weight: number }>(); // `${s}|${subject}`
  const emitMark = (
    s: number,
    subjectId: string,
    value: number | "зч" | "нз",
    recorded: number,
    authorId: string,
    lessonId: string | undefined,
    work: PlannedWork | undefined,
  ) => {
    const local = avoidOutage(ctx, recorded);
    if (local > ctx.observedLocal) {
      if (finished) throw new Error(`internal: a mark of finished ${q.id} recorded after observedAt`);
      return;
    }
    const id = `m${++ctx.markSeq}`;
    writers.marks.push({
      id,
      studentId: students[s].id,
      subjectId,
      ...(work ? { workId: work.id } : {}),
      ...(lessonId ? { lessonId } : {}),
      value,
      ...(work && work.weight !== 1 ? { weight: work.weight } : {}),
      recordedAt: clock.iso(local),
      authorId,
    });
    addEntries(ctx, authorId, local);
    if (typeof value === "number") {
      const key = `${s}|${subjectId}`;
      const acc = periodNumeric.get(key) ?? { sum: 0, weight: 0 };
      const weight = work?.weight ?? 1;
      acc.sum += value * weight;
      acc.weight += weight;
      periodNumeric.set(key, acc);
    }
    return id;
  };

  if (!grade1) {
    for (const subjectId of Object.keys(c.hours)) {
      const subjectLessons = lessonsOf.get(subjectId) ?? [];
      if (subjectLessons.length === 0) continue;
      const subjectWorks = works.filter((w) => w.subjectId === subjectId);
      const hours = c.hours[subjectId];
      const minTarget = hours >= 2 ? 6 : 4;
      for (let s = 0; s < S; s++) {
        const student = students[s];
        const bias = subjectBias(student.id, subjectId);
        const markValue = (harder: boolean) => {
          const v = Math.round(student.ability + bias + rng.normal(0, 0.75) - (harder ? 0.25 : 0));
          return Math.max(2, Math.min(5, v));
        };
        // Events: [lesson index, work or undefined].
        let events: [number, PlannedWork | undefined][] = [];
        for (const w of subjectWorks) {
          if (w.kind === "final") continue;
          if (w.li < 0 || present(w.li, s)) events.push([w.li, w]);
        }
        const presentLessons = subjectLessons.filter((li) => present(li, s));
        const pool = presentLessons.length > 0 ? presentLessons : subjectLessons;
        let oralCount: number;
        if (finished && injector.decide("marks.accumulation", rng)) {
          const keep = rng.int(1, 2);
          events = events.slice(0, keep);
          oralCount = keep - events.length;
          recordViolation(ctx, {
            ruleId: "marks.accumulation",
            entity: { kind: "student-subject-period", studentId: student.id, subjectId, periodId: q.id },
            responsibleId: c.teacherOf[subjectId],
            deadline: clock.isoOf(endOfDay(ctx, q.end)),
            why: `${keep} mark(s) in ${q.id}; minimum ${hours > 2 ? 5 : 3} for ${hours} h/week`,
          });
        } else {
          // About one mark in two lessons, never below the accumulation minimum (+1 spare).
          const target = Math.max(minTarget, Math.round(subjectLessons.length * 0.45)) + rng.int(0, 2);
          oralCount = Math.max(0, target - events.length);
        }
        const shuffled = rng.shuffle(pool.slice());
        for (let k = 0; k < oralCount; k++) events.push([shuffled[k % shuffled.length], undefined]);

        for (const [li, w] of events) {
          if (w) {
            const base = workBase.get(w.id)!;
            if (base === Number.POSITIVE_INFINITY) continue;
            const l = w.li >= 0 ? lessons[w.li] : undefined;
            const author = l?.authorId ?? c.teacherOf[subjectId];
            const value = markValue(w.kind === "control" || w.kind === "intermediate");
            emitMark(s, subjectId, value, base + s * 25 + rng.int(0, 20), author, l?.id, w);
            continue;
          }
          const l = lessons[li];
          if (!emitted(li)) continue;
          let recorded = at(l.day, l.startMin + rng.int(10, 130)) + rng.int(0, 59);
          const lateCandidate = at(l.day + rng.int(1, 4), rng.int(9 * 60, 21 * 60));
          const late =
            l.day < ctx.observedDay - 1 &&
            lateCandidate + 7200 < ctx.observedLocal &&
            injector.decide("mark.oral.late", rng);
          if (late) recorded = lateCandidate;
          const id = emitMark(s, subjectId, markValue(false), recorded, l.authorId, l.id, undefined);
          if (late && id) {
            recordViolation(ctx, {
              ruleId: "mark.oral.late",
              entity: { kind: "mark", id },
              responsibleId: l.authorId,
              deadline: clock.isoOf(endOfDay(ctx, l.date)),
              why: `oral mark of the lesson on ${l.date} entered on a later day`,
            });
          }
        }
        // Final attestation stages: зачёт / незачёт for everyone.
        for (const w of subjectWorks) {
          if (w.kind !== "final") continue;
          const base = workBase.get(w.id)!;
          if (base === Number.POSITIVE_INFINITY) continue;
          const l = w.li >= 0 ? lessons[w.li] : undefined;
          const value = rng.chance(0.96) ? "зч" : "нз";
          emitMark(s, subjectId, value, base + s * 25, l?.authorId ?? c.teacherOf[subjectId], l?.id, w);
        }
      }
    }
  }

  // 6. Works out (only those held by observedAt).
  for (const w of works) {
    if (w.day > ctx.observedDay) continue;
    writers.works.push({
      id: w.id,
      ...(w.li >= 0 ? { lessonId: lessons[w.li].id } : {}),
      classId: c.id,
      subjectId: w.subjectId,
      kind: w.kind,
      date: w.date,
      ...(w.announced && w.announced <= ctx.observedDate ? { resultsAnnouncedOn: w.announced } : {}),
    });
  }

  // 7. Lessons with their entries, attendance rows, and the lesson-level violations.
  for (let li = 0; li < lessons.length; li++) {
    const l = lessons[li];
    if (!emitted(li)) break;
    const counterKey = `${c.id}|${l.subjectId}`;
    const n = ctx.topicCounters.get(counterKey) ?? 0;
    ctx.topicCounters.set(counterKey, n + 1);
    const today = l.day === ctx.observedDay;
    const eligible = !today && !ctx.outageDays.has(l.day);
    const topicDeadline = moveOutOfOutage(ctx, atTime(ctx, l.date, "15:00"));

    let topicTime: number | undefined = avoidOutage(
      ctx,
      at(l.day, l.startMin + rng.int(3, 35)) + rng.int(0, 59),
    );
    let topicAuthor: string | undefined = l.authorId;
    let hasHomework = !grade1 && rng.chance(0.75);
    let homeworkTime = avoidOutage(ctx, topicTime + rng.int(60, 240));
    let attendanceTime: number | undefined = avoidOutage(ctx, at(l.day, l.startMin) + rng.int(60, 600));
    if (today && rng.chance(0.25)) attendanceTime = undefined; // not yet: its deadline is tonight

    if (eligible && injector.decide("lesson.topic.late", rng)) {
      if (rng.chance(0.5)) {
        topicTime = undefined;
        topicAuthor = undefined;
      } else {
        const nextDays = l.day + 1 < ctx.observedDay && rng.chance(0.4);
        topicTime = nextDays
          ? avoidOutage(ctx, at(l.day + 1, rng.int(8 * 60, 21 * 60)))
          : avoidOutage(ctx, at(l.day, rng.int(15 * 60 + 30, 21 * 60)));
      }
      recordViolation(ctx, {
        ruleId: "lesson.topic.late",
        entity: { kind: "lesson", id: l.id },
        responsibleId: l.authorId,
        deadline: clock.isoOf(topicDeadline),
        why:
          topicTime === undefined
            ? "no topic although 15:00 of the lesson day has passed"
            : "topic entered after 15:00 of the lesson day",
      });
    } else if (eligible && injector.decide("lesson.topic.in-advance", rng)) {
      topicTime = avoidOutage(ctx, at(l.day - rng.int(1, 7), rng.int(10 * 60, 20 * 60)));
      recordViolation(ctx, {
        ruleId: "lesson.topic.in-advance",
        entity: { kind: "lesson", id: l.id },
        responsibleId: l.authorId,
        deadline: clock.isoOf(cal.startOfDay(l.date)),
        why: "topic entered before the lesson day",
      });
    }
    if (
      l.substituteId &&
      topicTime !== undefined &&
      eligible &&
      injector.decide("substitution.wrong-author", rng)
    ) {
      topicAuthor = l.teacherId;
      recordViolation(ctx, {
        ruleId: "substitution.wrong-author",
        entity: { kind: "lesson", id: l.id },
        responsibleId: l.substituteId,
        deadline: clock.isoOf(topicDeadline),
        why: "substituted lesson filled by the regular teacher instead of the substitute",
      });
    }
    if (hasHomework && eligible && injector.decide("homework.late", rng)) {
      const deadline = moveOutOfOutage(ctx, atTime(ctx, l.date, hhmm(l.lastEndMin + 60)));
      homeworkTime = avoidOutage(ctx, clock.localOf(deadline) + rng.int(15 * 60, 6 * 3600));
      recordViolation(ctx, {
        ruleId: "homework.late",
        entity: { kind: "lesson", id: l.id },
        responsibleId: l.authorId,
        deadline: clock.isoOf(deadline),
        why: "homework entered more than 1 h after the class's last lesson of the day",
      });
    }
    if (attendanceTime !== undefined && eligible && injector.decide("attendance.not-taken", rng)) {
      attendanceTime = rng.chance(0.75)
        ? undefined
        : avoidOutage(ctx, at(l.day + 1, rng.int(8 * 60, 20 * 60)));
      if (attendanceTime !== undefined && attendanceTime > ctx.observedLocal) attendanceTime = undefined;
      recordViolation(ctx, {
        ruleId: "attendance.not-taken",
        entity: { kind: "lesson", id: l.id },
        responsibleId: l.authorId,
        deadline: clock.isoOf(endOfDay(ctx, l.date)),
        why:
          attendanceTime === undefined
            ? "no attendance record after the lesson day"
            : "attendance entered after the lesson day",
      });
    }
    if (grade1 && eligible && injector.decide("grade1.marks", rng)) {
      if (rng.chance(0.6)) {
        const s = rng.int(0, S - 1);
        const recorded = avoidOutage(ctx, at(l.day, l.startMin + rng.int(10, 60)));
        const id = emitMark(s, l.subjectId, rng.chance(0.7) ? 5 : 4, recorded, l.authorId, l.id, undefined)!;
        recordViolation(ctx, {
          ruleId: "grade1.marks",
          entity: { kind: "mark", id },
          responsibleId: l.authorId,
          deadline: clock.iso(recorded),
          why: "a mark in grade 1 (001 §2.10)",
        });
      } else {
        hasHomework = true;
        recordViolation(ctx, {
          ruleId: "grade1.marks",
          entity: { kind: "lesson", id: l.id },
          responsibleId: l.authorId,
          deadline: clock.iso(homeworkTime),
          why: "homework in grade 1 (001 §2.10)",
        });
      }
    }

    writers.lessons.push({
      id: l.id,
      classId: c.id,
      subjectId: l.subjectId,
      teacherId: l.teacherId,
      ...(l.substituteId ? { substituteTeacherId: l.substituteId } : {}),
      date: l.date,
      number: l.number,
      start: hhmm(l.startMin),
      end: hhmm(l.endMin),
      ...(topicTime !== undefined
        ? {
            topic: lessonTopic(l.subjectId, n, c.grade),
            topicRecordedAt: clock.iso(topicTime),
            topicAuthorId: topicAuthor,
          }
        : {}),
      ...(hasHomework
        ? { homework: homeworkText(rng, l.subjectId), homeworkRecordedAt: clock.iso(homeworkTime) }
        : {}),
      ...(attendanceTime !== undefined ? { attendanceRecordedAt: clock.iso(attendanceTime) } : {}),
    });
    addEntries(
      ctx,
      l.authorId,
      at(l.day, l.endMin),
      1 + (hasHomework ? 1 : 0) + (attendanceTime !== undefined ? 1 : 0),
    );
    if (attendanceTime !== undefined) {
      const recordedAt = clock.iso(attendanceTime);
      for (let s = 0; s < S; s++) {
        const st = lessonStatus[li * S + s];
        if (st !== 0)
          writers.attendance.push({
            studentId: students[s].id,
            lessonId: l.id,
            status: STATUS[st],
            recordedAt,
          });
      }
    }
  }

  // 8. Period marks of a finished quarter: the rounded weighted mean of the quarter's marks.
  if (finished && !grade1) {
    for (const subjectId of Object.keys(c.hours)) {
      if ((lessonsOf.get(subjectId) ?? []).length === 0) continue;
      const responsible = c.teacherOf[subjectId];
      const markDeadline = endOfDay(ctx, dateOf(qEnd + 4));
      const lateDay = qEnd + 4 + rng.int(1, 5);
      const late = at(lateDay, 20 * 60) < ctx.observedLocal && injector.decide("period-mark.late", rng);
      const baseDay = late ? lateDay : qEnd + rng.int(0, 2);
      const base = at(baseDay, rng.int(late ? 9 * 60 : 14 * 60, late ? 19 * 60 : 19 * 60 + 30));
      for (let s = 0; s < S; s++) {
        const acc = periodNumeric.get(`${s}|${subjectId}`);
        if (!acc || acc.weight === 0) throw new Error(`internal: no marks for ${c.id} ${subjectId} ${q.id}`);
        const rounded = roundMean(acc.sum / acc.weight);
        let value = rounded;
        const studentId = students[s].id;
        const entity = { kind: "student-subject-period" as const, studentId, subjectId, periodId: q.id };
        if (injector.decide("period-mark.unjustified", rng)) {
          const shift = rng.int(1, 2);
          value = rounded + shift <= 5 ? rounded + shift : rounded - shift;
          recordViolation(ctx, {
            ruleId: "period-mark.unjustified",
            entity,
            responsibleId: responsible,
            deadline: clock.isoOf(markDeadline),
            why: `period mark ${value}, weighted mean ${(acc.sum / acc.weight).toFixed(2)} rounds to ${rounded}`,
          });
        }
        const recorded = avoidOutage(ctx, base + s * 30 + rng.int(0, 25));
        writers.periodMarks.push({
          studentId,
          subjectId,
          periodId: q.id,
          value,
          recordedAt: clock.iso(recorded),
        });
        addEntries(ctx, responsible, recorded);
        if (late) {
          recordViolation(ctx, {
            ruleId: "period-mark.late",
            entity,
            responsibleId: responsible,
            deadline: clock.isoOf(markDeadline),
            why: `period mark entered more than 4 days after ${q.end}`,
          });
        }
      }
    }
  }
}
