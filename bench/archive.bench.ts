// npm run bench:archive — the period journal archive on the large demo school: one class-period journal
// cold (goal ≤ 1 s; floor: the same text written with pdf-lib), then every class × every period of the
// school year signed onto two replicas with the registry, serially in this thread and then on worker
// threads (goal ≤ 2 min and peak RSS ≤ 512 MiB, worker threads and openssl children included; floor: the
// serial run's time / cores). The imported store is kept in .tmp/bench/archive-pglite and reused
// (DATABASE_URL: PostgreSQL schema bench_archive instead). BENCH_ARCHIVE_CLASSES=n limits the year to n
// classes; BENCH_ARCHIVE_SERIAL=0 skips the serial year (the floor is then not printed).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument } from "pdf-lib";
import { archivePeriods } from "../src/archive/archive-run.ts";
import { renderJournal } from "../src/archive/journal.ts";
import { listClasses, loadJournalData } from "../src/archive/journal-data.ts";
import { ensureDemoCertificate } from "../src/archive/signer-from-config.ts";
import { PadesSigner } from "../src/archive/signer-pades.ts";
import { importDataset } from "../src/dataset/import.ts";
import { PDF_FONTS } from "../src/reports/render-pdf.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";

const run = promisify(execFile);

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

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cpuSince = (start: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000;
};

/** The floor of one journal: its text (as pdftotext reads it) written line by line with pdf-lib and PT Sans. */
async function pdfLibFloor(pdf: Buffer): Promise<{ ms: number; pages: number }> {
  const dir = await mkdtemp(join(tmpdir(), "reglament-bench-floor-"));
  try {
    await writeFile(join(dir, "j.pdf"), pdf);
    const text = (await run("pdftotext", ["-layout", join(dir, "j.pdf"), "-"], { maxBuffer: 1 << 26 }))
      .stdout;
    const c0 = process.cpuUsage();
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(await readFile(PDF_FONTS.regular), { subset: true });
    const pages = text.split("\f").filter((p) => p.trim() !== "");
    for (const body of pages) {
      const page = doc.addPage([842, 595]);
      body.split("\n").forEach((line, i) => {
        if (line.trim() !== "") page.drawText(line, { x: 20, y: 575 - i * 8, size: 6, font });
      });
    }
    await doc.save();
    return { ms: cpuSince(c0), pages: pages.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  let pdf: Buffer | undefined;
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const data = await loadJournalData(db, schoolId, biggest.class_id, periodId);
    const t1 = performance.now();
    const journal = await renderJournal(data);
    const t2 = performance.now();
    const cpu = cpuSince(c0);
    const tmp = await mkdtemp(join(tmpdir(), "reglament-bench-"));
    const file = join(tmp, journal.fileName);
    await writeFile(file, journal.pdf);
    await mkdir(join(tmp, "signed"));
    await signer.sign(file, join(tmp, "signed"));
    const t3 = performance.now();
    await rm(tmp, { recursive: true, force: true });
    pdf = journal.pdf;
    console.log(
      `one journal ${round === 0 ? "cold" : "warm"} ${data.classLabel} ${periodId} (${data.students.length} students, ${data.subjects.length} subjects, ${journal.pages} pages): load ${(t1 - t0).toFixed(0)} ms + render ${(t2 - t1).toFixed(0)} ms = ${seconds(t2 - t0)} (CPU ${seconds(cpu)}; goal ≤ 1 s); signing +${(t3 - t2).toFixed(0)} ms`,
    );
  }
  if (pdf) {
    await pdfLibFloor(pdf); // warm pdf-lib and the font as the journal's second round is
    const floor = await pdfLibFloor(pdf);
    console.log(
      `  floor: the same text on ${floor.pages} pages written with pdf-lib (PT Sans subset, no layout): CPU ${seconds(floor.ms)}`,
    );
  }
}

async function wholeYear(
  db: Db,
  schoolId: string,
  periods: string[],
  signer: PadesSigner,
  renderThreads: number,
): Promise<number> {
  const limit = Number(process.env.BENCH_ARCHIVE_CLASSES ?? 0);
  const classes = (await listClasses(db, schoolId)).slice(0, limit > 0 ? limit : undefined);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const mem = trackPeakRss(50, { children: true });
  const c0 = process.cpuUsage();
  const t = performance.now();
  const work = await mkdtemp(join(tmpdir(), "reglament-bench-year-"));
  let journals = 0;
  let pages = 0;
  try {
    const result = await archivePeriods(db, {
      schoolId,
      periodIds: periods,
      classIds: classes.map((c) => c.id),
      signer,
      targets: [
        { id: "a", path: join(work, "a") },
        { id: "b", path: join(work, "b") },
      ],
      tmpDir: join(work, "tmp"),
      renderThreads,
    });
    journals = result.archived.length;
    pages = result.archived.reduce((s, a) => s + a.pages, 0);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const ms = performance.now() - t;
  console.log(
    `whole year ${renderThreads === 0 ? "serial, in this thread" : `on ${renderThreads} worker threads`}, signed + 2 replicas + registry: ${journals} journals of ${classes.length} classes × ${periods.length} periods, ${pages.toLocaleString("en")} pages in ${seconds(ms)} (${(ms / 1000 / Math.max(journals, 1)).toFixed(2)} s/journal; CPU of the process, its threads included, ${seconds(cpuSince(c0))}), peak RSS ${mib(mem.stop())} with threads and children (goal ≤ 512 MiB; floor: ${mib(before)} before the run, the open store and the loaded code)`,
  );
  return ms;
}

const { db, schoolId } = await openLargeSchool();
try {
  const periods = await yearPeriods(db, schoolId);
  console.log(`periods of the year: ${periods.join(", ")}; ${availableParallelism()} cores`);
  const cert = await ensureDemoCertificate(resolve(".tmp/bench/archive-cert"));
  const signer = new PadesSigner({ p12: cert.p12File, passphrase: cert.passphrase });
  const quarter = periods.find((p) => !p.startsWith("year")) ?? periods[0];
  await oneJournal(db, schoolId, quarter, signer);
  const cores = availableParallelism();
  const serial =
    process.env.BENCH_ARCHIVE_SERIAL === "0" ? undefined : await wholeYear(db, schoolId, periods, signer, 0);
  const parallel = await wholeYear(db, schoolId, periods, signer, cores);
  console.log(
    `whole year: ${seconds(parallel)} (goal ≤ 120 s)${serial ? `; floor: serial ${seconds(serial)} / ${cores} cores = ${seconds(serial / cores)}, speed-up ${(serial / parallel).toFixed(2)}×` : ""}`,
  );
} finally {
  await db.close();
}
