// The rules engine as it was before the speed work of issue 12 (commit 0549089), frozen: the same
// rules, context and store reads, evaluated one rule at a time over records loaded by the original
// StoreRuleData. Only the equivalence test calls it, to prove the fast engine finds exactly the same.

import { loadPreset, type Preset } from "../../../../src/rules/presets.ts";
import type { Finding } from "../../../../src/rules/types.ts";
import type { Db } from "../../../../src/store/db.ts";
import { buildRuleContext, loadSchool } from "./context.ts";
import { RULES } from "./registry.ts";
import { StoreRuleData } from "./rule-data.ts";

export async function legacyCheckSchool(
  db: Db,
  schoolId: string,
  opts: { asOf: Date; preset: Preset | string },
): Promise<Finding[]> {
  const preset = typeof opts.preset === "object" ? opts.preset : loadPreset(opts.preset);
  const { school, calendar } = await loadSchool(db, schoolId, preset.calendar);
  const data = new StoreRuleData(db, schoolId);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES.filter((r) => preset.rules[r.id]?.enabled)) {
    const params = preset.rules[rule.id]?.params ?? rule.params.parse({});
    const sink = (f: Finding) => {
      const k = `${f.ruleId}\u0000${f.entity.key}`;
      if (seen.has(k)) return;
      seen.add(k);
      findings.push(f);
    };
    await rule.evaluate(buildRuleContext({ school, calendar, asOf: opts.asOf, params, data, rule, sink }));
  }
  return findings;
}
