// What every stage of the demo generator shares: the school, its calendar and clock, the writers,
// the injector and the helpers that turn local times into deadlines and ground truth.
import type { SchoolCalendar } from "../calendar/index.ts";
import type { GroundTruthRecord, Injector } from "./injection.ts";
import type { JsonlWriter } from "./jsonl-writer.ts";
import { LocalClock } from "./local-time.ts";
import type { Roster } from "./roster.ts";
import type { SchoolProfile } from "./school-year.ts";

export interface Writers {
  periods: JsonlWriter;
  calendar: JsonlWriter;
  subjects: JsonlWriter;
  persons: JsonlWriter;
  classes: JsonlWriter;
  lessons: JsonlWriter;
  works: JsonlWriter;
  marks: JsonlWriter;
  attendance: JsonlWriter;
  periodMarks: JsonlWriter;
  activity: JsonlWriter;
  outages: JsonlWriter;
  groundTruth: JsonlWriter;
}

export interface OutageWindow {
  day: number;
  /** Local seconds, both ends included. */
  from: number;
  to: number;
}

export interface DemoContext {
  seed: number;
  school: SchoolProfile;
  cal: SchoolCalendar;
  clock: LocalClock;
  observedDate: string;
  observedDay: number;
  /** observedAt in local seconds. */
  observedLocal: number;
  outages: OutageWindow[];
  outageDays: Set<number>;
  roster: Roster;
  injector: Injector;
  writers: Writers;
  lateSetupClassId: string;
  /** Entries per teacher per day for activity.jsonl: key `${day}|${teacherId}`. */
  teacherEntries: Map<string, number>;
  /** Lessons so far of each class and subject (the topic index). */
  topicCounters: Map<string, number>;
  markSeq: number;
  /** Memo of calendar answers: luxon is too slow to ask per lesson. */
  memo: Map<string, Date | boolean | string>;
}

function memoised<T extends Date | boolean | string>(ctx: DemoContext, key: string, compute: () => T): T {
  const known = ctx.memo.get(key) as T | undefined;
  if (known !== undefined) return known;
  const value = compute();
  ctx.memo.set(key, value);
  return value;
}

/** `cal.at(date, time)`, memoised. */
export function atTime(ctx: DemoContext, date: string, time: string): Date {
  return memoised(ctx, `at|${date}|${time}`, () => ctx.cal.at(date, time));
}

/** `cal.endOfDay(date)`, memoised. */
export function endOfDay(ctx: DemoContext, date: string): Date {
  return memoised(ctx, `eod|${date}`, () => ctx.cal.endOfDay(date));
}

/** `cal.isSchoolDay(date)`, memoised. */
export function isSchoolDay(ctx: DemoContext, date: string): boolean {
  return memoised(ctx, `school|${date}`, () => ctx.cal.isSchoolDay(date));
}

/** `cal.addWorkingDays(date, n)`, memoised. */
export function addWorkingDays(ctx: DemoContext, date: string, n: number): string {
  return memoised(ctx, `add|${date}|${n}`, () => ctx.cal.addWorkingDays(date, n));
}

/** A local time moved out of any outage (nothing can be entered while the platform is down). */
export function avoidOutage(ctx: DemoContext, local: number): number {
  for (const o of ctx.outages) {
    if (local >= o.from && local <= o.to) return o.to + 60 + ((local - o.from) % 240);
  }
  return local;
}

/**
 * DESIGN.md: a deadline inside an outage moves to the end of the working day access resumed
 * on, or of the next working day when it resumed on a day off.
 */
export function moveOutOfOutage(ctx: DemoContext, deadline: Date): Date {
  const local = ctx.clock.localOf(deadline);
  for (const o of ctx.outages) {
    if (local >= o.from && local <= o.to) {
      const resumed = LocalClock.dateOf(o.day);
      const day = ctx.cal.isWorkingDay(resumed) ? resumed : ctx.cal.nextWorkingDay(resumed);
      return ctx.cal.endOfDay(day);
    }
  }
  return deadline;
}

export function addEntries(ctx: DemoContext, teacherId: string, local: number, n = 1): void {
  const key = `${LocalClock.dayOfLocal(local)}|${teacherId}`;
  ctx.teacherEntries.set(key, (ctx.teacherEntries.get(key) ?? 0) + n);
}

export function recordViolation(ctx: DemoContext, record: GroundTruthRecord): void {
  ctx.writers.groundTruth.push(record);
  ctx.injector.count(record.ruleId);
}
