// The scoring test: the demo school carries known violations of every rule (ground-truth.jsonl); the
// full check under the 001 preset, as of the manifest's observedAt, must find exactly them — the same
// rule ids on the same entities, with the same deadlines and the same responsible person (who must act). Runs on PostgreSQL when DATABASE_URL is set
// (the import is much faster there), else on PGlite. Small seeds 1–3 and medium seed 1.

import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import { generateDemoSchool } from "../../src/demo/generate.ts";
import { checkSchool } from "../../src/rules/engine.ts";
import type { Finding } from "../../src/rules/types.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { dropSchema } from "../support/engines.ts";
import { findingKey, type Truth } from "./support/ground-truth-keys.ts";

function expectedKey(t: Truth): string {
  const e = t.entity;
  switch (e.kind) {
    case "student-subject-period":
      return `${t.ruleId} ssp:${e.studentId}|${e.subjectId}|${e.periodId}`;
    case "class-subject-period":
      return `${t.ruleId} csp:${e.classId}|${e.subjectId}|${e.periodId}`;
    case "parent-week":
      return `${t.ruleId} parent-week:${e.personId}|${e.weekStart}`;
    default:
      return `${t.ruleId} ${e.kind}:${e.id}`;
  }
}

function diff(expected: Map<string, Truth>, found: Map<string, Finding>): string {
  const lines: string[] = [];
  const rules = new Set(
    [...expected.values()].map((t) => t.ruleId).concat([...found.values()].map((f) => f.ruleId)),
  );
  for (const r of [...rules].sort()) {
    const missing = [...expected.keys()].filter((k) => k.startsWith(`${r} `) && !found.has(k));
    const extra = [...found.keys()].filter((k) => k.startsWith(`${r} `) && !expected.has(k));
    const wrongDeadline = [...expected.keys()].filter(
      (k) =>
        k.startsWith(`${r} `) &&
        found.has(k) &&
        Date.parse(found.get(k)!.deadline) !== Date.parse(expected.get(k)!.deadline),
    );
    const wrongResponsible = [...expected.keys()].filter(
      (k) =>
        k.startsWith(`${r} `) &&
        found.has(k) &&
        found.get(k)!.responsibleId !== expected.get(k)!.responsibleId,
    );
    if (missing.length + extra.length + wrongDeadline.length + wrongResponsible.length === 0) continue;
    lines.push(
      `${r}: ${missing.length} missing, ${extra.length} extra, ${wrongDeadline.length} with another deadline, ${wrongResponsible.length} with another responsible`,
    );
    for (const k of missing.slice(0, 5)) lines.push(`  - missing ${k}`);
    for (const k of extra.slice(0, 5)) lines.push(`  + extra   ${k} (${found.get(k)!.message})`);
    for (const k of wrongDeadline.slice(0, 5))
      lines.push(`  ~ ${k}: expected ${expected.get(k)!.deadline}, found ${found.get(k)!.deadline}`);
    for (const k of wrongResponsible.slice(0, 5))
      lines.push(
        `  ~ ${k}: expected responsible ${expected.get(k)!.responsibleId}, found ${found.get(k)!.responsibleId}`,
      );
  }
  return lines.join("\n");
}

const DATABASE_URL = process.env.DATABASE_URL;
const cases: { size: "small" | "medium"; seed: number }[] = [
  { size: "small", seed: 1 },
  { size: "small", seed: 2 },
  { size: "small", seed: 3 },
  { size: "medium", seed: 1 },
];

describe("ground truth of the demo school (001 preset)", function () {
  this.timeout(900_000);
  for (const c of cases) {
    it(`${c.size} seed ${c.seed}: findings = ground truth`, async () => {
      const out = mkdtempSync(join(tmpdir(), `gt-${c.size}-${c.seed}-`));
      const schema = `gt_${randomBytes(5).toString("hex")}`;
      let db: Db | undefined;
      try {
        await generateDemoSchool({ size: c.size, seed: c.seed, out });
        db = DATABASE_URL ? await openStore({ databaseUrl: DATABASE_URL, schema }) : await openStore({});
        await importDataset(db, out);
        const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
        const findings = await checkSchool(db, manifest.school.id, {
          asOf: new Date(manifest.observedAt),
          preset: "001",
        });
        const truth: Truth[] = readFileSync(join(out, "ground-truth.jsonl"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l));
        const expected = new Map(truth.map((t) => [expectedKey(t), t]));
        const found = new Map(findings.map((f) => [findingKey(f.ruleId, f.entity), f]));
        expect(expected.size, "ground truth has duplicates").to.equal(truth.length);
        expect(found.size, "two findings map to one entity").to.equal(findings.length);
        const text = diff(expected, found);
        expect(text, `findings differ from the ground truth:\n${text}`).to.equal("");
        // Every rule id is exercised.
        expect(new Set(truth.map((t) => t.ruleId)).size).to.equal(18);
      } finally {
        await db?.close();
        if (DATABASE_URL) await dropSchema(schema);
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
