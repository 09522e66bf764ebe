// How a stored violation reads in the console: names instead of ids, the evidence in Russian words in
// the school's time zone («тема появилась 17.09 в 09:00, срок — 16.09 15:00»), and a severity.
//
// Severity (0–11, higher = more serious) = 3 × escalation level (0 teacher … 3 director: how long it
// has stood unresolved) + the rule's weight: 2 for attestation, period marks and the school year
// (a wrong or missing result stands in a pupil's record), 1 for entries missing or wrong in the journal
// (marks, control works, substitutions, grade 1), 0 for routine late entries (topics, homework,
// attendance, parents' monitoring). The inbox sorts by it: migration 015 stores the same numbers as the
// generated column violations.severity (test/api/finding-view.test.ts keeps the two equal).
import { DateTime } from "luxon";
import { z } from "zod";
import { findRule } from "../rules/registry.ts";
import type { Evidence } from "../rules/types.ts";

export const RULE_WEIGHT: Record<string, number> = {
  "attestation.final.late": 2,
  "attestation.intermediate.late": 2,
  "period-mark.late": 2,
  "period-mark.unjustified": 2,
  "year.close.late": 2,
  "year.setup.late": 2,
  "control-work.missing": 1,
  "mark.written.late": 1,
  "mark.oral.late": 1,
  "mark.external.late": 1,
  "marks.accumulation": 1,
  "substitution.wrong-author": 1,
  "grade1.marks": 1,
  "lesson.topic.in-advance": 1,
};

export const severityOf = (ruleId: string, level: number): number => level * 3 + (RULE_WEIGHT[ruleId] ?? 0);

/** What the entry is called in the evidence sentence, by rule. */
function entryNoun(ruleId: string): string {
  if (ruleId.startsWith("lesson.topic")) return "тема";
  if (ruleId.startsWith("homework")) return "домашнее задание";
  if (ruleId.startsWith("attendance")) return "посещаемость";
  if (ruleId.startsWith("period-mark") || ruleId.startsWith("attestation")) return "отметка за период";
  if (ruleId.startsWith("mark") || ruleId === "grade1.marks") return "отметка";
  return "запись";
}

const PAST_FEM = new Set(["тема", "посещаемость", "отметка", "отметка за период", "запись"]);
const appeared = (noun: string) => (PAST_FEM.has(noun) ? "появилась" : "появилось");
const notRecorded = (noun: string) => (PAST_FEM.has(noun) ? "не записана" : "не записано");

/** «17.09 в 09:00» in the school's zone. */
export function atText(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat("dd.LL 'в' HH:mm");
}
/** «16.09 15:00» in the school's zone. */
export function deadlineText(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat("dd.LL HH:mm");
}

/** The evidence of a finding in one Russian sentence. */
export function evidenceText(ruleId: string, evidence: Evidence, deadline: string, zone: string): string {
  const noun = entryNoun(ruleId);
  const due = `срок — ${deadlineText(deadline, zone)}`;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  switch (evidence.kind) {
    case "platform-timestamp":
      return cap(`${noun} ${appeared(noun)} ${atText(evidence.recordedAt, zone)} (время платформы), ${due}`);
    case "observed-late":
      return cap(
        `${noun} ${appeared(noun)} ${atText(evidence.firstSeenAt, zone)} (при синхронизации; ${atText(evidence.lastAbsentAt, zone)} её ещё не было), ${due}`,
      );
    case "platform-date":
      return cap(
        `${noun} выставлена ${DateTime.fromISO(evidence.recordedOn).toFormat("dd.LL")} (дата выставления в платформе, без времени), ${due}`,
      );
    case "missing":
      return cap(`${noun} ${notRecorded(noun)}: проверено ${atText(evidence.observedAt, zone)}, ${due}`);
    case "count":
      return `Записано ${evidence.counted} из ${evidence.required} (проверено ${atText(evidence.observedAt, zone)}), ${due}`;
    case "value":
      return `Ожидалось: ${evidence.expected}; в журнале: ${evidence.actual} (${evidence.basis})`;
    case "observed":
      return cap(`${noun} ${appeared(noun)} ${atText(evidence.firstSeenAt, zone)}, ${due}`);
    default:
      return due;
  }
}

export const findingStatusSchema = z.enum(["open", "resolved", "waived"]);

export const findingViewSchema = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  ruleTitle: z.string(),
  clause: z.string(),
  status: findingStatusSchema,
  level: z.number().int(),
  severity: z.number().int(),
  teacherId: z.string().nullable(),
  teacherName: z.string().nullable(),
  classId: z.string().nullable(),
  className: z.string().nullable(),
  subjectId: z.string().nullable(),
  subjectName: z.string().nullable(),
  /** The lesson's or work's day (YYYY-MM-DD), when the finding is about one. */
  date: z.string().nullable(),
  deadline: z.string(),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
  message: z.string(),
  evidenceText: z.string(),
});
export type FindingView = z.infer<typeof findingViewSchema>;

/** A violations row joined with the names (see findings-query.ts). */
export interface FindingRow {
  id: string;
  rule_id: string;
  clause: string;
  status: "open" | "resolved" | "waived";
  level: number;
  responsible_id: string | null;
  teacher_name: string | null;
  class_id: string | null;
  class_grade: number | null;
  class_letter: string | null;
  subject_id: string | null;
  subject_name: string | null;
  day: string | null;
  deadline: Date | string;
  detected_at: Date | string;
  resolved_at: Date | string | null;
  message: string;
  evidence: Evidence;
  timezone: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function className(grade: number | null, letter: string | null, id: string | null): string | null {
  if (grade === null || grade === undefined) return id;
  return `${grade}${letter ?? ""}`;
}

export function toFindingView(r: FindingRow): FindingView {
  const deadline = iso(r.deadline);
  return {
    id: Number(r.id),
    ruleId: r.rule_id,
    ruleTitle: findRule(r.rule_id)?.title ?? r.rule_id,
    clause: r.clause,
    status: r.status,
    level: r.level,
    severity: severityOf(r.rule_id, r.level),
    teacherId: r.responsible_id,
    teacherName: r.teacher_name,
    classId: r.class_id,
    className: r.class_id ? className(r.class_grade, r.class_letter, r.class_id) : null,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    date: r.day,
    deadline,
    detectedAt: iso(r.detected_at),
    resolvedAt: r.resolved_at === null ? null : iso(r.resolved_at),
    message: r.message,
    evidenceText: evidenceText(r.rule_id, r.evidence, deadline, r.timezone),
  };
}
