// npm run bench:sync — the large demo school through the Dnevnik.ru simulator into PostgreSQL:
// records/s, requests made against the minimum the API allows, peak memory; then a no-change re-sync
// (rows written must be 0). The simulator runs in its own process, as the platform would; the client's
// rate limit is lifted (BENCH_RPS to set one) so that the figure is the pipeline's own throughput.
import { minimumRequests } from "../src/connectors/dnevnik/request-budget.ts";
import { createConnector } from "../src/connectors/registry.ts";
import { datasetWindow } from "../src/dataset/date-window.ts";
import { loadDataset } from "../src/dataset/load.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { runSync, type SyncSummary } from "../src/sync/run-sync.ts";
import { dropSchema } from "../test/support/engines.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";
import { startSimulatorProcess } from "./simulator-child.ts";

const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const rps = Number(process.env.BENCH_RPS ?? 100_000);
const schema = `bench_sync_${Date.now()}`;
const dir = await largeDemoDir();
// What the run needs of the dataset; the rest is dropped so that peak RSS is the sync's own.
const { school, observedAt, window, classes, pupils } = await (async () => {
  const ds = await loadDataset(dir);
  return {
    school: ds.manifest.school,
    observedAt: ds.manifest.observedAt,
    window: datasetWindow(ds),
    classes: ds.streams.classes.length,
    pupils: ds.streams.persons.filter((p) => p.role === "student" && p.classId).length,
  };
})();
globalThis.gc?.();
const sim = await startSimulatorProcess(dir, "bench-token");
const db = await openStore({ databaseUrl: url, schema });

async function sync(db: Db): Promise<SyncSummary> {
  const connector = createConnector(
    {
      kind: "dnevnik",
      baseUrl: sim.url,
      token: "bench-token",
      schoolId: sim.schoolId,
      timezone: school.timezone,
      workweek: school.workweek,
    },
    { http: { rateLimit: { requestsPerSecond: rps, burst: 100 } } },
  );
  return runSync(db, connector, {
    source: "bench",
    full: false,
    now: new Date(observedAt),
    ...window,
  });
}

try {
  // The connector's default window (30 days, the only cap working clients show).
  const minimum = minimumRequests({ classes, pupils, ...window });
  const mem = trackPeakRss();
  const t = performance.now();
  const s = await sync(db);
  const secs = (performance.now() - t) / 1000;
  const peak = mem.stop();
  console.log(
    `first sync: ${s.totals.read.toLocaleString("en")} records in ${secs.toFixed(1)} s = ${Math.round(s.totals.read / secs).toLocaleString("en")} records/s, ` +
      `peak RSS ${mib(peak)} (client rate limit ${rps.toLocaleString("en")}/s)`,
  );
  console.log(
    `requests: ${s.requests} made, ${s.retries} retries; minimum for this data ${minimum.total} (${minimum.detail}) → ${(s.requests / minimum.total).toFixed(2)}× the minimum`,
  );
  const t2 = performance.now();
  const again = await sync(db);
  const written = again.totals.inserted + again.totals.updated + again.totals.deleted;
  console.log(
    `no-change re-sync: ${written} rows written, ${again.requests} requests, ${((performance.now() - t2) / 1000).toFixed(1)} s`,
  );
} finally {
  await db.close();
  await dropSchema(schema, url);
  await sim.close();
}
