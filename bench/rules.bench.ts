// npm run bench:rules — the rules engine on the large demo school in PostgreSQL (a fresh schema): a full
// check (time, peak RSS) next to its floor, one plain scan of exactly the columns the rules read (one
// SELECT per stream, rows into the driver, nothing decoded: plainReadQueries), and the ratio with the
// goal of issue 12 (≤2× the floor and ≤3 s); then one school day of changes (the next day's lessons,
// fixes of the day before) imported as a later observation, and an incremental check against a full
// one on the same store (goal ≤1% of it). Figures of one run only are comparable: the machine is shared.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importDataset } from "../src/dataset/import.ts";
import { runCheck } from "../src/rules/engine.ts";
import { RULES } from "../src/rules/registry.ts";
import { plainReadQueries } from "../src/rules/rule-data.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { dropSchema } from "../test/support/engines.ts";
import { nextSchoolDay } from "../test/support/next-school-day.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";

const TABLES = [
  "lessons",
  "works",
  "marks",
  "attendance",
  "period_marks",
  "activity",
  "persons",
  "classes",
  "periods",
];

/** Every column of every table the rules read (the floor issue 12 was first measured against). */
async function selectStar(db: Db, schoolId: string): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  let rows = 0;
  for (const table of TABLES) {
    rows += (await db.query(`SELECT * FROM ${table} WHERE school_id = $1 AND deleted_at IS NULL`, [schoolId]))
      .length;
  }
  return { ms: performance.now() - t, rows };
}

/** The floor: exactly the columns a full check reads, one plain SELECT per stream. */
async function plainScan(db: Db, schoolId: string): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  let rows = 0;
  for (const sql of plainReadQueries()) rows += (await db.query(sql, [schoolId])).length;
  return { ms: performance.now() - t, rows };
}

const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peak: number }> {
  global.gc?.();
  const mem = trackPeakRss();
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t, peak: mem.stop() };
}

const dir = await largeDemoDir();
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `bench_rules_${Date.now()}`;
const db = await openStore({ databaseUrl: url, schema });
try {
  let t = performance.now();
  const s = await importDataset(db, dir);
  console.log(`imported the large demo school in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const asOf = new Date(manifest.observedAt);

  await plainScan(db, s.schoolId); // warm
  const star = await timed(() => selectStar(db, s.schoolId));
  console.log(
    `SELECT * of the tables the rules read: ${star.value.rows.toLocaleString("en")} rows in ${star.ms.toFixed(0)} ms`,
  );
  const scan = await timed(() => plainScan(db, s.schoolId));
  console.log(
    `floor — plain scan of the columns the rules read: ${scan.value.rows.toLocaleString("en")} rows in ${scan.ms.toFixed(0)} ms, peak RSS ${mib(scan.peak)}`,
  );
  const full = await timed(() => runCheck(db, s.schoolId, { asOf, preset: "001" }));
  const ratio = full.ms / scan.ms;
  console.log(
    `full check (18 rules, persisting): ${full.value.findings.length.toLocaleString("en")} findings in ${(full.ms / 1000).toFixed(1)} s, peak RSS ${mib(full.peak)} — ${ratio.toFixed(1)}× the floor (goal ≤2×: ${verdict(ratio <= 2)}; goal ≤3 s: ${verdict(full.ms <= 3000)})`,
  );

  const day2 = nextSchoolDay(dir);
  console.log(`day 2: ${day2.added} new lessons`);
  t = performance.now();
  await importDataset(db, day2.dir);
  console.log(`imported day 2 in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const asOf2 = new Date(JSON.parse(readFileSync(join(day2.dir, "manifest.json"), "utf8")).observedAt);
  // The rules that declare a lesson-day scope, alone: what the incremental window saves them.
  const lessonDay = RULES.filter((r) => r.incremental === "lesson-days").map((r) => r.id);
  const incL = await timed(() =>
    runCheck(db, s.schoolId, { asOf: asOf2, preset: "001", rules: lessonDay, incremental: true }),
  );
  const fullL = await timed(() => runCheck(db, s.schoolId, { asOf: asOf2, preset: "001", rules: lessonDay }));
  console.log(
    `lesson-day rules (${lessonDay.length}): incremental ${(incL.ms / 1000).toFixed(1)} s (new ${incL.value.new}) vs full ${(fullL.ms / 1000).toFixed(1)} s (new ${fullL.value.new}) — ${(fullL.ms / incL.ms).toFixed(1)}×`,
  );
  const inc = await timed(() => runCheck(db, s.schoolId, { asOf: asOf2, preset: "001", incremental: true }));
  console.log(
    `incremental check after one school day: new ${inc.value.new}, resolved ${inc.value.resolved} in ${(inc.ms / 1000).toFixed(1)} s, peak RSS ${mib(inc.peak)}`,
  );
  const again = await timed(() => runCheck(db, s.schoolId, { asOf: asOf2, preset: "001" }));
  const share = (100 * inc.ms) / again.ms;
  console.log(
    `full check on the same store: new ${again.value.new}, resolved ${again.value.resolved} in ${(again.ms / 1000).toFixed(1)} s — incremental is ${share.toFixed(1)}% of it (goal ≤1%: ${verdict(share <= 1)})`,
  );
} finally {
  await db.close();
  await dropSchema(schema, url);
}
