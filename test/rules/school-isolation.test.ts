// Two schools in one store (issue 12), built so that everything could mix: the same class, lesson,
// pupil and teacher ids in both. A's findings are exactly those of A checked alone; nothing of B (its
// extra lesson and mark, its people's names) shows in A's findings, reports or archived journal.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { loadJournalData } from "../../src/archive/journal-data.ts";
import { jobHandlers } from "../../src/cli/commands/worker.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { importDataset } from "../../src/dataset/import.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import { createQueue } from "../../src/queue/create-queue.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import { buildReport } from "../../src/reports/catalog.ts";
import type { Db } from "../../src/store/db.ts";
import { tinySchool, writeDataset } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";

const MARKER = "Бэшкин";

function schoolA(): Dataset {
  const ds = tinySchool();
  ds.manifest.school = { ...ds.manifest.school, id: "sch-a" };
  return ds;
}

/** School B: the same ids, other people, one more lesson without a topic and one more mark. */
function schoolB(): Dataset {
  const ds = tinySchool();
  ds.manifest.school = { ...ds.manifest.school, id: "sch-b", name: "Школа Б" };
  ds.streams.persons = ds.streams.persons.map((p) => ({ ...p, name: `${MARKER} ${p.name}` }));
  ds.streams.lessons.push({
    id: "l3",
    classId: "5a",
    subjectId: "math",
    teacherId: "t1",
    date: "2025-10-03",
    number: 1,
    start: "08:30",
    end: "09:15",
  });
  ds.streams.marks.push({ id: "m3", studentId: "s1", subjectId: "math", lessonId: "l3", value: 2 });
  return ds;
}

/** A report as JSON, without the moment it was built. */
async function reportText(db: Db, school: string, kind: string, params: object): Promise<string> {
  const { generatedAt: _at, ...report } = (await buildReport(db, school, kind, params)) as {
    generatedAt?: string;
  };
  return JSON.stringify(report);
}

async function idle(queue: JobQueue): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const c = await queue.counts();
    if (c.waiting + c.active + c.delayed === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("queue did not drain");
}

async function findings(db: Db, school: string): Promise<string[]> {
  const rows = await db.query<{ f: string }>(
    "SELECT rule_id || ' ' || (entity::text) AS f FROM violations WHERE school_id = $1 ORDER BY 1",
    [school],
  );
  return rows.map((r) => r.f);
}

/** The scheduled stages through the queue: a check of every school, then the reports due on 30 September. */
async function runStages(db: Db): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "reglament-isolation-"));
  const queue = createQueue("isolation", { defaultBackoffMs: 10, defaultAttempts: 1 });
  const worker = queue.process(jobHandlers(db, queue, { ...loadConfig({ env: {} }), outDir }), {
    concurrency: 2,
  });
  try {
    await queue.add("check", {}, { jobId: "slot-check" });
    await idle(queue);
    await queue.add("reports-due", { date: "2025-09-30" }, { jobId: "slot-reports" });
    await idle(queue);
    expect((await queue.counts()).failed).to.equal(0);
  } finally {
    await worker.close();
    await queue.close();
  }
  return outDir;
}

forEachEngine("two schools in one store", (ctx) => {
  it("keeps each school's findings, reports and journal to itself", async function () {
    this.timeout(300_000);
    const alone = await ctx.open();
    await importDataset(alone, writeDataset(schoolA()));
    await runStages(alone);

    const db = await ctx.open();
    await importDataset(db, writeDataset(schoolA()));
    await importDataset(db, writeDataset(schoolB()));
    await runStages(db);

    const a = await findings(db, "sch-a");
    const b = await findings(db, "sch-b");
    expect(a.length).to.be.greaterThan(0);
    expect(a, "A's findings are those of A checked alone").to.deep.equal(await findings(alone, "sch-a"));
    expect(
      b.filter((f) => f.includes('"l3"')),
      "B's own lesson is found in B",
    ).to.not.be.empty;
    expect(
      a.filter((f) => f.includes('"l3"')),
      "B's lesson in A's findings",
    ).to.deep.equal([]);

    // Reports: each school's files in its own folder, and A's reports show A's people and marks only.
    const files = await db.query<{ school_id: string; path: string }>(
      "SELECT school_id, path FROM report_files",
    );
    expect(files.map((f) => f.school_id)).to.include.members(["sch-a", "sch-b"]);
    for (const f of files) expect(f.path).to.include(`/reports/${f.school_id}/`);
    for (const [kind, params] of [
      ["marks-sheet", { classId: "5a", periodId: "q1" }],
      ["control-spravka", { month: "2025-10" }],
      ["activity", { month: "2025-10" }],
    ] as const) {
      const textA = await reportText(db, "sch-a", kind, params);
      const textB = await reportText(db, "sch-b", kind, params);
      expect(textA, `${kind} of A`).to.not.include(MARKER);
      expect(textA, `${kind} of A equals A's alone`).to.equal(await reportText(alone, "sch-a", kind, params));
      expect(textB, `${kind} of B shows B's`).to.not.equal(textA);
    }

    // The archived journal of A's class: A's lessons and people only.
    const journalA = await loadJournalData(db, "sch-a", "5a", "q1");
    expect(JSON.stringify(journalA)).to.not.include(MARKER);
    expect(JSON.stringify(journalA)).to.equal(
      JSON.stringify(await loadJournalData(alone, "sch-a", "5a", "q1")),
    );
    expect(JSON.stringify(await loadJournalData(db, "sch-b", "5a", "q1"))).to.include(MARKER);
  });
});
