// `npm start` = `reglament start`: the main job end to end on the configured store (embedded by default):
// generate the demo school, serve it through the local Dnevnik.ru simulator, sync it into the store like a
// real platform, and show what the store holds. Later stages (check, reports, archive) extend this job.
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { ensureDemoAccounts } from "../../api/demo-accounts.ts";
import { ROLE_LABELS_RU } from "../../api/types.ts";
import { archiveDemo, lastClosedPeriod } from "../../archive/archive-demo.ts";
import { startBarsSimulator } from "../../connectors/bars/simulator.ts";
import { startDnevnikSimulator } from "../../connectors/dnevnik/simulator.ts";
import { startMoodleSimulator } from "../../connectors/moodle/simulator.ts";
import { startNetschoolSimulator } from "../../connectors/netschool/simulator.ts";
import type { ConnectorDeps } from "../../connectors/registry.ts";
import { datasetWindow } from "../../dataset/date-window.ts";
import { loadDataset } from "../../dataset/load.ts";
import type { Dataset } from "../../dataset/types.ts";
import { escalateDemo } from "../../escalation/demo-delivery.ts";
import { writePeriodReports } from "../../reports/report-files.ts";
import { runCheck } from "../../rules/engine.ts";
import { getRule } from "../../rules/registry.ts";
import type { Db } from "../../store/db.ts";
import { runSync, type SyncSummary } from "../../sync/run-sync.ts";
import {
  addSource,
  connectorFor,
  getSource,
  listSources,
  rememberSchool,
  type SourceRow,
  updateSource,
} from "../../sync/sources.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";
import { UserError } from "../user-error.ts";
import { generateDemo } from "./demo.ts";
import { summaryTable } from "./import-export.ts";
import { statusText } from "./status.ts";
import { defaultPort, parsePort, runUntilSignal } from "./worker.ts";

/** A local simulator serving the demo school, and the source config that reaches it. */
interface SimulatedPlatform {
  config: Record<string, unknown>;
  /** The date window the sync reads (default: the dataset's periods). */
  window?: { from: string; to: string };
  /** Connector overrides (BARS: no pause between requests to a local simulator); else requestsPerSecond 100. */
  deps?: ConnectorDeps;
  close(): Promise<void>;
}

const PLATFORM_TITLES: Record<string, string> = {
  dnevnik: "Dnevnik.ru",
  moodle: "Moodle",
  netschool: "NetSchool («Сетевой город. Образование»)",
  bars: "BARS «Электронная школа»",
};

/** The platforms `start --platform` can serve the demo school through (each by its local simulator). */
export const SIMULATED_PLATFORMS: Record<string, (ds: Dataset) => Promise<SimulatedPlatform>> = {
  dnevnik: async (ds) => {
    const token = "demo-token";
    const sim = await startDnevnikSimulator({ dataset: ds, token });
    const { timezone, workweek } = ds.manifest.school;
    return {
      config: { kind: "dnevnik", baseUrl: sim.url, token, schoolId: sim.schoolId, timezone, workweek },
      close: () => sim.close(),
    };
  },
  moodle: async (ds) => {
    const token = "demo-token";
    const sim = await startMoodleSimulator({ dataset: ds, token, attendancePlugin: true });
    // Moodle has no school periods: they come with the source config.
    const config = {
      kind: "moodle",
      url: sim.url,
      token,
      school: ds.manifest.school,
      periods: ds.streams.periods,
    };
    return { config, close: () => sim.close() };
  },
  netschool: async (ds) => {
    const login = "demo";
    const password = "демо-пароль";
    const sim = await startNetschoolSimulator({ dataset: ds, login, password });
    const { timezone, workweek } = ds.manifest.school;
    return {
      // A month a diary request: the demo reads the whole year at once.
      config: {
        kind: "netschool",
        baseUrl: sim.url,
        login,
        password,
        schoolId: sim.schoolId,
        timezone,
        workweek,
        diaryDays: 31,
        // The reports pipeline (a queue call, a hub round trip and a file per pupil and subject) would
        // triple the demo's requests at the platform's pace; it is run by the sync tests instead.
        reports: false,
      },
      close: () => sim.close(),
    };
  },
  bars: async (ds) => {
    const sim = await startBarsSimulator({ dataset: ds });
    const today = ds.manifest.observedAt.slice(0, 10);
    const year = Number(today.slice(5, 7)) >= 8 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
    return {
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

/** The source id the demo registers for a platform: `demo-dnevnik`, `demo-moodle`, … */
export const demoSourceId = (platform: string) => `demo-${platform}`;

/** REGLAMENT_SECRET for a demo run that has none: the demo's tokens are the simulators' own, not secrets. */
export const DEMO_SECRET = "reglament-demo-only-not-a-secret";

/** Registers (or re-points) the demo's source at the running simulator, its secrets encrypted as any source's. */
async function registerDemoSource(db: Db, id: string, sim: SimulatedPlatform): Promise<SourceRow> {
  const { kind, ...config } = sim.config as { kind: string } & Record<string, unknown>;
  const stored = { ...config, ...(sim.deps ? {} : { requestsPerSecond: 100 }) };
  const exists = (await listSources(db)).some((s) => s.id === id);
  if (exists) await updateSource(db, id, { config: stored });
  else await addSource(db, { id, kind, config: stored });
  return getSource(db, id);
}

export interface SimulatedSync {
  summary: SyncSummary;
  /** Stops the simulator the demo source points at (kept running for the console's «sync now»). */
  close(): Promise<void>;
}

/**
 * Serves the dataset through a platform's simulator (Dnevnik.ru by default), registers it as the source
 * `demo-<platform>` and syncs it into the store. With keepOpen the simulator outlives the sync.
 */
export async function syncThroughSimulator(
  db: Db,
  ds: Dataset,
  platform = "dnevnik",
  opts: { keepOpen?: boolean } = {},
): Promise<SimulatedSync> {
  const start = SIMULATED_PLATFORMS[platform];
  if (!start)
    throw new Error(`unknown platform "${platform}" (known: ${Object.keys(SIMULATED_PLATFORMS).join(", ")})`);
  const sim = await start(ds);
  const progress = createProgress();
  let keep = false;
  try {
    const source = await registerDemoSource(db, demoSourceId(platform), sim);
    const summary = await runSync(db, connectorFor(source, sim.deps), {
      source: source.id,
      full: false,
      // The simulator replays the platform as it was when the demo was observed: that is the sync's "now".
      now: new Date(ds.manifest.observedAt),
      ...(sim.window ?? datasetWindow(ds)),
      onProgress: (e) => progress.update(e.stream, e.done ?? e.read, e.total),
    });
    await rememberSchool(db, source.id, summary.schoolId);
    keep = opts.keepOpen === true;
    return { summary, close: keep ? () => sim.close() : async () => undefined };
  } finally {
    progress.stop();
    if (!keep) await sim.close();
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
      "run the main job on the demo school (generate, sync through a platform's simulator, check, report, escalate, archive), then serve the web console until Ctrl-C",
    )
    .addOption(
      new Option("--platform <name>", "the platform simulator the demo school is served through").choices(
        Object.keys(SIMULATED_PLATFORMS),
      ),
    )
    // `npm start --platform netschool` keeps the flag for npm (npm_config_platform=true) and passes the
    // name on as an argument; `npm start --platform=netschool` passes it as npm_config_platform.
    .argument("[platform]", "the same, as npm passes it on")
    .option("--once", "exit after the pipeline instead of serving the console")
    .option("--port <port>", "the console's HTTP port (0 = any free port)", parsePort, defaultPort())
    .option("--host <host>", "the address to listen on", process.env.REGLAMENT_HOST || "127.0.0.1")
    .action(
      async (
        positional: string | undefined,
        opts: { platform?: string; once?: boolean; port: number; host: string },
        cmd: Command,
      ) => {
        const fromNpm = process.env.npm_config_platform;
        const platform =
          opts.platform ?? positional ?? (fromNpm && fromNpm !== "true" ? fromNpm : undefined) ?? "dnevnik";
        if (!SIMULATED_PLATFORMS[platform]) {
          throw new UserError(
            `неизвестная платформа «${platform}»: ${Object.keys(SIMULATED_PLATFORMS).join(", ")}`,
          );
        }
        const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
        const dir = resolve(config.demo.dir);
        console.log(`1. Generating the ${config.demo.size} demo school (seed ${config.demo.seed}) in ${dir}`);
        await generateDemo(config.demo.size, config.demo.seed, dir);
        const ds = await loadDataset(dir);
        console.log(
          `2. Syncing it through the local ${PLATFORM_TITLES[platform]} simulator into ${describeStore(config)}`,
        );
        if (!process.env.REGLAMENT_SECRET?.trim()) {
          // The demo source's token is stored encrypted like any source's; without a key of the user's,
          // the demo's own (printed, so nobody mistakes it for protection).
          process.env.REGLAMENT_SECRET = DEMO_SECRET;
          console.log(
            `   REGLAMENT_SECRET is not set: the demo source's token is encrypted with the demo key "${DEMO_SECRET}"`,
          );
        }
        const db = await openStoreFrom(config);
        let handedOver = false;
        let simulator: SimulatedSync | undefined;
        try {
          simulator = await syncThroughSimulator(db, ds, platform, { keepOpen: !opts.once });
          const { summary } = simulator;
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
          // Each finding in a digest links to the console the demo serves next (when its port is fixed).
          const consoleUrl =
            config.escalation.consoleUrl ??
            (opts.once || opts.port === 0 ? undefined : `http://${opts.host}:${opts.port}`);
          const demoMail = await escalateDemo(
            db,
            summary.schoolId,
            new Date(summary.observedAt),
            { ...config.escalation, consoleUrl },
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
            alsoClose: simulator.close,
            onListening: (url) => console.log(`Console: ${url} — open it in a browser; Ctrl-C stops it.`),
          });
        } finally {
          if (!handedOver) {
            await simulator?.close();
            await db.close();
          }
        }
      },
    );
}
