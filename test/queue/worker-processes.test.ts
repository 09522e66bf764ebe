// `reglament worker` processes sharing BullMQ on real Redis and one PostgreSQL store (issue 12): two
// workers never run one source's sync twice at once, though they do run different sources side by side;
// a worker killed (SIGKILL) in the middle of a sync loses nothing: once its job's lease ends (the config's
// queue.lockDurationMs, small here) the other worker takes the job over and finishes it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import pg from "pg";
import { createQueue } from "../../src/queue/create-queue.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { addSource } from "../../src/sync/sources.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { type SimulatedSource, startSimulatedSource } from "../sync/support/simulated-source.ts";
import { deleteKeys, redisUrl, requireRedis, uniquePrefix } from "./redis-test-env.ts";
import { sleep, waitFor } from "./wait.ts";

const DATABASE_URL = process.env.DATABASE_URL;
const SECRET = "worker-processes-secret-0123456789ab";
const WINDOW = { from: "2025-09-01", to: "2026-08-31" };

/** A check asked a few times a second (waitFor's own pace would load the store and Redis). */
const every = (ms: number, check: () => Promise<boolean>) => async () => {
  await sleep(ms);
  return check();
};

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("reglament worker processes on Redis and PostgreSQL", function () {
  this.timeout(240_000);
  const prefix = uniquePrefix("workers");
  const dbName = `t_workers_${Date.now()}`;
  const work = mkdtempSync(join(tmpdir(), "reglament-workers-"));
  let db: Db;
  let queue: JobQueue;
  const sims: SimulatedSource[] = [];
  const workers: ChildProcess[] = [];
  const secret = process.env.REGLAMENT_SECRET;

  function startWorker(): ChildProcess {
    const env = {
      ...process.env,
      DATABASE_URL: Object.assign(new URL(DATABASE_URL ?? ""), { pathname: `/${dbName}` }).toString(),
      REDIS_URL: redisUrl,
      REGLAMENT_CONFIG: join(work, "config.yaml"),
      REGLAMENT_SECRET: SECRET,
      LOG_LEVEL: "warn",
    };
    const child = spawn(process.execPath, [resolve("bin/reglament.js"), "worker"], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    workers.push(child);
    return child;
  }

  /** A source on its own simulated school (its own platform id), answering after `latencyMs`. */
  async function source(id: string, latencyMs: number): Promise<void> {
    const ds = tinySchool();
    ds.manifest.school = { ...ds.manifest.school, id: `school-${id}` };
    const sim = await startSimulatedSource("dnevnik", ds);
    sim.setFaults({ latencyMs });
    sims.push(sim);
    await addSource(db, { id, kind: "dnevnik", config: sim.config });
  }

  const runsOf = (source: string) =>
    db.query<{ status: string; started_at: Date; finished_at: Date | null }>(
      "SELECT status, started_at, finished_at FROM sync_runs WHERE source = $1 ORDER BY started_at",
      [source],
    );

  before(async function () {
    await requireRedis(this);
    if (!DATABASE_URL) {
      if (process.env.CI === "true") throw new Error("CI=true but DATABASE_URL is not set");
      this.skip();
    }
    process.env.REGLAMENT_SECRET = SECRET;
    // Short leases, so that a killed worker's job is taken over in about a second.
    writeFileSync(
      join(work, "config.yaml"),
      `queue:\n  prefix: ${prefix}\n  concurrency: 2\n  lockDurationMs: 1000\n  stalledIntervalMs: 500\n  groupLockTtlMs: 1000\noutDir: ${join(work, "out")}\n`,
    );
    await admin(`CREATE DATABASE ${dbName}`);
    db = await openStore({
      databaseUrl: Object.assign(new URL(DATABASE_URL), { pathname: `/${dbName}` }).toString(),
    });
    queue = createQueue("reglament", { redisUrl, prefix });
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) {
      if (w.exitCode === null && w.signalCode === null) {
        const exited = new Promise((r) => w.once("exit", r));
        w.kill("SIGTERM");
        await exited;
      }
    }
  });

  after(async () => {
    await queue?.close();
    await db?.close();
    for (const s of sims) await s.close();
    await deleteKeys(prefix);
    if (DATABASE_URL) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(work, { recursive: true, force: true });
    if (secret === undefined) delete process.env.REGLAMENT_SECRET;
    else process.env.REGLAMENT_SECRET = secret;
  });

  it("never runs one source's sync twice at once, while two workers sync different sources side by side", async () => {
    await source("alpha", 40);
    await source("beta", 40);
    startWorker();
    startWorker();
    for (let i = 0; i < 4; i++) {
      await queue.add("sync", { sourceId: "alpha", ...WINDOW }, { jobId: `alpha-${i}` });
      await queue.add("sync", { sourceId: "beta", ...WINDOW }, { jobId: `beta-${i}` });
    }
    await waitFor(
      "8 syncs done",
      every(200, async () => (await queue.counts()).completed === 8),
      180_000,
    );
    const overlaps = (runs: { started_at: Date; finished_at: Date | null }[], others = runs) =>
      runs.some((a) =>
        others.some(
          (b) =>
            a !== b &&
            a.started_at < (b.finished_at ?? new Date()) &&
            b.started_at < (a.finished_at ?? new Date()),
        ),
      );
    const alpha = await runsOf("alpha");
    const beta = await runsOf("beta");
    expect(alpha.map((r) => r.status)).to.deep.equal(["ok", "ok", "ok", "ok"]);
    expect(beta.map((r) => r.status)).to.deep.equal(["ok", "ok", "ok", "ok"]);
    expect(overlaps(alpha), "two syncs of alpha at once").to.equal(false);
    expect(overlaps(beta), "two syncs of beta at once").to.equal(false);
    expect(overlaps(alpha, beta), "alpha and beta never ran side by side: nothing was tested").to.equal(true);
  });

  it("finishes on another worker the sync of a worker killed in the middle of it", async () => {
    await source("gamma", 250);
    const first = startWorker();
    const job = await queue.add("sync", { sourceId: "gamma", ...WINDOW }, { jobId: "gamma-killed" });
    await waitFor(
      "gamma running",
      every(100, async () => (await runsOf("gamma")).some((r) => r.status === "running")),
      120_000,
    );
    const killed = new Promise((r) => first.once("exit", r));
    first.kill("SIGKILL");
    await killed;
    expect((await runsOf("gamma")).map((r) => r.status)).to.deep.equal(["running"]);
    startWorker();
    await waitFor(
      "gamma done",
      every(200, async () => (await queue.getJob(job.id))?.state === "completed"),
      120_000,
    );
    const runs = await runsOf("gamma");
    expect(runs.map((r) => r.status)).to.deep.equal(["running", "ok"]);
    const [{ n }] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM lessons l JOIN sources s ON s.school_id = l.school_id WHERE s.id = 'gamma'",
    );
    expect(n, "every lesson of the school is in the store").to.equal(tinySchool().streams.lessons.length);
  });
});
