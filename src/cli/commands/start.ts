// `npm start` = `reglament start`: the main job end to end on the configured store (embedded by default):
// generate the demo school, serve it through the local Dnevnik.ru simulator, sync it into the store like a
// real platform, and show what the store holds. Later stages (check, reports, archive) extend this job.
import { resolve } from "node:path";
import type { Command } from "commander";
import { archiveDemo, lastClosedPeriod } from "../../archive/archive-demo.ts";
import { startBarsSimulator } from "../../connectors/bars/simulator.ts";
import { startDnevnikSimulator } from "../../connectors/dnevnik/simulator.ts";
import { type ConnectorDeps, createConnector } from "../../connectors/registry.ts";
import { datasetWindow } from "../../dataset/date-window.ts";
import { loadDataset } from "../../dataset/load.ts";
import type { Dataset } from "../../dataset/types.ts";
import { runEscalation } from "../../escalation/escalate.ts";
import { channelsFromConfig } from "../../escalation/escalation-config.ts";
import { writePeriodReports } from "../../reports/report-files.ts";
import { runCheck } from "../../rules/engine.ts";
import { getRule } from "../../rules/registry.ts";
import type { Db } from "../../store/db.ts";
import { runSync, type SyncSummary } from "../../sync/run-sync.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";
import { UserError } from "../user-error.ts";
import { generateDemo } from "./demo.ts";
import { summaryTable } from "./import-export.ts";
import { statusText } from "./status.ts";

export const DEMO_SOURCE = "demo-dnevnik";

/** A platform the main job can run through: its local simulator serving the demo school, and the source config. */
interface SimulatedPlatform {
  label: string;
  config: Record<string, unknown>;
  /** The date window the sync reads (default: the dataset's periods). */
  window?: { from: string; to: string };
  /** Connector overrides: no pause between requests to a local simulator. */
  deps?: ConnectorDeps;
  close(): Promise<void>;
}

/** `--platform` name → starts that platform's simulator on the demo school. */
export const PLATFORMS: Record<string, (ds: Dataset) => Promise<SimulatedPlatform>> = {
  dnevnik: async (ds) => {
    const token = "demo-token";
    const sim = await startDnevnikSimulator({ dataset: ds, token });
    return {
      label: "Dnevnik.ru",
      config: {
        kind: "dnevnik",
        baseUrl: sim.url,
        token,
        schoolId: sim.schoolId,
        timezone: ds.manifest.school.timezone,
        workweek: ds.manifest.school.workweek,
        requestsPerSecond: 100,
      },
      close: () => sim.close(),
    };
  },
  bars: async (ds) => {
    const sim = await startBarsSimulator({ dataset: ds });
    const today = ds.manifest.observedAt.slice(0, 10);
    const year = Number(today.slice(5, 7)) >= 8 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
    return {
      label: "BARS «Электронная школа»",
      config: {
        kind: "bars",
        url: sim.url,
        auth: { method: "password", login: "reglament", password: "demo-password" },
        school: ds.manifest.school,
      },
      // BARS reads per pupil and week: the school year up to the day the demo was observed.
      window: { from: `${year}-09-01`, to: today },
      deps: { http: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } } },
      close: () => sim.close(),
    };
  },
};

/** Serves the dataset through a platform's simulator (Dnevnik.ru by default) and syncs it into the store. */
export async function syncThroughSimulator(db: Db, ds: Dataset, platform = "dnevnik"): Promise<SyncSummary> {
  const start = PLATFORMS[platform];
  if (!start) throw new Error(`unknown platform "${platform}" (known: ${Object.keys(PLATFORMS).join(", ")})`);
  const sim = await start(ds);
  const progress = createProgress();
  try {
    const connector = createConnector(sim.config, sim.deps);
    return await runSync(db, connector, {
      source: platform === "dnevnik" ? DEMO_SOURCE : `demo-${platform}`,
      full: false,
      // The simulator replays the platform as it was when the demo was observed: that is the sync's "now".
      now: new Date(ds.manifest.observedAt),
      ...(sim.window ?? datasetWindow(ds)),
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
      "run the main job on the demo school: generate, sync through the Dnevnik.ru simulator, show the store",
    )
    .option(
      "--platform <name>",
      `the platform simulator to sync through: ${Object.keys(PLATFORMS).join("|")}`,
      "dnevnik",
    )
    .action(async (opts: { platform: string }, cmd: Command) => {
      const platform = PLATFORMS[opts.platform];
      if (!platform)
        throw new UserError(
          `unknown --platform "${opts.platform}" (known: ${Object.keys(PLATFORMS).join(", ")})`,
        );
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const dir = resolve(config.demo.dir);
      console.log(`1. Generating the ${config.demo.size} demo school (seed ${config.demo.seed}) in ${dir}`);
      await generateDemo(config.demo.size, config.demo.seed, dir);
      const ds = await loadDataset(dir);
      console.log(
        `2. Syncing it through the local ${opts.platform === "bars" ? "BARS «Электронная школа»" : opts.platform === "dnevnik" ? "Dnevnik.ru" : opts.platform} simulator into ${describeStore(config)}`,
      );
      const db = await openStoreFrom(config);
      try {
        const summary = await syncThroughSimulator(db, ds, opts.platform);
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
          "6. Escalating open violations (digests into the outbox; the demo school has no contacts)",
        );
        const esc = await runEscalation(db, {
          schoolId: summary.schoolId,
          now: new Date(summary.observedAt),
          channels: Object.keys(channelsFromConfig(config.escalation)) as (
            | "email"
            | "telegram"
            | "webhook"
          )[],
          config: config.escalation,
        });
        console.log(
          `   ${esc.openViolations} open, ${esc.escalated} escalated, ${esc.digests} digests and ${esc.weeklySummaries} weekly summaries; ${esc.added} added to the outbox, ${esc.noContact} without a contact`,
        );
        console.log("7. Archiving the last closed period: journal PDF/A per class, signed, on two media");
        const archive = await archiveDemo(db, config);
        console.log(
          `   ${archive.paths.length} files written${archive.demoCertificate ? " (signed with the ДЕМО certificate)" : ""}:`,
        );
        for (const p of archive.paths.slice(0, 4)) console.log(`   ${p}`);
        if (archive.paths.length > 4) console.log(`   … and ${archive.paths.length - 4} more`);
      } finally {
        await db.close();
      }
    });
}
