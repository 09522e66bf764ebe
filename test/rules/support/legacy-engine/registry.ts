// Every rule by its stable id (DESIGN.md "Rules"); one file per rule, `src/rules/<rule-id>.ts`.

import type { Rule } from "../../../../src/rules/types.ts";
import { rule as attendanceNotTaken } from "./attendance.not-taken.ts";
import { rule as attestationFinalLate } from "./attestation.final.late.ts";
import { rule as attestationIntermediateLate } from "./attestation.intermediate.late.ts";
import { rule as controlWorkMissing } from "./control-work.missing.ts";
import { rule as grade1Marks } from "./grade1.marks.ts";
import { rule as homeworkLate } from "./homework.late.ts";
import { rule as lessonTopicInAdvance } from "./lesson.topic.in-advance.ts";
import { rule as lessonTopicLate } from "./lesson.topic.late.ts";
import { rule as markExternalLate } from "./mark.external.late.ts";
import { rule as markOralLate } from "./mark.oral.late.ts";
import { rule as markWrittenLate } from "./mark.written.late.ts";
import { rule as marksAccumulation } from "./marks.accumulation.ts";
import { rule as parentsMonitoring } from "./parents.monitoring.ts";
import { rule as periodMarkLate } from "./period-mark.late.ts";
import { rule as periodMarkUnjustified } from "./period-mark.unjustified.ts";
import { rule as substitutionWrongAuthor } from "./substitution.wrong-author.ts";
import { rule as yearCloseLate } from "./year.close.late.ts";
import { rule as yearSetupLate } from "./year.setup.late.ts";

/** In DESIGN.md's order. */
export const RULES: readonly Rule[] = [
  lessonTopicLate,
  lessonTopicInAdvance,
  homeworkLate,
  attendanceNotTaken,
  markOralLate,
  markWrittenLate,
  markExternalLate,
  attestationIntermediateLate,
  attestationFinalLate,
  periodMarkLate,
  periodMarkUnjustified,
  marksAccumulation,
  controlWorkMissing,
  grade1Marks,
  substitutionWrongAuthor,
  yearSetupLate,
  yearCloseLate,
  parentsMonitoring,
] as readonly Rule[];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

const byId = new Map(RULES.map((r) => [r.id, r]));

export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}

export class UnknownRuleError extends Error {
  constructor(readonly ruleId: string) {
    super(`unknown rule "${ruleId}" (known: ${RULE_IDS.join(", ")})`);
  }
}

export function getRule(id: string): Rule {
  const r = byId.get(id);
  if (!r) throw new UnknownRuleError(id);
  return r;
}
