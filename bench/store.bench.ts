// npm run bench:store — the large demo school into PostgreSQL and into PGlite: rows/s and peak memory,
// a no-change re-import, and one plain full scan of marks + attendance (the baseline of later benchmarks).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importDataset } from "../src/dataset/import.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { dropSchema } from "../test/support/engines.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";

async function plainScan(db: Db, schoolId: string): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  const marks = await db.query(
    "SELECT student_id, subject_id, lesson_id, work_id, value, weight, recorded_at FROM marks WHERE school_id = $1",
    [schoolId],
  );
  const att = await db.query(
    "SELECT student_id, lesson_id, status, recorded_at FROM attendance WHERE school_id = $1",
    [schoolId],
  );
  return { ms: performance.now() - t, rows: marks.length + att.length };
}

async function bench(label: string, db: Db, dir: string): Promise<void> {
  global.gc?.();
  const mem = trackPeakRss();
  const t = performance.now();
  const s = await importDataset(db, dir);
  const secs = (performance.now() - t) / 1000;
  const peak = mem.stop();
  const rows = s.totals.inserted;
  console.log(
    `${label}: imported ${rows.toLocaleString("en")} rows in ${secs.toFixed(1)} s = ${Math.round(rows / secs).toLocaleString("en")} rows/s, peak RSS ${mib(peak)}`,
  );
  const t2 = performance.now();
  const again = await importDataset(db, dir);
  const written = again.totals.inserted + again.totals.updated + again.totals.deleted;
  console.log(
    `${label}: re-import of the same folder wrote ${written} rows in ${((performance.now() - t2) / 1000).toFixed(1)} s`,
  );
  await plainScan(db, s.schoolId); // warm
  const scan = await plainScan(db, s.schoolId);
  console.log(
    `${label}: plain full scan of marks + attendance: ${scan.rows.toLocaleString("en")} rows in ${scan.ms.toFixed(0)} ms`,
  );
}

const dir = await largeDemoDir();
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `bench_${Date.now()}`;
const pgDb = await openStore({ databaseUrl: url, schema });
try {
  await bench("PostgreSQL", pgDb, dir);
} finally {
  await pgDb.close();
  await dropSchema(schema, url);
}
const liteDb = await openStore({ dataDir: mkdtempSync(join(tmpdir(), "bench-pglite-")) });
try {
  await bench("PGlite", liteDb, dir);
} finally {
  await liteDb.close();
}
