// The fast engine against the frozen one (test/rules/support/legacy-engine, the engine before the
// speed work of issue 12): on the medium demo school and a small one, as of their observation, both
// must give the same finding set — rule, clause, entity, responsible, deadline, evidence, message and
// status (settledAt) of every finding. Runs on PostgreSQL when DATABASE_URL is set, else on PGlite.

import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import { generateDemoSchool } from "../../src/demo/generate.ts";
import { checkSchool, settledAt } from "../../src/rules/engine.ts";
import type { Finding } from "../../src/rules/types.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { dropSchema } from "../support/engines.ts";
import { legacyCheckSchool } from "./support/legacy-engine/check.ts";

/** JSON with object keys sorted: two equal findings give the same text whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

function findingSet(findings: Finding[]): Map<string, string> {
  return new Map(
    findings.map((f) => [
      `${f.ruleId} ${f.entity.key}`,
      canonical({ ...f, status: settledAt(f) ? "resolved" : "open", settledAt: settledAt(f) }),
    ]),
  );
}

const DATABASE_URL = process.env.DATABASE_URL;
const cases: { size: "small" | "medium"; seed: number }[] = [
  { size: "small", seed: 2 },
  { size: "medium", seed: 1 },
];

describe("fast engine = the engine before issue 12 (full finding sets)", function () {
  this.timeout(900_000);
  for (const c of cases) {
    it(`${c.size} demo school seed ${c.seed}: identical findings`, async () => {
      const out = mkdtempSync(join(tmpdir(), `equiv-${c.size}-${c.seed}-`));
      const schema = `eq_${randomBytes(5).toString("hex")}`;
      let db: Db | undefined;
      try {
        await generateDemoSchool({ size: c.size, seed: c.seed, out });
        db = DATABASE_URL ? await openStore({ databaseUrl: DATABASE_URL, schema }) : await openStore({});
        await importDataset(db, out);
        const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
        const opts = { asOf: new Date(manifest.observedAt), preset: "001" };
        const before = findingSet(await legacyCheckSchool(db, manifest.school.id, opts));
        const after = findingSet(await checkSchool(db, manifest.school.id, opts));
        expect(before.size).to.be.greaterThan(100);
        const missing = [...before.keys()].filter((k) => !after.has(k));
        const extra = [...after.keys()].filter((k) => !before.has(k));
        const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
        const show = changed.slice(0, 3).map((k) => `\n  ${before.get(k)}\n≠ ${after.get(k)}`);
        expect(
          { missing: missing.slice(0, 5), extra: extra.slice(0, 5), changed: changed.length },
          `finding sets differ${show.join("")}`,
        ).to.deep.equal({ missing: [], extra: [], changed: 0 });
      } finally {
        await db?.close();
        if (DATABASE_URL) await dropSchema(schema);
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
