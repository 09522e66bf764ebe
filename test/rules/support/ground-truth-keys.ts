// How the ground-truth tests compare: a finding's entity in ground-truth.jsonl's shape, as one key.
import type { FindingEntity } from "../../../src/rules/types.ts";

/** One line of ground-truth.jsonl. */
export interface Truth {
  ruleId: string;
  entity: Record<string, string>;
  responsibleId: string;
  deadline: string;
}

/** A finding's rule and entity as the key ground-truth.jsonl's lines are compared by. */
export function findingKey(ruleId: string, e: FindingEntity): string {
  switch (e.kind) {
    case "lesson":
      return `${ruleId} lesson:${e.lessonId ?? e.key}`;
    case "mark":
      return `${ruleId} mark:${e.markId ?? e.key}`;
    case "work":
      return `${ruleId} work:${e.workId ?? e.key}`;
    case "student-subject-period":
    case "period-mark":
      return `${ruleId} ssp:${e.studentId}|${e.subjectId}|${e.periodId}`;
    case "class-subject-period":
      return `${ruleId} csp:${e.classId}|${e.subjectId}|${e.periodId}`;
    case "parent-week":
      return `${ruleId} parent-week:${e.key}`;
    case "school-year":
      return e.classId ? `${ruleId} class:${e.classId}` : `${ruleId} period:${e.periodId}`;
    default:
      return `${ruleId} ${e.kind}:${e.key}`;
  }
}
