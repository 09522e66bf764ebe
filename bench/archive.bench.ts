// npm run bench:archive — the period journal archive on the large demo school: one class-period journal
// (goal ≤ 1 s), then every class × every period of the school year rendered without and with signing
// (time, pages, peak RSS). The imported store is kept in .tmp/bench/archive-pglite and reused
// (DATABASE_URL: PostgreSQL schema bench_archive instead). BENCH_ARCHIVE_CLASSES=n limits the year run to n classes.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { archivePeriod } from "../src/archive/archive-run.ts";
import { renderJournal } from "../src/archive/journal.ts";
import { listClasses, loadJournalData } from "../src/archive/journal-data.ts";
import { ensureDemoCertificate } from "../src/archive/signer-from-config.ts";
import { PadesSigner } from "../src/archive/signer-pades.ts";
import { importDataset } from "../src/dataset/import.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";

async function openLargeSchool(): Promise<{ db: Db; schoolId: string }> {
  const db = process.env.DATABASE_URL
    ? await openStore({ databaseUrl: process.env.DATABASE_URL, schema: "bench_archive" })
    : await openStore({ dataDir: resolve(".tmp/bench/archive-pglite") });
  const dir = await largeDemoDir();
  const schools = await db.query<{ id: string }>("SELECT id FROM schools ORDER BY id");
  if (schools.length === 0) {
    const t = performance.now();
    await importDataset(db, dir);
    console.log(`imported the large demo school in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const [school] = await db.query<{ id: string }>("SELECT id FROM schools ORDER BY id LIMIT 1");
  return { db, schoolId: school.id };
}

async function yearPeriods(db: Db, schoolId: string): Promise<string[]> {
  // the school year of the latest lessons: its quarters (or semesters…) and the year itself
  const rows = await db.query<{ id: string }>(
    `SELECT p.id FROM periods p
      WHERE p.school_id = $1 AND p.deleted_at IS NULL
        AND p.start_date >= (SELECT max(start_date) FROM periods WHERE school_id = $1 AND kind = 'year')
        AND EXISTS (SELECT 1 FROM lessons l WHERE l.school_id = $1 AND l.deleted_at IS NULL
                     AND l.day BETWEEN p.start_date AND p.end_date)
      ORDER BY p.start_date, p.kind`,
    [schoolId],
  );
  return rows.map((r) => r.id);
}

async function oneJournal(db: Db, schoolId: string, periodId: string, signer: PadesSigner): Promise<void> {
  // the fullest journal: most subjects in the period, then most students (≈30 students, 15 subjects)
  const [biggest] = await db.query<{ class_id: string }>(
    `SELECT l.class_id FROM lessons l
       JOIN periods p ON p.school_id = l.school_id AND p.id = $2
      WHERE l.school_id = $1 AND l.deleted_at IS NULL AND l.day BETWEEN p.start_date AND p.end_date
      GROUP BY l.class_id
      ORDER BY count(DISTINCT l.subject_id) DESC,
        (SELECT count(*) FROM persons s WHERE s.school_id = $1 AND s.class_id = l.class_id
          AND s.role = 'student' AND s.deleted_at IS NULL) DESC, l.class_id
      LIMIT 1`,
    [schoolId, periodId],
  );
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const data = await loadJournalData(db, schoolId, biggest.class_id, periodId);
    const t1 = performance.now();
    const journal = await renderJournal(data);
    const t2 = performance.now();
    const tmp = await mkdtemp(join(tmpdir(), "reglament-bench-"));
    const file = join(tmp, journal.fileName);
    await writeFile(file, journal.pdf);
    await mkdir(join(tmp, "signed"));
    await signer.sign(file, join(tmp, "signed"));
    const t3 = performance.now();
    await rm(tmp, { recursive: true, force: true });
    console.log(
      `one journal ${data.classLabel} ${periodId} (${data.students.length} students, ${data.subjects.length} subjects, ${journal.pages} pages): load ${(t1 - t0).toFixed(0)} ms + render ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms (goal ≤ 1000); signing +${(t3 - t2).toFixed(0)} ms`,
    );
  }
}

async function wholeYear(
  db: Db,
  schoolId: string,
  periods: string[],
  signer: PadesSigner | undefined,
): Promise<void> {
  const limit = Number(process.env.BENCH_ARCHIVE_CLASSES ?? 0);
  const classes = (await listClasses(db, schoolId)).slice(0, limit > 0 ? limit : undefined);
  global.gc?.();
  const mem = trackPeakRss();
  const t = performance.now();
  let journals = 0;
  let pages = 0;
  let bytes = 0;
  const work = await mkdtemp(join(tmpdir(), "reglament-bench-year-"));
  try {
    for (const periodId of periods) {
      if (signer) {
        const result = await archivePeriod(db, {
          schoolId,
          periodId,
          classIds: classes.map((c) => c.id),
          signer,
          targets: [
            { id: "a", path: join(work, "a") },
            { id: "b", path: join(work, "b") },
          ],
          tmpDir: join(work, "tmp"),
        });
        journals += result.archived.length;
        pages += result.archived.reduce((s, a) => s + a.pages, 0);
      } else {
        for (const c of classes) {
          const data = await loadJournalData(db, schoolId, c.id, periodId);
          if (data.subjects.every((s) => s.lessons.length === 0)) continue;
          const journal = await renderJournal(data);
          journals += 1;
          pages += journal.pages;
          bytes += journal.pdf.length;
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const secs = (performance.now() - t) / 1000;
  console.log(
    `whole year ${signer ? "signed + 2 replicas + registry" : "rendered only"}: ${journals} journals of ${classes.length} classes × ${periods.length} periods, ${pages.toLocaleString("en")} pages${bytes ? `, ${mib(bytes)} of PDF` : ""} in ${secs.toFixed(1)} s (${(secs / Math.max(journals, 1)).toFixed(2)} s/journal), peak RSS ${mib(mem.stop())}`,
  );
}

const { db, schoolId } = await openLargeSchool();
try {
  const periods = await yearPeriods(db, schoolId);
  console.log(`periods of the year: ${periods.join(", ")}`);
  const cert = await ensureDemoCertificate(resolve(".tmp/bench/archive-cert"));
  const signer = new PadesSigner({ p12: cert.p12File, passphrase: cert.passphrase });
  const quarter = periods.find((p) => !p.startsWith("year")) ?? periods[0];
  await oneJournal(db, schoolId, quarter, signer);
  await wholeYear(db, schoolId, periods, undefined);
  await wholeYear(db, schoolId, periods, signer);
} finally {
  await db.close();
}
