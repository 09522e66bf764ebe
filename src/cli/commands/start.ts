// `npm start` = `reglament start`: the main job end to end on the configured store (embedded by default):
// generate the demo school, serve it through the local Dnevnik.ru simulator, sync it into the store like a
// real platform, and show what the store holds. Later stages (check, reports, archive) extend this job.
import { resolve } from "node:path";
import type { Command } from "commander";
import { startDnevnikSimulator } from "../../connectors/dnevnik/simulator.ts";
import { createConnector } from "../../connectors/registry.ts";
import { loadDataset } from "../../dataset/load.ts";
import type { Dataset } from "../../dataset/types.ts";
import type { Db } from "../../store/db.ts";
import { runSync, type SyncSummary } from "../../sync/run-sync.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { createProgress } from "../progress.ts";
import { generateDemo } from "./demo.ts";
import { summaryTable } from "./import-export.ts";
import { statusText } from "./status.ts";

export const DEMO_SOURCE = "demo-dnevnik";

/** The school year the demo covers: from its first period's start to its last period's end. */
function yearWindow(ds: Dataset): { from: string; to: string } {
  const starts = ds.streams.periods.map((p) => p.start).sort();
  const ends = ds.streams.periods.map((p) => p.end).sort();
  return { from: starts[0], to: ends[ends.length - 1] };
}

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
      ...yearWindow(ds),
      onProgress: (e) => progress.update(e.stream, e.done ?? e.read, e.total),
    });
  } finally {
    progress.stop();
    await sim.close();
  }
}

export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "run the main job on the demo school: generate, sync through the Dnevnik.ru simulator, show the store",
    )
    .action(async (_opts, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const dir = resolve(config.demo.dir);
      console.log(`1. Generating the ${config.demo.size} demo school (seed ${config.demo.seed}) in ${dir}`);
      await generateDemo(config.demo.size, config.demo.seed, dir);
      const ds = await loadDataset(dir);
      console.log(`2. Syncing it through the local Dnevnik.ru simulator into ${describeStore(config)}`);
      const db = await openStoreFrom(config);
      try {
        const summary = await syncThroughSimulator(db, ds);
        console.log(summaryTable(summary));
        console.log(`   ${summary.requests} API requests, ${summary.retries} retries`);
        console.log("3. What the store holds");
        console.log(await statusText(db, describeStore(config)));
      } finally {
        await db.close();
      }
    });
}
