// Which violations the demo school carries, how often, and how each is written down in
// ground-truth.jsonl. Decisions come from the generator's seeded streams; a rule not yet seen
// after half its expected spacing is forced, so that each rule id appears in every dataset.
import type { Rng } from "./random.ts";

export const RULE_IDS = [
  "lesson.topic.late",
  "lesson.topic.in-advance",
  "homework.late",
  "attendance.not-taken",
  "mark.oral.late",
  "mark.written.late",
  "mark.external.late",
  "attestation.intermediate.late",
  "attestation.final.late",
  "period-mark.late",
  "period-mark.unjustified",
  "marks.accumulation",
  "control-work.missing",
  "grade1.marks",
  "substitution.wrong-author",
  "year.setup.late",
  "year.close.late",
  "parents.monitoring",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Probability per eligible entity (see README for what each entity is). */
export const INJECTION_RATES: Record<RuleId, number> = {
  "lesson.topic.late": 0.012,
  "lesson.topic.in-advance": 0.003,
  "homework.late": 0.008,
  "attendance.not-taken": 0.006,
  "mark.oral.late": 0.004,
  "mark.written.late": 0.04,
  "mark.external.late": 0.2,
  "attestation.intermediate.late": 0.15,
  "attestation.final.late": 0.25,
  "period-mark.late": 0.03,
  "period-mark.unjustified": 0.006,
  "marks.accumulation": 0.004,
  "control-work.missing": 0.02,
  "grade1.marks": 0.004,
  "substitution.wrong-author": 0.1,
  "year.setup.late": 1,
  "year.close.late": 1,
  "parents.monitoring": 0.02,
};

/** `marks.accumulation` minimum: 3 marks for ≤ 2 lessons a week, 5 for more. */
export const ACCUMULATION_MIN = { light: 3, heavy: 5, lightMaxHoursPerWeek: 2 } as const;

export type GroundTruthEntity =
  | { kind: "lesson"; id: string }
  | { kind: "mark"; id: string }
  | { kind: "work"; id: string }
  | { kind: "class"; id: string }
  | { kind: "period"; id: string }
  | { kind: "student-subject-period"; studentId: string; subjectId: string; periodId: string }
  | { kind: "class-subject-period"; classId: string; subjectId: string; periodId: string }
  | { kind: "parent-week"; personId: string; weekStart: string };

export interface GroundTruthRecord {
  ruleId: RuleId;
  entity: GroundTruthEntity;
  responsibleId: string;
  deadline: string;
  why: string;
}

export class Injector {
  readonly injected: Record<RuleId, number>;
  readonly eligible: Record<RuleId, number>;

  constructor() {
    this.injected = Object.fromEntries(RULE_IDS.map((r) => [r, 0])) as Record<RuleId, number>;
    this.eligible = Object.fromEntries(RULE_IDS.map((r) => [r, 0])) as Record<RuleId, number>;
  }

  /**
   * Whether to inject `rule` into one eligible entity; draws from `rng` exactly once. A rule
   * still absent after about half its expected spacing (1 / rate) is forced, so that even the
   * small school shows every rule; rare entities (rate ≥ 10%) force the first one.
   */
  decide(rule: RuleId, rng: Rng): boolean {
    const rate = INJECTION_RATES[rule];
    const seen = ++this.eligible[rule];
    const draw = rng.next();
    const forceAfter = rate >= 0.1 ? 1 : Math.ceil(0.5 / rate);
    return draw < rate || (this.injected[rule] === 0 && seen >= forceAfter);
  }

  /** Count one ground-truth record (decisions may yield several, e.g. per student). */
  count(rule: RuleId): void {
    this.injected[rule]++;
  }
}
