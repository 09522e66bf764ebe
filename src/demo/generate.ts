// The demo school generator: a realistic Russian school as a reglament dataset v1 folder, with
// violations of every rule injected at known rates and listed in ground-truth.jsonl. Streams all
// large files (bounded memory), deterministic for a seed. Semantics and rates: README.md here.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { SchoolCalendar } from "../calendar/index.ts";
import { type CalendarDay, type Manifest, STREAM_FILES, type StreamName } from "../model/records.ts";
import { writeActivity } from "./activity.ts";
import { generateClassQuarter } from "./class-quarter.ts";
import { type DemoContext, recordViolation, type Writers } from "./context.ts";
import { SUBJECTS } from "./curriculum.ts";
import { Injector, type RuleId } from "./injection.ts";
import { JsonlWriter } from "./jsonl-writer.ts";
import { LocalClock } from "./local-time.ts";
import { deriveSeed, Rng } from "./random.ts";
import { buildRoster } from "./roster.ts";
import {
  CLOSE_DEADLINE_OF_PREVIOUS_YEAR,
  type DemoSize,
  OUTAGES,
  PREVIOUS_YEAR,
  QUARTERS,
  SETUP_DEADLINE,
  SIZES,
  schoolProfile,
  VACATIONS,
  YEAR,
} from "./school-year.ts";

export const GROUND_TRUTH_FILE = "ground-truth.jsonl";

export const demoOptionsSchema = z.object({
  size: z.enum(["small", "medium", "large"]),
  seed: z.number().int().min(0).max(0xffffffff),
  out: z.string().min(1),
});

export interface DemoOptions {
  size: DemoSize;
  seed: number;
  out: string;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface DemoResult {
  /** Rows per file: stream names of records.ts plus `groundTruth`. */
  counts: Record<string, number>;
  /** Ground-truth records per rule id (every rule id present, zero or not). */
  violations: Record<string, number>;
}

export async function generateDemoSchool(opts: DemoOptions): Promise<DemoResult> {
  const { size: sizeName, seed, out } = demoOptionsSchema.parse(opts);
  const progress = opts.onProgress ?? (() => {});
  const size = SIZES[sizeName];
  const school = schoolProfile(seed);
  await mkdir(out, { recursive: true });

  const overrides: CalendarDay[] = [];
  for (const v of VACATIONS) {
    for (let d = LocalClock.dayOf(v.from); d <= LocalClock.dayOf(v.to); d++) {
      overrides.push({ date: LocalClock.dateOf(d), kind: "vacation" });
    }
  }
  const cal = new SchoolCalendar({ timezone: school.timezone, workweek: school.workweek, overrides });
  const clock = new LocalClock(school.timezone, PREVIOUS_YEAR.start, YEAR.end);
  const roster = buildRoster(seed, size, school.workweek);
  const setupRng = new Rng(deriveSeed(seed, "year-setup"));
  const lateSetupClass = setupRng.pick(roster.classes.filter((c) => c.grade >= 2));

  const observedDay = LocalClock.dayOf(size.observedDate);
  const observedLocal = LocalClock.at(observedDay, size.observedMin);
  const outages = OUTAGES.map((o) => ({
    day: LocalClock.dayOf(o.date),
    from: LocalClock.at(LocalClock.dayOf(o.date), o.fromMin),
    to: LocalClock.at(LocalClock.dayOf(o.date), o.toMin),
  }));

  const open = (file: string) => new JsonlWriter(join(out, file));
  const writers: Writers = {
    periods: open(STREAM_FILES.periods),
    calendar: open(STREAM_FILES.calendar),
    subjects: open(STREAM_FILES.subjects),
    persons: open(STREAM_FILES.persons),
    classes: open(STREAM_FILES.classes),
    lessons: open(STREAM_FILES.lessons),
    works: open(STREAM_FILES.works),
    marks: open(STREAM_FILES.marks),
    attendance: open(STREAM_FILES.attendance),
    periodMarks: open(STREAM_FILES.periodMarks),
    activity: open(STREAM_FILES.activity),
    outages: open(STREAM_FILES.outages),
    groundTruth: open(GROUND_TRUTH_FILE),
  };
  const all = Object.values(writers);

  const ctx: DemoContext = {
    seed,
    school,
    cal,
    clock,
    observedDate: size.observedDate,
    observedDay,
    observedLocal,
    outages,
    outageDays: new Set(outages.map((o) => o.day)),
    roster,
    injector: new Injector(),
    writers,
    lateSetupClassId: lateSetupClass.id,
    teacherEntries: new Map(),
    topicCounters: new Map(),
    markSeq: 0,
    memo: new Map(),
  };

  try {
    const manifest: Manifest = {
      format: "reglament-dataset",
      version: 1,
      observedAt: clock.iso(observedLocal),
      school: { id: school.id, name: school.name, timezone: school.timezone, workweek: school.workweek },
    };
    await writeFile(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

    writers.periods.push({
      id: PREVIOUS_YEAR.id,
      kind: "year",
      number: 1,
      start: PREVIOUS_YEAR.start,
      end: PREVIOUS_YEAR.end,
    });
    for (const q of QUARTERS)
      writers.periods.push({ id: q.id, kind: "quarter", number: q.number, start: q.start, end: q.end });
    writers.periods.push({ id: YEAR.id, kind: "year", number: 1, start: YEAR.start, end: YEAR.end });
    for (const o of overrides) writers.calendar.push(o);
    for (const s of SUBJECTS) writers.subjects.push({ id: s.id, name: s.name });
    for (const p of roster.persons) writers.persons.push(p);
    for (const c of roster.classes) {
      writers.classes.push({ id: c.id, grade: c.grade, letter: c.letter, classTeacherId: c.classTeacherId });
    }
    for (const o of OUTAGES) {
      const day = LocalClock.dayOf(o.date);
      if (day > observedDay) continue;
      writers.outages.push({
        from: clock.iso(LocalClock.at(day, o.fromMin)),
        to: clock.iso(LocalClock.at(day, o.toMin)),
        note: o.note,
      });
    }
    injectYearSetupAndClose(ctx, setupRng);
    await Promise.all(all.map((w) => w.flush()));

    const quarters = QUARTERS.filter((q) => q.start <= size.observedDate);
    const total = quarters.length * roster.classes.length + 1;
    let done = 0;
    progress(done, total, "roster");
    for (const q of quarters) {
      const finished = q.end < size.observedDate;
      if (finished && LocalClock.dayOf(q.end) + 4 >= observedDay) {
        throw new Error(`internal: ${q.id} ended too close to observedAt for its period marks`);
      }
      for (const c of roster.classes) {
        await generateClassQuarter(ctx, c, q, finished);
        await Promise.all(all.map((w) => w.flush()));
        progress(++done, total, `${q.id} ${c.id}`);
      }
    }
    await writeActivity(ctx);
    progress(++done, total, "activity");
    for (const w of all) await w.close();
  } catch (err) {
    for (const w of all) w.destroy();
    throw err;
  }

  const counts: Record<string, number> = {};
  for (const name of Object.keys(STREAM_FILES) as StreamName[]) counts[name] = writers[name].count;
  counts["groundTruth"] = writers.groundTruth.count;
  const violations: Record<string, number> = {};
  for (const [rule, n] of Object.entries(ctx.injector.injected) as [RuleId, number][]) violations[rule] = n;
  return { counts, violations };
}

/**
 * The two year-level violations, each once per dataset:
 * - year.setup.late: one class has no timetable (no lessons) before 15 September although school
 *   started on 1 September — the schedule was not set by 10 September (001 §3.3);
 * - year.close.late: year marks of the previous year entered in September — the year was still
 *   open after 30 August (001 §3.1). Those marks are also `period-mark.late`.
 */
function injectYearSetupAndClose(ctx: DemoContext, rng: Rng): void {
  const { cal, clock, roster, writers } = ctx;
  recordViolation(ctx, {
    ruleId: "year.setup.late",
    entity: { kind: "class", id: ctx.lateSetupClassId },
    responsibleId: roster.deputyId,
    deadline: clock.isoOf(cal.endOfDay(SETUP_DEADLINE)),
    why: `no lessons of ${ctx.lateSetupClassId} before 2025-09-15: schedule not set by ${SETUP_DEADLINE}`,
  });
  const c = rng.pick(roster.classes.filter((k) => k.grade >= 3));
  const periodMarkDeadline = clock.isoOf(
    cal.endOfDay(LocalClock.dateOf(LocalClock.dayOf(PREVIOUS_YEAR.end) + 4)),
  );
  const students = rng.sample(c.students, 3);
  students.forEach((s, i) => {
    const recorded = LocalClock.at(LocalClock.dayOf("2025-09-02") + i, rng.int(10 * 60, 16 * 60));
    writers.periodMarks.push({
      studentId: s.id,
      subjectId: "rus",
      periodId: PREVIOUS_YEAR.id,
      value: Math.max(2, Math.min(5, Math.round(s.ability))),
      recordedAt: clock.iso(recorded),
    });
    recordViolation(ctx, {
      ruleId: "period-mark.late",
      entity: {
        kind: "student-subject-period",
        studentId: s.id,
        subjectId: "rus",
        periodId: PREVIOUS_YEAR.id,
      },
      responsibleId: c.teacherOf["rus"],
      deadline: periodMarkDeadline,
      why: `year mark of ${PREVIOUS_YEAR.id} entered in September`,
    });
  });
  recordViolation(ctx, {
    ruleId: "year.close.late",
    entity: { kind: "period", id: PREVIOUS_YEAR.id },
    responsibleId: roster.adminId,
    deadline: clock.isoOf(cal.endOfDay(CLOSE_DEADLINE_OF_PREVIOUS_YEAR)),
    why: `entries of ${PREVIOUS_YEAR.id} recorded after ${CLOSE_DEADLINE_OF_PREVIOUS_YEAR}: the year was not closed`,
  });
}
