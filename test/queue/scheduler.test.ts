import { expect } from "chai";
import { getTasks } from "node-cron";
import { createBullmqQueue } from "../../src/queue/bullmq-queue.ts";
import { ScheduleError } from "../../src/queue/errors.ts";
import { createMemoryQueue } from "../../src/queue/memory-queue.ts";
import { type ScheduleEntryInput, Scheduler, slotJobId } from "../../src/queue/scheduler.ts";
import type { JobQueue } from "../../src/queue/types.ts";
import { fastOptions } from "./queue-behaviour.ts";
import { deleteKeys, redisUrl, requireRedis, uniquePrefix } from "./redis-test-env.ts";

const schoolHours: ScheduleEntryInput = {
  name: "school-hours-sync",
  cron: "*/30 8-17 * * 1-6",
  timezone: "Europe/Moscow",
  job: { name: "sync", data: { sourceId: "src-1", schoolId: "sch-1" } },
};
const nightly: ScheduleEntryInput = {
  name: "nightly-full-sync",
  cron: "0 2 * * *",
  timezone: "Asia/Vladivostok",
  job: { name: "sync", data: { sourceId: "src-1", schoolId: "sch-1", full: true }, attempts: 5 },
};

describe("queue/scheduler", () => {
  const schedulers: Scheduler[] = [];
  const queues: JobQueue[] = [];
  const scheduler = (queue: JobQueue, entries: unknown) => {
    const made = new Scheduler(queue, entries);
    schedulers.push(made);
    return made;
  };
  const memoryQueue = () => {
    const queue = createMemoryQueue("scheduled", fastOptions);
    queues.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await Promise.all(queues.splice(0).map((q) => q.close()));
  });

  it("slotJobId is the schedule and the slot's UTC minute", () => {
    expect(slotJobId("nightly", new Date("2026-11-25T05:30:42.123Z"))).to.equal("nightly:2026-11-25T05:30Z");
    expect(slotJobId("nightly", new Date("2026-11-25T08:30:00+03:00"))).to.equal("nightly:2026-11-25T05:30Z");
    expect(() => slotJobId("nightly", new Date("nope"))).to.throw(ScheduleError);
  });

  it("reads cron fields in the schedule's time zone", () => {
    const s = scheduler(memoryQueue(), [schoolHours, nightly]);
    const at = (iso: string) => s.isSlot("school-hours-sync", new Date(iso));
    expect(at("2026-11-25T05:30:00Z"), "Wed 08:30 MSK").to.equal(true);
    expect(at("2026-11-25T05:30:59Z"), "within the slot minute").to.equal(true);
    expect(at("2026-11-25T04:30:00Z"), "Wed 07:30 MSK").to.equal(false);
    expect(at("2026-11-25T14:30:00Z"), "Wed 17:30 MSK").to.equal(true);
    expect(at("2026-11-25T15:00:00Z"), "Wed 18:00 MSK").to.equal(false);
    expect(at("2026-11-25T05:15:00Z"), "not a half hour").to.equal(false);
    expect(at("2026-11-28T05:30:00Z"), "Sat 08:30 MSK: six-day week").to.equal(true);
    expect(at("2026-11-29T05:30:00Z"), "Sun 08:30 MSK").to.equal(false);
    // 02:00 in Vladivostok (UTC+10) is 16:00 UTC the day before.
    expect(s.isSlot("nightly-full-sync", new Date("2026-11-24T16:00:00Z"))).to.equal(true);
    expect(s.isSlot("nightly-full-sync", new Date("2026-11-25T02:00:00Z"))).to.equal(false);
  });

  it("lists the next slots, each a slot of the schedule", () => {
    const s = scheduler(memoryQueue(), [schoolHours]);
    const slots = s.nextSlots("school-hours-sync", 5);
    expect(slots).to.have.length(5);
    for (const slot of slots) {
      expect(slot.getTime()).to.be.greaterThan(Date.now());
      expect(s.isSlot("school-hours-sync", slot)).to.equal(true);
    }
  });

  it("fireSlot enqueues the schedule's job under the slot id, once", async () => {
    const queue = memoryQueue();
    const s = scheduler(queue, [schoolHours, nightly]);
    const first = await s.fireSlot("nightly-full-sync", new Date("2026-11-24T16:00:07Z"));
    expect(first).to.deep.equal({ id: "nightly-full-sync:2026-11-24T16:00Z", duplicate: false });
    expect((await s.fireSlot("nightly-full-sync", new Date("2026-11-24T16:00:30Z"))).duplicate).to.equal(
      true,
    );
    const job = await queue.getJob(first.id);
    expect(job).to.deep.include({ name: "sync", state: "waiting" });
    expect(job?.data).to.deep.equal({ sourceId: "src-1", schoolId: "sch-1", full: true });
  });

  it("fireSlot refuses a time that is not a slot, and an unknown schedule", async () => {
    const queue = memoryQueue();
    const s = scheduler(queue, [schoolHours]);
    const err = await s
      .fireSlot("school-hours-sync", new Date("2026-11-29T05:30:00Z"))
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ScheduleError);
    expect((err as Error).message).to.contain("not a slot");
    expect(await s.fireSlot("nope", new Date()).catch((e: unknown) => e)).to.be.instanceOf(ScheduleError);
    expect((await queue.counts()).waiting).to.equal(0);
  });

  it("rejects bad schedule entries with the entry and what was expected", () => {
    const queue = memoryQueue();
    const cases: [unknown, RegExp][] = [
      [[{ ...schoolHours, cron: "*/30 8-17 * *" }], /five cron fields/],
      [[{ ...schoolHours, cron: "0 */30 8-17 * * 1-6" }], /five cron fields/],
      [[{ ...schoolHours, cron: "*/30 25 * * *" }], /not a valid cron/],
      [[{ ...schoolHours, timezone: "Europe/Atlantis" }], /time zone/],
      [[schoolHours, schoolHours], /duplicate schedule name/],
      [[{ ...schoolHours, job: { name: "sync", data: { nested: { a: 1 } } } }], /0\.job\.data/],
      [[{ ...schoolHours, job: { name: "sync", data: { note: "x".repeat(3000) } } }], /0\.job\.data.*2048/],
      [[{ ...schoolHours, job: { name: "sync now", data: {} } }], /0\.job\.name/],
    ];
    for (const [entries, message] of cases) {
      expect(() => new Scheduler(queue, entries)).to.throw(ScheduleError, message);
    }
  });

  it("two schedulers on one in-process queue enqueue each slot once", async () => {
    const queue = memoryQueue();
    const a = scheduler(queue, [schoolHours]);
    const b = scheduler(queue, [schoolHours]);
    const slots = ["2026-11-25T05:30:00Z", "2026-11-25T06:00:00Z", "2026-11-25T06:30:00Z"].map(
      (iso) => new Date(iso),
    );
    const results = await Promise.all(
      slots.flatMap((slot) => [a.fireSlot(schoolHours.name, slot), b.fireSlot(schoolHours.name, slot)]),
    );
    expect(results.filter((r) => !r.duplicate)).to.have.length(3);
    expect((await queue.counts()).waiting).to.equal(3);
  });

  it("start runs one clock per entry; stop unregisters them", async () => {
    const before = getTasks().size;
    const s = scheduler(memoryQueue(), [schoolHours, nightly]);
    s.start();
    const running = [...getTasks().values()].filter((task) => task.getStatus() !== "stopped");
    expect(running.map((task) => task.getPattern()).sort()).to.include.members([
      nightly.cron,
      schoolHours.cron,
    ]);
    await s.stop();
    expect(getTasks().size).to.equal(before);
    expect(() => s.start()).to.throw(ScheduleError);
  });

  describe("on Redis", () => {
    const prefix = uniquePrefix("scheduler");
    before(async function () {
      await requireRedis(this);
    });
    after(async () => {
      await deleteKeys(prefix);
    });

    it("two scheduler processes on one Redis queue enqueue one job per slot", async () => {
      // Two queue instances = two processes' worth of connections to the same BullMQ queue.
      const queueA = createBullmqQueue("scheduled", { ...fastOptions, redisUrl, prefix });
      const queueB = createBullmqQueue("scheduled", { ...fastOptions, redisUrl, prefix });
      queues.push(queueA, queueB);
      const a = scheduler(queueA, [schoolHours, nightly]);
      const b = scheduler(queueB, [schoolHours, nightly]);
      const fires: [string, string][] = [
        ["school-hours-sync", "2026-11-25T05:30:00Z"],
        ["school-hours-sync", "2026-11-25T06:00:00Z"],
        ["school-hours-sync", "2026-11-25T06:30:00Z"],
        ["nightly-full-sync", "2026-11-24T16:00:00Z"],
      ];
      const results = await Promise.all(
        fires.flatMap(([name, iso]) => [a.fireSlot(name, new Date(iso)), b.fireSlot(name, new Date(iso))]),
      );
      for (let i = 0; i < fires.length; i++) {
        const pair = results.slice(2 * i, 2 * i + 2);
        expect(pair[0].id).to.equal(pair[1].id);
        expect(
          pair.filter((r) => !r.duplicate),
          pair[0].id,
        ).to.have.length(1);
      }
      expect((await queueA.counts()).waiting).to.equal(fires.length);
      expect((await queueB.getJob("nightly-full-sync:2026-11-24T16:00Z"))?.data).to.deep.equal({
        sourceId: "src-1",
        schoolId: "sch-1",
        full: true,
      });
    });
  });
});
