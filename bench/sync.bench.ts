// npm run bench:sync — the large demo school through the Dnevnik.ru simulator into PostgreSQL and into
// PGlite. The floor is the same connector reading and parsing the same simulator answers with no store
// (same run); a first sync is measured against it (goal ≤1.5×), a no-change re-sync against the first
// sync (goal ≤0.5×, rows written must be 0). Also records/s, requests against the minimum the API allows,
// peak memory and this process's CPU time (the machine may be shared: CPU time says what wall time hides).
// The simulator runs in its own process, as the platform would; the client's rate limit is lifted
// (BENCH_RPS to set one) so that the figure is the pipeline's own throughput. BENCH_ENGINES=postgres or
// pglite runs one engine only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minimumRequests } from "../src/connectors/dnevnik/request-budget.ts";
import { createConnector } from "../src/connectors/registry.ts";
import type { Connector } from "../src/connectors/types.ts";
import { datasetWindow } from "../src/dataset/date-window.ts";
import { loadDataset } from "../src/dataset/load.ts";
import type { Db } from "../src/store/db.ts";
import { openStore } from "../src/store/open-store.ts";
import { runSync, type SyncSummary } from "../src/sync/run-sync.ts";
import { dropSchema } from "../test/support/engines.ts";
import { processCpuSecs, trackBackendCpu } from "./cpu-time.ts";
import { largeDemoDir } from "./large-demo.ts";
import { mib, trackPeakRss } from "./peak-memory.ts";
import { startSimulatorProcess } from "./simulator-child.ts";

const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const rps = Number(process.env.BENCH_RPS ?? 100_000);
const engines = (process.env.BENCH_ENGINES ?? "postgres,pglite").split(",");
// The PostgreSQL backends of this run are found by their application name (their CPU time is read).
const app = `bench_sync_${process.pid}`;
process.env.PGAPPNAME = app;
const backends = engines.includes("postgres") ? await trackBackendCpu(url, app) : undefined;
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

function connector(): Connector {
  return createConnector(
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
}

function sync(db: Db): Promise<SyncSummary> {
  return runSync(db, connector(), { source: "bench", full: false, now: new Date(observedAt), ...window });
}

interface Timed<T> {
  value: T;
  secs: number;
  /** CPU seconds of this process (connector, sync and PGlite). */
  cpuSecs: number;
  /** CPU seconds of the simulator's process and of the PostgreSQL backends. */
  simCpuSecs: number;
  dbCpuSecs: number;
  peak: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  globalThis.gc?.();
  const mem = trackPeakRss();
  const cpu = process.cpuUsage();
  const sim0 = processCpuSecs(sim.pid);
  const db0 = (await backends?.total()) ?? 0;
  const t = performance.now();
  const value = await fn();
  const secs = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    value,
    secs,
    cpuSecs: (used.user + used.system) / 1e6,
    simCpuSecs: processCpuSecs(sim.pid) - sim0,
    dbCpuSecs: ((await backends?.total()) ?? 0) - db0,
    peak: mem.stop(),
  };
}

/** The floor: every stream the sync reads, read and parsed by the same connector, nothing stored. */
async function readOnly(): Promise<number> {
  const c = connector();
  const discovery = await c.discover();
  let records = 0;
  for (const stream of discovery.streams) {
    for await (const page of c.read(stream, {
      cursor: null,
      ...window,
      now: new Date(observedAt),
      full: false,
      lastReadAt: null,
    })) {
      records += page.records.length + page.rejected.length;
    }
  }
  await c.close?.();
  return records;
}

const s = (secs: number) => `${secs.toFixed(1)} s`;
const cpu = (t: Timed<unknown>) =>
  `CPU ${s(t.cpuSecs)} here + ${s(t.simCpuSecs)} simulator${t.dbCpuSecs > 0 ? ` + ${s(t.dbCpuSecs)} PostgreSQL` : ""}`;
const ownCpu = (t: Timed<unknown>) => t.cpuSecs + t.dbCpuSecs;

async function bench(label: string, db: Db, floor: Timed<number>): Promise<void> {
  const first = await timed(() => sync(db));
  const f = first.value;
  const ratio = first.secs / floor.secs;
  console.log(
    `${label} first sync: ${f.totals.read.toLocaleString("en")} records (${f.totals.inserted.toLocaleString("en")} inserted, ${f.totals.quarantined} quarantined) in ${s(first.secs)} ` +
      `= ${Math.round(f.totals.read / first.secs).toLocaleString("en")} records/s, ${cpu(first)}, peak RSS ${mib(first.peak)}; ` +
      `${ratio.toFixed(2)}× the floor (goal ≤1.5×: ${ratio <= 1.5 ? "met" : "missed"}), CPU (here + database) ${(ownCpu(first) / ownCpu(floor)).toFixed(2)}× the floor's`,
  );
  const min = minimumRequests({ classes, pupils, ...window });
  console.log(
    `${label} requests: ${f.requests} made, ${f.retries} retries; minimum for this data ${min.total} (${min.detail}) → ${(f.requests / min.total).toFixed(2)}× the minimum`,
  );
  const again = await timed(() => sync(db));
  const a = again.value;
  const written = a.totals.inserted + a.totals.updated + a.totals.deleted;
  const reRatio = again.secs / first.secs;
  console.log(
    `${label} no-change re-sync: ${written} rows written (must be 0), ${a.totals.read.toLocaleString("en")} records read, ${a.requests} requests, ` +
      `${s(again.secs)}, ${cpu(again)}, peak RSS ${mib(again.peak)}; ${reRatio.toFixed(2)}× the first sync (goal ≤0.5×: ${reRatio <= 0.5 ? "met" : "missed"}), ` +
      `CPU (here + database) ${(ownCpu(again) / ownCpu(first)).toFixed(2)}× the first sync's; ${(again.secs / floor.secs).toFixed(2)}× the floor (it reads every answer again)`,
  );
}

try {
  // Twice, the faster counts: the first read also warms up both processes (JIT, the simulator's caches).
  const floors = [await timed(readOnly), await timed(readOnly)];
  const floor = floors[0].secs < floors[1].secs ? floors[0] : floors[1];
  console.log(
    `floor (connector reading and parsing the same answers, no store; faster of ${floors.map((f) => s(f.secs)).join(" and ")}): ${floor.value.toLocaleString("en")} records in ${s(floor.secs)} ` +
      `= ${Math.round(floor.value / floor.secs).toLocaleString("en")} records/s, ${cpu(floor)}, peak RSS ${mib(floor.peak)} (client rate limit ${rps.toLocaleString("en")}/s)`,
  );
  if (engines.includes("postgres")) {
    const schema = `bench_sync_${Date.now()}`;
    const db = await openStore({ databaseUrl: url, schema });
    try {
      await bench("PostgreSQL", db, floor);
    } finally {
      await db.close();
      await dropSchema(schema, url);
    }
  }
  if (engines.includes("pglite")) {
    const dataDir = mkdtempSync(join(tmpdir(), "bench-sync-pglite-"));
    const db = await openStore({ dataDir });
    try {
      await bench("PGlite", db, floor);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  await backends?.stop();
  await sim.close();
}
