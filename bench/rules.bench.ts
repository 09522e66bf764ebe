// npm run bench:rules — the rules engine on the large demo school in PostgreSQL (a fresh schema): a full
// check (time, peak RSS) next to its floor, one plain scan of exactly the columns the rules read (one
// SELECT per stream, rows into the driver, nothing decoded: plainReadQueries), and the ratio with the
// goal of issue 12 (≤2× the floor and ≤3 s); then one school day of changes (the next day's lessons,
// fixes of the day before) imported as a later observation, and an incremental check against a full
// one on the same store (goal ≤1% of it), beside its floor (the same columns of only the rows changed
// since the last check); a third day checks only the lesson-day rules, incremental against full.
// Wall and node CPU time: figures of one run only are comparable, the machine is shared.
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

/** The incremental floor: the same columns of only the rows changed since `since` (the change-tracking indexes). */
async function changedScan(db: Db, schoolId: string, since: Date): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  let rows = 0;
  for (const sql of plainReadQueries())
    rows += (await db.query(`${sql} AND changed_at > $2`, [schoolId, since])).length;
  return { ms: performance.now() - t, rows };
}

const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

/** Wall time, this process's CPU time (the machine is shared: CPU is the steadier figure) and peak RSS. */
async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number; peak: number }> {
  global.gc?.();
  const mem = trackPeakRss();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, peak: mem.stop() };
}

const cpuOf = (r: { cpuMs: number }) => `node CPU ${(r.cpuMs / 1000).toFixed(1)} s`;

const dir = await largeDemoDir();
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `bench_rules_${Date.now()}`;
const db = await openStore({ databaseUrl: url, schema });
try {
  const t = performance.now();
  const s = await importDataset(db, dir);
  console.log(`imported the large demo school in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const asOf = new Date(manifest.observedAt);

  await plainScan(db, s.schoolId); // warm
  const star = await timed(() => selectStar(db, s.schoolId));
  console.log(
    `SELECT * of the tables the rules read: ${star.value.rows.toLocaleString("en")} rows in ${star.ms.toFixed(0)} ms (${cpuOf(star)})`,
  );
  const scan = await timed(() => plainScan(db, s.schoolId));
  console.log(
    `floor — plain scan of the columns the rules read: ${scan.value.rows.toLocaleString("en")} rows in ${scan.ms.toFixed(0)} ms (${cpuOf(scan)}), peak RSS ${mib(scan.peak)}`,
  );
  const full = await timed(() => runCheck(db, s.schoolId, { asOf, preset: "001" }));
  const ratio = full.ms / scan.ms;
  console.log(
    `full check (18 rules, persisting): ${full.value.findings.length.toLocaleString("en")} findings in ${(full.ms / 1000).toFixed(1)} s (${cpuOf(full)}), peak RSS ${mib(full.peak)} — ${ratio.toFixed(1)}× the floor (goal ≤2×: ${verdict(ratio <= 2)}; goal ≤3 s: ${verdict(full.ms <= 3000)})`,
  );

  /** The next school day imported as a later observation; returns its moment and the last check's watermark. */
  const nextDay = async (from: string, label: string) => {
    const day = nextSchoolDay(from);
    const t0 = performance.now();
    await importDataset(db, day.dir);
    console.log(
      `${label}: ${day.added} new lessons, imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const since = (
      await db.query<{ observed_through: Date }>(
        "SELECT observed_through FROM rule_checks WHERE school_id = $1 AND class_id IS NULL ORDER BY id DESC LIMIT 1",
        [s.schoolId],
      )
    )[0].observed_through;
    const at = new Date(JSON.parse(readFileSync(join(day.dir, "manifest.json"), "utf8")).observedAt);
    return { dir: day.dir, asOf: at, since };
  };

  // Day 2, every rule: the incremental check against a full one on the same store (the goal of issue 12).
  const day2 = await nextDay(dir, "day 2");
  const changed = await timed(() => changedScan(db, s.schoolId, day2.since));
  console.log(
    `incremental floor — the rows changed since the last check, same columns: ${changed.value.rows.toLocaleString("en")} rows in ${changed.ms.toFixed(0)} ms`,
  );
  const inc = await timed(() =>
    runCheck(db, s.schoolId, { asOf: day2.asOf, preset: "001", incremental: true }),
  );
  console.log(
    `incremental check after one school day: new ${inc.value.new}, resolved ${inc.value.resolved} in ${(inc.ms / 1000).toFixed(2)} s (${cpuOf(inc)}), peak RSS ${mib(inc.peak)}`,
  );
  const again = await timed(() => runCheck(db, s.schoolId, { asOf: day2.asOf, preset: "001" }));
  const share = (100 * inc.ms) / again.ms;
  console.log(
    `full check on the same store: new ${again.value.new}, resolved ${again.value.resolved} in ${(again.ms / 1000).toFixed(1)} s (${cpuOf(again)}) — incremental is ${share.toFixed(1)}% of it (goal ≤1%: ${verdict(share <= 1)}; node CPU ${((100 * inc.cpuMs) / again.cpuMs).toFixed(1)}%; ${(inc.ms / changed.ms).toFixed(0)}× its floor)`,
  );

  // Day 3, only the rules that declare a lesson-day scope: what the incremental window saves them.
  const day3 = await nextDay(day2.dir, "day 3");
  const lessonDay = RULES.filter((r) => r.incremental === "lesson-days").map((r) => r.id);
  const incL = await timed(() =>
    runCheck(db, s.schoolId, { asOf: day3.asOf, preset: "001", rules: lessonDay, incremental: true }),
  );
  const fullL = await timed(() =>
    runCheck(db, s.schoolId, { asOf: day3.asOf, preset: "001", rules: lessonDay }),
  );
  console.log(
    `lesson-day rules (${lessonDay.length}), day 3: incremental ${(incL.ms / 1000).toFixed(1)} s (${cpuOf(incL)}, new ${incL.value.new}) vs full ${(fullL.ms / 1000).toFixed(1)} s (${cpuOf(fullL)}, new ${fullL.value.new}) — ${((100 * incL.ms) / fullL.ms).toFixed(1)}% of it`,
  );
} finally {
  await db.close();
  await dropSchema(schema, url);
}
