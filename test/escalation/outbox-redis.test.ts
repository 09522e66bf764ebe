// Escalation delivery through BullMQ on a real Redis and a real SMTP server: retries while the
// server is down, and a worker restart never sends a message twice. Skipped locally without Redis,
// fails under CI=true.
import { expect } from "chai";
import { deliverJobHandlers, enqueueDelivery } from "../../src/escalation/deliver-job.ts";
import { runEscalation } from "../../src/escalation/escalate.ts";
import { listOutbox } from "../../src/escalation/outbox.ts";
import { createQueue } from "../../src/queue/create-queue.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import type { Db } from "../../src/store/db.ts";
import { deleteKeys, redisUrl, requireRedis, uniquePrefix } from "../queue/redis-test-env.ts";
import { waitFor } from "../queue/wait.ts";
import { forEachEngine } from "../support/engines.ts";
import {
  EMAILS,
  loadSchoolWithViolations,
  SCHOOL,
  type Smtp,
  setEmails,
  smtpServer,
  testConfig,
} from "./support/outbox-fixture.ts";

const quiet = { warn: () => undefined, error: () => undefined };
const THURSDAY = new Date("2025-10-09T10:00:00+03:00");

async function sentCount(db: Db): Promise<number> {
  return (await listOutbox(db, { schoolId: SCHOOL, status: "sent" })).length;
}

forEachEngine("escalation outbox on BullMQ (Redis)", (ctx) => {
  let smtp: Smtp | undefined;
  const queues: JobQueue[] = [];
  const prefixes: string[] = [];

  before(async function () {
    await requireRedis(this);
  });

  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close();
    await smtp?.stop();
    smtp = undefined;
    for (const p of prefixes.splice(0)) await deleteKeys(p);
  });

  function bullQueue(prefix: string): JobQueue {
    const q = createQueue("reglament", { redisUrl, prefix, logger: quiet });
    queues.push(q);
    return q;
  }

  it("retries while SMTP refuses connections, delivers once it is up; a restarted worker sends nothing twice", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1"]);
    smtp = await smtpServer({ up: false });
    const prefix = uniquePrefix("escalation");
    prefixes.push(prefix);
    const queue = bullQueue(prefix);
    const channels = { email: smtp.channel() };
    const worker = queue.process(deliverJobHandlers(db, channels), { concurrency: 3 });

    const result = await runEscalation(db, {
      schoolId: SCHOOL,
      now: THURSDAY,
      channels: ["email"],
      config: testConfig({ attempts: 10, backoffMs: 150 }),
      queue,
    });
    expect(result).to.include({ added: 3, enqueued: 3 });
    await waitFor(
      "failed tries recorded",
      async () => (await listOutbox(db, { schoolId: SCHOOL })).every((r) => r.attempts >= 1 && r.lastError),
      15_000,
    );
    expect(smtp.arrived).to.have.length(0);
    expect((await queue.getJob("digest:sch1:t1:2025-10-09"))?.state).to.be.oneOf([
      "delayed",
      "waiting",
      "active",
    ]);

    await smtp.start();
    await waitFor("all three sent", async () => (await sentCount(db)) === 3, 20_000);
    expect(smtp.arrived.map((m) => m.to.join()).sort()).to.deep.equal(
      [EMAILS.d1, EMAILS.t1, EMAILS.t2].sort(),
    );
    await waitFor(
      "jobs completed",
      async () => (await queue.getJob("digest:sch1:t1:2025-10-09"))?.state === "completed",
      5000,
    );

    // Restart: the worker stops, a new one (new queue connection, same Redis queue) takes over.
    await worker.close();
    const queue2 = bullQueue(prefix);
    queue2.process(deliverJobHandlers(db, { email: smtp.channel() }), { concurrency: 3 });
    const again = await runEscalation(db, {
      schoolId: SCHOOL,
      now: new Date("2025-10-09T15:00:00+03:00"),
      channels: ["email"],
      config: testConfig(),
      queue: queue2,
    });
    expect(again).to.include({ added: 0, enqueued: 0 });
    // A redelivered job (as after a crash that lost the job's completion) finds the row sent.
    const replay = await queue2.add(
      "deliver",
      { schoolId: SCHOOL, outboxId: "digest:sch1:t1:2025-10-09" },
      { jobId: "replay-of-t1" },
    );
    await waitFor(
      "replay completed",
      async () => (await queue2.getJob(replay.id))?.state === "completed",
      10_000,
    );
    // Enqueuing the same outbox id again is a no-op while BullMQ remembers it.
    const dup = await enqueueDelivery(
      queue2,
      SCHOOL,
      "digest:sch1:t2:2025-10-09",
      new Date(),
      testConfig().delivery,
    );
    expect(dup.duplicate).to.equal(true);
    expect(smtp.arrived).to.have.length(3);
    expect(await sentCount(db)).to.equal(3);
  });

  it("picks up rows a lost queue never delivered: the next run enqueues them", async () => {
    const db = await ctx.open();
    await loadSchoolWithViolations(db);
    await setEmails(db, ["t1", "t2", "d1"]);
    smtp = await smtpServer();
    // The rows are stored but no queue took them (e.g. Redis was down during the run).
    await runEscalation(db, { schoolId: SCHOOL, now: THURSDAY, channels: ["email"], config: testConfig() });
    expect((await listOutbox(db, { schoolId: SCHOOL, status: "pending" })).length).to.equal(3);
    const prefix = uniquePrefix("escalation-sweep");
    prefixes.push(prefix);
    const queue = bullQueue(prefix);
    queue.process(deliverJobHandlers(db, { email: smtp.channel() }), { concurrency: 2 });
    const later = await runEscalation(db, {
      schoolId: SCHOOL,
      now: new Date("2025-10-09T11:00:00+03:00"),
      channels: ["email"],
      config: testConfig(),
      queue,
    });
    expect(later).to.include({ added: 0, enqueued: 3 });
    await waitFor("all three sent", async () => (await sentCount(db)) === 3, 20_000);
    expect(smtp.arrived).to.have.length(3);
  });
});
