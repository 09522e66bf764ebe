// ESLint-style rule tests: `valid` cases must stay silent, `invalid` ones report exactly the
// findings listed (entity key, responsible, deadline, evidence kind; more fields when given).
import { expect } from "chai";
import type { Finding, Rule } from "../../../src/rules/types.ts";
import { type RuleRun, runRule } from "./run-rule.ts";

export interface ValidCase extends RuleRun {
  name: string;
}

export interface ExpectedFinding {
  key: string;
  responsibleId: string | null;
  deadline: string;
  evidence: Finding["evidence"]["kind"] | Finding["evidence"];
}

export interface InvalidCase extends RuleRun {
  name: string;
  findings: ExpectedFinding[];
}

/** A finding as the case lists it: the evidence's kind, or the whole evidence when the case gives it. */
function project(f: Finding, like: ExpectedFinding | undefined): ExpectedFinding {
  return {
    key: f.entity.key,
    responsibleId: f.responsibleId,
    deadline: f.deadline,
    evidence: like && typeof like.evidence !== "string" ? f.evidence : f.evidence.kind,
  };
}

export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    describe("valid", () => {
      for (const c of cases.valid) {
        it(c.name, async () => {
          const findings = await runRule(rule, c);
          expect(findings.map((f) => project(f, undefined))).to.deep.equal([]);
        });
      }
    });
    describe("invalid", () => {
      for (const c of cases.invalid) {
        it(c.name, async () => {
          const findings = await runRule(rule, c);
          const want = [...c.findings].sort((a, b) => a.key.localeCompare(b.key));
          const sorted = [...findings].sort((a, b) => a.entity.key.localeCompare(b.entity.key));
          expect(sorted.map((f, i) => project(f, want[i]))).to.deep.equal(want);
          for (const f of findings) {
            expect(f.ruleId).to.equal(rule.id);
            expect(f.clause).to.equal(rule.clause);
            expect(f.message).to.match(/[А-Яа-яЁё]/);
          }
        });
      }
    });
  });
}
