// The worker's stage jobs on the in-process queue: a scheduled check finds violations, and "reports-due"
// on the month's last school day enqueues the monthly reports, which are written and listed in the store.

import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { jobHandlers } from "../../src/cli/commands/worker.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { importDataset } from "../../src/dataset/import.ts";
import { createQueue } from "../../src/queue/create-queue.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import { tinySchool, writeDataset } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";

async function idle(queue: JobQueue): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const c = await queue.counts();
    if (c.waiting + c.active + c.delayed === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("queue did not drain");
}

forEachEngine("worker stage jobs", (ctx) => {
  it("check, then the month-end reports, through the queue", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    await importDataset(db, writeDataset(tinySchool("2025-11-01T12:00:00+03:00")));
    const outDir = mkdtempSync(join(tmpdir(), "reglament-jobs-"));
    const config = { ...loadConfig({ env: {} }), outDir };
    const queue = createQueue("jobs-test", { defaultBackoffMs: 10, defaultAttempts: 1 });
    const worker = queue.process(jobHandlers(db, queue, config), { concurrency: 1 });
    try {
      await queue.add("check", { schoolId: "sch1" });
      await idle(queue);
      const [{ n }] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM violations WHERE school_id = 'sch1'",
      );
      expect(n, "the tiny school has a lesson without a topic").to.be.greaterThan(0);

      // 31 October 2025 is the last school day of the month for a 5-day school (no override that day).
      const due = await queue.add("reports-due", { schoolId: "sch1", date: "2025-10-31" });
      await idle(queue);
      expect((await queue.getJob(due.id))?.state).to.equal("completed");
      // the school's own folder, names as a coordinator reads them
      const files = readdirSync(join(outDir, "reports", "sch1"));
      for (const title of [
        "Активность в электронном журнале",
        "Справка по контролю ведения журнала",
        "Показатели контроля ведения журнала",
      ]) {
        expect(files, title).to.include(`${title}, октябрь 2025.pdf`);
      }
      const [{ listed }] = await db.query<{ listed: number }>(
        "SELECT count(*)::int AS listed FROM report_files",
      );
      expect(listed).to.equal(files.length);
      // The same day again: the report jobs' ids are taken, nothing is written twice.
      await queue.add("reports-due", { schoolId: "sch1", date: "2025-10-31" }, { jobId: "again" });
      await idle(queue);
      expect(readdirSync(join(outDir, "reports", "sch1"))).to.have.length(files.length);
      expect(existsSync(outDir)).to.equal(true);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
