// `reglament serve` in process: the scheduler fires a slot, BullMQ on real Redis carries the job (ids
// only), the worker syncs the source from the simulator into the store; a second scheduler on the same
// queue firing the same slot adds nothing.
import { expect } from "chai";
import { jobHandlers } from "../../src/cli/commands/worker.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { createQueue } from "../../src/queue/create-queue.ts";
import { Scheduler } from "../../src/queue/scheduler.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { addSource } from "../../src/sync/sources.ts";
import { deleteKeys, redisUrl, requireRedis, uniquePrefix } from "../queue/redis-test-env.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { type SimulatedSource, startSimulatedSource } from "./support/simulated-source.ts";

async function waitFor(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting");
}

describe("serve: scheduler → BullMQ on Redis → worker → store", function () {
  this.timeout(120_000);
  let sim: SimulatedSource;
  let db: Db;
  const queues: JobQueue[] = [];
  const secret = process.env.REGLAMENT_SECRET;

  before(async function () {
    await requireRedis(this);
  });
  beforeEach(async () => {
    process.env.REGLAMENT_SECRET = "serve-test-secret-0123456789abcdef";
    const ds = tinySchool();
    // The simulator serves the current school year by default; the tiny school lives in 2025/26.
    sim = await startSimulatedSource("dnevnik", ds);
    db = await openStore({});
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close();
    await sim.close();
    await db.close();
    if (secret === undefined) delete process.env.REGLAMENT_SECRET;
    else process.env.REGLAMENT_SECRET = secret;
  });

  it("keeps a source in sync on schedule, each slot once", async () => {
    await addSource(db, { id: "school-a", kind: "dnevnik", config: sim.config });
    const prefix = uniquePrefix("serve");
    const queue = createQueue("reglament", { redisUrl, prefix, defaultBackoffMs: 50 });
    const second = createQueue("reglament", { redisUrl, prefix });
    queues.push(queue, second);
    const worker = queue.process(jobHandlers(db, queue, loadConfig({ env: {} })), { concurrency: 2 });
    const entries = [
      {
        name: "every-30-min",
        cron: "*/30 8-17 * * 1-6",
        timezone: "Europe/Moscow",
        job: { name: "sync", data: { from: "2025-09-01", to: "2026-08-31" } },
      },
    ];
    const a = new Scheduler(queue, entries);
    const b = new Scheduler(second, entries);
    const slot = new Date("2025-10-06T06:30:00Z"); // Monday 09:30 in Moscow
    const first = await a.fireSlot("every-30-min", slot);
    const dup = await b.fireSlot("every-30-min", slot);
    expect(first.duplicate).to.equal(false);
    expect(dup.duplicate).to.equal(true);
    await waitFor(async () => {
      const [r] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sync_runs WHERE status = 'ok'",
      );
      return r.n >= 1;
    });
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM lessons");
    expect(n).to.equal(2);
    const next = await a.fireSlot("every-30-min", new Date("2025-10-06T07:00:00Z"));
    expect(next.duplicate).to.equal(false);
    await waitFor(async () => {
      const [r] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sync_runs WHERE status = 'ok'",
      );
      return r.n >= 2;
    });
    const runs = await db.query<{ counts: { totals: { inserted: number } } }>(
      "SELECT counts FROM sync_runs ORDER BY id",
    );
    expect(runs[1].counts.totals.inserted).to.equal(0);
    await worker.close();
    await deleteKeys(prefix);
  });
});
