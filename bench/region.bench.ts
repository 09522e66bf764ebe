// npm run bench:region — many schools on one deployment: 60 generated schools of mixed sizes and presets
// (bench/region-schools.ts), each behind its own Dnevnik.ru simulator (one process apart), are synced,
// checked and reported by `reglament worker` processes sharing BullMQ on real Redis and one PostgreSQL:
// first with 1 worker, then with 2, each from an empty store. One scheduled slot enqueues a sync of every
// source with `chain: true`, so each school goes sync → check → reports-due → its reports on its own.
// Prints schools per minute, the speed-up of the second worker (goal ≥1.7×), the slowest school's lag
// from the slot against the scheduling interval (goal: within one), and each worker's peak memory.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { createQueue } from "../src/queue/create-queue.ts";
import { openStore } from "../src/store/open-store.ts";
import { setSchoolPreset, upsertSchool } from "../src/store/sync-state.ts";
import { addSource } from "../src/sync/sources.ts";
import { deleteKeys } from "../test/queue/redis-test-env.ts";

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 60);
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TOKEN = "region-bench-token";
const SECRET = "region-bench-secret-0123456789abcdef";
/** The default school-hours sync runs every 30 minutes: a school must be done before the next slot. */
const INTERVAL_MIN = 30;
const SPEEDUP_GOAL = 1.7;
// The demo schools live in 2025/26; their monthly reports of September are due on its last school day, the 30th.
const SLOT_DATA = { chain: true, full: true, from: "2025-09-01", to: "2026-08-31", date: "2025-09-30" };

interface SimSchool {
  url: string;
  platformId: string;
  timezone: string;
  workweek: 5 | 6;
  classes: number;
  records: number;
  preset: string;
}

async function startSimulators(): Promise<{ schools: SimSchool[]; close(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/region-simulators.ts", String(SCHOOLS), TOKEN],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).once("line", ok);
    child.once("exit", (code) => fail(new Error(`the simulators' process exited with ${code}`)));
  });
  return {
    schools: JSON.parse(first) as SimSchool[],
    close: () =>
      new Promise<void>((ok) => {
        child.once("exit", () => ok());
        child.stdin.end();
      }),
  };
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Peak resident memory of a live process (Linux VmHWM), in MiB. */
function peakMib(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

interface RunResult {
  seconds: number;
  lagsMin: number[];
  peaksMib: number[];
  failed: number;
  reports: number;
  violations: number;
}

async function run(workers: number, schools: SimSchool[]): Promise<RunResult> {
  const dbName = `bench_region_${Date.now()}_${workers}`;
  await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
  const dbUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();
  const prefix = `bench-region-${dbName}`;
  const work = mkdtempSync(join(tmpdir(), "reglament-region-"));
  const configFile = join(work, "region.yaml");
  writeFileSync(configFile, `queue:\n  prefix: ${prefix}\n  concurrency: 2\noutDir: ${join(work, "out")}\n`);
  process.env.REGLAMENT_SECRET = SECRET;
  const db = await openStore({ databaseUrl: dbUrl });
  const queue = createQueue("reglament", { redisUrl, prefix });
  const children: ReturnType<typeof spawn>[] = [];
  try {
    for (const [i, s] of schools.entries()) {
      const config = {
        baseUrl: s.url,
        token: TOKEN,
        schoolId: s.platformId,
        timezone: s.timezone,
        workweek: s.workweek,
      };
      await addSource(db, {
        id: `region-${i + 1}`,
        kind: "dnevnik",
        config: { ...config, requestsPerSecond: 100 },
      });
      // Each school is checked against its own preset (schools.preset), set before its first sync.
      await upsertSchool(db, {
        id: s.platformId,
        name: `region-${i + 1}`,
        timezone: s.timezone,
        workweek: s.workweek,
      });
      await setSchoolPreset(db, s.platformId, s.preset);
    }
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      REGLAMENT_CONFIG: configFile,
      LOG_LEVEL: "warn",
    };
    for (let w = 0; w < workers; w++) {
      children.push(
        spawn(process.execPath, [resolve("bin/reglament.js"), "worker"], {
          env,
          stdio: ["ignore", "ignore", "inherit"],
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 3000)); // workers connected and idle: their start-up is not timed
    const [{ t0 }] = await db.query<{ t0: Date }>("SELECT now() AS t0");
    const started = performance.now();
    await queue.add("sync", SLOT_DATA, { jobId: "region-slot" });
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const c = await queue.counts();
      if (c.waiting + c.active + c.delayed > 0) continue;
      const [{ n }] = await db.query<{ n: number }>(
        "SELECT count(DISTINCT school_id)::int AS n FROM rule_checks",
      );
      if (n >= schools.length || c.failed > 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const peaksMib = children.map((c) => peakMib(c.pid ?? 0));
    const done = await db.query<{ at: Date }>(
      `SELECT greatest(max(r.finished_at), (SELECT max(f.created_at) FROM report_files f WHERE f.school_id = r.school_id)) AS at
       FROM rule_checks r GROUP BY r.school_id`,
    );
    const [{ reports }] = await db.query<{ reports: number }>(
      "SELECT count(*)::int AS reports FROM report_files",
    );
    const [{ violations }] = await db.query<{ violations: number }>(
      "SELECT count(*)::int AS violations FROM violations",
    );
    return {
      seconds,
      lagsMin: done.map((d) => (d.at.getTime() - t0.getTime()) / 60_000),
      peaksMib,
      failed: (await queue.counts()).failed,
      reports,
      violations,
    };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode === null ? c.once("exit", r) : r(null)))),
    );
    await queue.close();
    await db.close();
    await deleteKeys(prefix);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    rmSync(work, { recursive: true, force: true });
  }
}

const sims = await startSimulators();
try {
  const { schools } = sims;
  const records = schools.reduce((n, s) => n + s.records, 0);
  const sizes = [...new Set(schools.map((s) => s.classes))].sort().join("/");
  console.log(
    `${schools.length} schools of ${sizes} classes (${records.toLocaleString("en")} records in all, ` +
      `${Math.min(...schools.map((s) => s.records)).toLocaleString("en")}–${Math.max(...schools.map((s) => s.records)).toLocaleString("en")} a school), ` +
      `presets ${[...new Set(schools.map((s) => s.preset))].join(", ")}; each synced, checked and reported`,
  );
  const results: RunResult[] = [];
  for (const workers of [1, 2]) {
    const r = await run(workers, schools);
    results.push(r);
    const slowest = Math.max(...r.lagsMin);
    const median = [...r.lagsMin].sort((a, b) => a - b)[Math.floor(r.lagsMin.length / 2)];
    console.log(
      `${workers} worker(s): ${r.seconds.toFixed(1)} s = ${((schools.length / r.seconds) * 60).toFixed(1)} schools/min; ` +
        `slowest school done ${slowest.toFixed(2)} min after the slot (median ${median.toFixed(2)}), goal ≤ ${INTERVAL_MIN} min (the sync interval); ` +
        `peak RSS per worker ${r.peaksMib.map((m) => `${m.toFixed(0)} MiB`).join(", ")}; ` +
        `${r.violations.toLocaleString("en")} findings, ${r.reports} report files, ${r.failed} failed jobs`,
    );
  }
  const speedup = results[0].seconds / results[1].seconds;
  console.log(
    `speed-up of the second worker: ${speedup.toFixed(2)}× (goal ≥${SPEEDUP_GOAL}×, floor 1.00× = one worker; ${speedup >= SPEEDUP_GOAL ? "met" : "missed"})`,
  );
} finally {
  await sims.close();
}
