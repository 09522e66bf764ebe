// The rule contract (after ESLint's rules): one file per rule with id, Russian title, clause, a zod
// schema of its parameters with defaults, and `evaluate`, which reports findings through the context.

import type { z } from "zod";
import type { SchoolCalendar } from "../calendar/index.ts";
import type { AttendanceEvidence } from "../connectors/types.ts";
import type {
  Activity,
  Attendance,
  Lesson,
  Mark,
  Period,
  PeriodMark,
  Person,
  School,
  SchoolClass,
  StreamName,
  Subject,
  Work,
} from "../model/records.ts";

/** When the store saw a record: the first observation that had it, the last full read that did not. */
export interface SeenEvidence {
  firstSeenAt: string;
  lastAbsentAt?: string;
}

export type LessonRow = Lesson &
  SeenEvidence & {
    topicFirstSeenAt?: string;
    topicLastAbsentAt?: string;
    homeworkFirstSeenAt?: string;
    homeworkLastAbsentAt?: string;
  };
export type MarkRow = Mark & SeenEvidence;
export type WorkRow = Work & SeenEvidence;
export type AttendanceRow = Attendance & SeenEvidence;
export type PeriodMarkRow = PeriodMark & SeenEvidence;

/** A pupil's membership of a class: `from`/`to` are the days the store first and last saw it (absent: unbounded). */
export interface Enrollment {
  studentId: string;
  classId: string;
  from?: string;
  to?: string;
}

export interface OutageWindow {
  from: string;
  /** Absent while the outage is still open. */
  to?: string;
  origin: "dataset" | "sync";
}

/** What the store has observed of a stream: a deadline before `lastFullReadAt` can prove a missing entry. */
export interface StreamObservation {
  lastObservedAt: string | null;
  lastFullReadAt: string | null;
}

/** Read-only access to one school's journal, loaded once per check and shared by every rule. */
export interface RuleData {
  periods(): Promise<Period[]>;
  classes(): Promise<SchoolClass[]>;
  persons(): Promise<Person[]>;
  subjects(): Promise<Subject[]>;
  lessons(): Promise<LessonRow[]>;
  works(): Promise<WorkRow[]>;
  marks(): Promise<MarkRow[]>;
  attendance(): Promise<AttendanceRow[]>;
  periodMarks(): Promise<PeriodMarkRow[]>;
  activity(): Promise<Activity[]>;
  outages(): Promise<OutageWindow[]>;
  /** Pupils' class memberships over time (the store's enrollments). */
  enrollments(): Promise<Enrollment[]>;
  observation(stream: StreamName): Promise<StreamObservation>;
  /** What a lesson without attendance rows means on the school's platform (Discovery.attendanceEvidence). */
  attendanceEvidence(): Promise<AttendanceEvidence>;
}

/** How a finding is proven. Every finding carries one; no evidence, no finding. */
export type Evidence =
  | { kind: "platform-timestamp"; recordedAt: string }
  | { kind: "observed-late"; lastAbsentAt: string; firstSeenAt: string }
  /** The platform gives the entry's day only (NetSchool «Дата выставления»), and that day is past the deadline's. */
  | { kind: "platform-date"; recordedOn: string; firstSeenAt: string }
  | { kind: "missing"; observedAt: string }
  | { kind: "count"; counted: number; required: number; observedAt: string }
  | { kind: "value"; expected: string; actual: string; basis: string }
  /** The entry itself is the breach (a mark in grade 1, a topic seen before the lesson day). */
  | { kind: "observed"; firstSeenAt: string; lastAbsentAt?: string };

export interface FindingEntity {
  kind:
    | "lesson"
    | "work"
    | "mark"
    | "student-subject-period"
    | "class-subject-period"
    | "school-year"
    | "parent-week"
    | "period-mark";
  /** Stable within the school: with the rule id it makes the violation's fingerprint. */
  key: string;
  lessonId?: string;
  workId?: string;
  markId?: string;
  studentId?: string;
  subjectId?: string;
  classId?: string;
  periodId?: string;
  personId?: string;
}

export interface Finding {
  ruleId: string;
  clause: string;
  entity: FindingEntity;
  /**
   * Who must act: the staff member whose duty the entry is, the same meaning for every rule, the demo
   * ground truth and the escalation (the ladder's first rung). A lesson's entries and marks: whoever
   * holds the lesson (the substitute, 001 §3.5); a work, period or class-level entry without a lesson:
   * the class's teacher of the subject; a parent's diary views: the class teacher of the child, who
   * reminds the parent (001 §3.4); the year's setup: the deputy; creating and closing the year: the
   * administrator. null: no one known (the escalation hands it to the deputies).
   */
  responsibleId: string | null;
  /** The deadline, after any outage shift (ISO instant). */
  deadline: string;
  evidence: Evidence;
  /** Russian, for a teacher: what is missing or late, where, and by when it was due. No marks' values. */
  message: string;
  /**
   * When the breach stopped needing action (a late entry is now there): the violation is recorded
   * resolved at once, never escalated. Absent: inferred from the evidence (a platform timestamp or an
   * observed-late entry settles it at the entry's time); null: it stands until the data changes.
   */
  settledAt?: string | null;
}

export interface RuleContext<P> {
  school: School;
  calendar: SchoolCalendar;
  /** The moment the check is made as of; nothing after it is known. */
  asOf: Date;
  params: P;
  data: RuleData;
  /** A deadline that falls in an outage moves to the end of the working day access resumed (001 §3.5). */
  shiftForOutages(deadline: Date): Promise<Date>;
  report(finding: Omit<Finding, "ruleId" | "clause">): void;
}

export interface Rule<S extends z.ZodType = z.ZodType> {
  id: string;
  /** Russian title, as the deputy reads it. */
  title: string;
  /** The clause it enforces, e.g. "001 §3.5". */
  clause: string;
  params: S;
  evaluate(ctx: RuleContext<z.infer<S>>): Promise<void>;
  /**
   * How an incremental check may narrow this rule's data. "lesson-days": the rule judges lessons (and
   * marks/attendance of them) one class-day at a time, so only class-days that changed since the last
   * check, or whose deadlines may have passed since, need evaluating. Absent: always evaluated in full.
   */
  incremental?: "lesson-days";
  /**
   * The streams whose full reads prove an entry missing (evidence "missing", observedAt = the earliest
   * of their last full reads): an incremental check re-dates the proof of a violation it did not re-evaluate.
   */
  proofStreams?: StreamName[];
}
