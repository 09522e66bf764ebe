// `npm start` = `reglament start`: the main job end to end on the configured store (embedded by default):
// generate the demo school, serve it through the local Dnevnik.ru simulator, sync it into the store like a
// real platform, and show what the store holds. Later stages (check, reports, archive) extend this job.
import { resolve } from "node:path";
import type { Command } from "commander";
import { ensureDemoAccounts } from "../../api/demo-accounts.ts";
import { ROLE_LABELS_RU } from "../../api/types.ts";
import { archiveDemo, lastClosedPeriod } from "../../archive/archive-demo.ts";
import { startDnevnikSimulator } from "../../connectors/dnevnik/simulator.ts";
import { createConnector } from "../../connectors/registry.ts";
import { datasetWindow } from "../../dataset/date-window.ts";
import { loadDataset } from "../../dataset/load.ts";
import type { Dataset } from "../../dataset/types.ts";
import { escalateDemo } from "../../escalation/demo-delivery.ts";
import { writePeriodReports } from "../../reports/report-files.ts";
import { runCheck } from "../../rules/engine.ts";
import { getRule } from "../../rules/registry.ts";
import type { Db } from "../../store/db.ts";
import { runSync, type SyncSummary } from "../../sync/run-sync.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";
import { generateDemo } from "./demo.ts";
import { summaryTable } from "./import-export.ts";
import { statusText } from "./status.ts";
import { defaultPort, parsePort, runUntilSignal } from "./worker.ts";

export const DEMO_SOURCE = "demo-dnevnik";

/** The school year the demo covers: from its first period's start to its last period's end. */
/** Serves the dataset through the Dnevnik.ru simulator and syncs it into the store. */
export async function syncThroughSimulator(db: Db, ds: Dataset): Promise<SyncSummary> {
  const token = "demo-token";
  const sim = await startDnevnikSimulator({ dataset: ds, token });
  const progress = createProgress();
  try {
    const connector = createConnector({
      kind: "dnevnik",
      baseUrl: sim.url,
      token,
      schoolId: sim.schoolId,
      timezone: ds.manifest.school.timezone,
      workweek: ds.manifest.school.workweek,
      requestsPerSecond: 100,
    });
    return await runSync(db, connector, {
      source: DEMO_SOURCE,
      full: false,
      // The simulator replays the platform as it was when the demo was observed: that is the sync's "now".
      now: new Date(ds.manifest.observedAt),
      ...datasetWindow(ds),
      onProgress: (e) => progress.update(e.stream, e.done ?? e.read, e.total),
    });
  } finally {
    progress.stop();
    await sim.close();
  }
}

/** Runs the regulation check and prints what it found, by rule. */
async function checkAndSummarize(db: Db, schoolId: string, asOf: Date): Promise<void> {
  const result = await runCheck(db, schoolId, { preset: "default", asOf });
  const byRule = new Map<string, number>();
  for (const f of result.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const rows = [...byRule.entries()].sort().map(([id, n]) => [id, getRule(id).title, n]);
  console.log(table(["rule", "title", "findings"], rows));
  console.log(
    `   preset ${result.preset}: ${result.findings.length} findings — ${result.new} new, ${result.stillOpen} still open, ${result.resolved} resolved`,
  );
  if (result.failures.length > 0)
    console.log(
      `   ${result.failures.length} rule(s) failed: ${result.failures.map((f) => f.ruleId).join(", ")}`,
    );
}

export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "run the main job on the demo school (generate, sync through the Dnevnik.ru simulator, check, report, escalate, archive), then serve the web console until Ctrl-C",
    )
    .option("--once", "exit after the pipeline instead of serving the console")
    .option("--port <port>", "the console's HTTP port (0 = any free port)", parsePort, defaultPort())
    .option("--host <host>", "the address to listen on", process.env.REGLAMENT_HOST || "127.0.0.1")
    .action(async (opts: { once?: boolean; port: number; host: string }, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const dir = resolve(config.demo.dir);
      console.log(`1. Generating the ${config.demo.size} demo school (seed ${config.demo.seed}) in ${dir}`);
      await generateDemo(config.demo.size, config.demo.seed, dir);
      const ds = await loadDataset(dir);
      console.log(`2. Syncing it through the local Dnevnik.ru simulator into ${describeStore(config)}`);
      const db = await openStoreFrom(config);
      let handedOver = false;
      try {
        const summary = await syncThroughSimulator(db, ds);
        console.log(summaryTable(summary));
        console.log(`   ${summary.requests} API requests, ${summary.retries} retries`);
        console.log("3. What the store holds");
        console.log(await statusText(db, describeStore(config)));
        console.log("4. Checking the journal against the regulation (preset default = 001)");
        await checkAndSummarize(db, summary.schoolId, new Date(summary.observedAt));
        // The same period the archive step takes, so reports and journals describe one period.
        const periodId = await lastClosedPeriod(db, summary.schoolId);
        if (periodId) {
          const outDir = resolve(config.outDir, "reports");
          console.log(`5. Writing the reports of period ${periodId} to ${outDir}`);
          const files = await writePeriodReports(db, summary.schoolId, periodId, outDir);
          console.log(`   ${files.length} files written, e.g. ${files.slice(0, 3).join(", ")}`);
        }
        console.log(
          "6. Escalating open violations: digests to the demo staff's e-mail, into the local mailbox",
        );
        const demoMail = await escalateDemo(
          db,
          summary.schoolId,
          new Date(summary.observedAt),
          config.escalation,
          config.outDir,
        );
        const esc = demoMail.escalation;
        console.log(
          `   ${esc.openViolations} open, ${esc.escalated} escalated, ${esc.digests} digests and ${esc.weeklySummaries} weekly summaries; ${demoMail.sent} delivered${demoMail.mailbox ? ` to ${demoMail.mailbox}` : ""}, ${demoMail.failed} failed, ${esc.noContact} without a contact`,
        );
        console.log("7. Archiving the last closed period: journal PDF/A per class, signed, on two media");
        const archive = await archiveDemo(db, config);
        console.log(
          `   ${archive.paths.length} files written${archive.demoCertificate ? " (signed with the ДЕМО certificate)" : ""}:`,
        );
        for (const p of archive.paths.slice(0, 4)) console.log(`   ${p}`);
        if (archive.paths.length > 4) console.log(`   … and ${archive.paths.length - 4} more`);
        if (opts.once) return;
        console.log("8. The web console: demo accounts (new passwords at every start)");
        const accounts = await ensureDemoAccounts(db, summary.schoolId);
        console.log(
          table(
            ["login", "password", "role"],
            accounts.map((a) => [a.login, a.password, ROLE_LABELS_RU[a.role]]),
          ),
        );
        // The console's routes see the demo's "now": the moment the demo school was observed.
        const observedAt = new Date(summary.observedAt);
        handedOver = true;
        await runUntilSignal(config, {
          withScheduler: false,
          db,
          http: { port: opts.port, host: opts.host },
          now: () => observedAt,
          onListening: (url) => console.log(`Console: ${url} — open it in a browser; Ctrl-C stops it.`),
        });
      } finally {
        if (!handedOver) await db.close();
      }
    });
}
