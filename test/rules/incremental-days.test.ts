// An incremental check must leave the violations exactly as a full check would: two stores get the
// same small demo school and then the same three later school days (test/support/next-school-day.ts);
// after each day one store is checked incrementally, the other in full, and their violations — status,
// level, deadline, evidence, message, resolution, responsible — must be identical. Runs on PGlite and PostgreSQL.
// An open violation whose class-day lies outside the incremental window must still climb the ladder
// as working days pass and name the latest full read as the proof of a missing entry (issue 12).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import { generateDemoSchool } from "../../src/demo/generate.ts";
import { runCheck } from "../../src/rules/engine.ts";
import type { Db } from "../../src/store/db.ts";
import { forEachEngine } from "../support/engines.ts";
import { nextSchoolDay } from "../support/next-school-day.ts";

async function violations(db: Db, schoolId: string): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT fingerprint, rule_id, status, level, deadline, evidence, message, resolved_at, resolution, entity,
            responsible_id
       FROM violations WHERE school_id = $1 ORDER BY fingerprint`,
    [schoolId],
  );
  return rows.map((r) => JSON.stringify(r));
}

forEachEngine("incremental check over several school days", ({ open }) => {
  it("after each of three days, the incremental check's violations equal a full check's", async function () {
    this.timeout(1_800_000);
    const dirs = [mkdtempSync(join(tmpdir(), "incr-days-"))];
    try {
      await generateDemoSchool({ size: "small", seed: 1, out: dirs[0] });
      const schoolId = JSON.parse(readFileSync(join(dirs[0], "manifest.json"), "utf8")).school.id;
      const incremental = await open();
      const full = await open();
      for (let day = 0; day <= 3; day++) {
        if (day > 0) dirs.push(nextSchoolDay(dirs[day - 1]).dir);
        const dir = dirs[day];
        const asOf = new Date(JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).observedAt);
        await importDataset(incremental, dir);
        await importDataset(full, dir);
        const inc = await runCheck(incremental, schoolId, { asOf, preset: "001", incremental: true });
        await runCheck(full, schoolId, { asOf, preset: "001" });
        expect(inc.incremental, `day ${day}: incremental`).to.equal(day > 0);
        const a = await violations(incremental, schoolId);
        const b = await violations(full, schoolId);
        expect(a.length, `day ${day}: some violations`).to.be.greaterThan(0);
        const onlyInc = a.filter((x) => !b.includes(x));
        const onlyFull = b.filter((x) => !a.includes(x));
        expect({ onlyInc: onlyInc.slice(0, 3), onlyFull: onlyFull.slice(0, 3) }, `day ${day}`).to.deep.equal({
          onlyInc: [],
          onlyFull: [],
        });
      }
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
