/**
 * One behavioural suite for every JobQueue implementation: the BullMQ and the in-process queue must
 * be interchangeable. Call `queueBehaviour(make)` inside a describe; `make` returns a fresh queue.
 */
import { expect } from "chai";
import {
  InvalidJobDataError,
  InvalidJobOptionsError,
  JobDataTooLargeError,
  PermanentJobError,
} from "../../src/queue/errors.ts";
import type { JobQueue, QueuedJob, QueueLogger, QueueOptionsInput } from "../../src/queue/types.ts";
import { OverlapMeter, sleep, waitFor } from "./wait.ts";

export type MakeQueue = (options: QueueOptionsInput) => JobQueue;

export const silentLogger: QueueLogger = { warn: () => undefined, error: () => undefined };

/** Options that keep the suite fast: short backoffs and group retries. */
export const fastOptions: QueueOptionsInput = {
  defaultBackoffMs: 20,
  groupRetryDelayMs: 20,
  logger: silentLogger,
};

export function queueBehaviour(makeQueue: MakeQueue): void {
  const opened: JobQueue[] = [];
  const open = (options: QueueOptionsInput = {}) => {
    const queue = makeQueue({ ...fastOptions, ...options });
    opened.push(queue);
    return queue;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });

  describe("deduplication by job id", () => {
    it("adding an id already waiting is a duplicate and adds nothing", async () => {
      const queue = open();
      const first = await queue.add("sync", { sourceId: "src-1" }, { jobId: "sync:src-1:a" });
      const again = await queue.add("sync", { sourceId: "src-1" }, { jobId: "sync:src-1:a" });
      const other = await queue.add("sync", { sourceId: "src-1" }, { jobId: "sync:src-1:b" });
      expect(first).to.deep.equal({ id: "sync:src-1:a", duplicate: false });
      expect(again).to.deep.equal({ id: "sync:src-1:a", duplicate: true });
      expect(other.duplicate).to.equal(false);
      expect((await queue.counts()).waiting).to.equal(2);
    });

    it("an id that completed recently is still a duplicate; the job runs once", async () => {
      const queue = open();
      const runs: string[] = [];
      queue.process({ check: async (job) => void runs.push(job.id) }, { concurrency: 1 });
      await queue.add("check", { schoolId: "sch-1" }, { jobId: "check:sch-1" });
      await waitFor("completion", async () => (await queue.counts()).completed === 1);
      const again = await queue.add("check", { schoolId: "sch-1" }, { jobId: "check:sch-1" });
      expect(again.duplicate).to.equal(true);
      await sleep(60);
      expect(runs).to.deep.equal(["check:sch-1"]);
    });

    it("once the keep window is over, the same id can be added and runs again", async () => {
      const queue = open({ keepCompletedMs: 0 });
      const runs: string[] = [];
      queue.process({ check: async (job) => void runs.push(job.id) }, { concurrency: 1 });
      await queue.add("check", {}, { jobId: "check:x" });
      await waitFor("first run", () => runs.length === 1);
      await waitFor("job forgotten", async () => (await queue.getJob("check:x")) === undefined);
      const again = await queue.add("check", {}, { jobId: "check:x" });
      expect(again.duplicate).to.equal(false);
      await waitFor("second run", () => runs.length === 2);
    });

    it("of concurrent adds of one id exactly one is not a duplicate", async () => {
      const queue = open();
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          queue.add("report", { schoolId: "sch-1" }, { jobId: "report:2026-11" }),
        ),
      );
      expect(results.filter((result) => !result.duplicate)).to.have.length(1);
      expect((await queue.counts()).waiting).to.equal(1);
    });

    it("ids with colons, slashes and digits only are kept as given", async () => {
      const queue = open();
      for (const jobId of ["slot:2026-11-25T05:30Z", "a/b c", "12345"]) {
        expect(await queue.add("sync", {}, { jobId })).to.deep.equal({ id: jobId, duplicate: false });
        expect((await queue.getJob(jobId))?.state).to.equal("waiting");
      }
    });
  });

  describe("listing and retrying (the console's queue page)", () => {
    it("lists jobs newest first by state, and a failed job retried runs again", async () => {
      const queue = open();
      let fail = true;
      queue.process(
        {
          sync: async () => {
            if (fail) throw new PermanentJobError("bad token");
          },
        },
        { concurrency: 1 },
      );
      await queue.add("sync", { sourceId: "src-1" }, { jobId: "list-a", attempts: 1 });
      await waitFor("failure", async () => (await queue.getJob("list-a"))?.state === "failed");
      await queue.add("check", { schoolId: "sch-1" }, { jobId: "list-b", delayMs: 60_000 });
      const all = await queue.list(undefined, 10);
      expect(all.map((j) => j.id)).to.have.members(["list-a", "list-b"]);
      expect(all.every((j) => typeof j.timestamp === "number")).to.equal(true);
      const failed = await queue.list("failed", 10);
      expect(failed.map((j) => [j.id, j.state, j.failedReason])).to.deep.equal([
        ["list-a", "failed", "bad token"],
      ]);
      expect((await queue.list("delayed", 10)).map((j) => j.id)).to.deep.equal(["list-b"]);
      expect(await queue.retry("list-b")).to.equal(false);
      expect(await queue.retry("no-such-job")).to.equal(false);
      fail = false;
      expect(await queue.retry("list-a")).to.equal(true);
      await waitFor("completion", async () => (await queue.getJob("list-a"))?.state === "completed");
    });
  });

  describe("retries", () => {
    it("retries with exponential backoff, then succeeds", async () => {
      const queue = open();
      const tries: { attempt: number; at: number }[] = [];
      queue.process(
        {
          sync: async (job) => {
            tries.push({ attempt: job.attempt, at: Date.now() });
            if (job.attempt < 3) throw new Error("platform down");
          },
        },
        { concurrency: 1 },
      );
      await queue.add("sync", { sourceId: "src-1" }, { jobId: "retry-ok", attempts: 3, backoffMs: 60 });
      await waitFor("completion", async () => (await queue.getJob("retry-ok"))?.state === "completed");
      expect(tries.map((t) => t.attempt)).to.deep.equal([1, 2, 3]);
      const firstGap = tries[1].at - tries[0].at;
      const secondGap = tries[2].at - tries[1].at;
      expect(firstGap).to.be.at.least(55); // 60 ms
      expect(secondGap).to.be.at.least(115); // 120 ms: doubled
      const info = await queue.getJob("retry-ok");
      expect(info?.attemptsMade).to.equal(3);
    });

    it("fails after the allowed attempts and runs no more", async () => {
      const queue = open();
      let calls = 0;
      queue.process(
        {
          sync: async () => {
            calls++;
            throw new Error("token expired");
          },
        },
        { concurrency: 1 },
      );
      await queue.add("sync", { sourceId: "src-1" }, { jobId: "retry-fail", attempts: 2, backoffMs: 10 });
      await waitFor("failure", async () => (await queue.getJob("retry-fail"))?.state === "failed");
      await sleep(80);
      expect(calls).to.equal(2);
      const info = await queue.getJob("retry-fail");
      expect(info?.failedReason).to.equal("token expired");
      expect(info?.attemptsMade).to.equal(2);
      expect(await queue.counts()).to.include({ failed: 1, completed: 0, delayed: 0, waiting: 0 });
      expect((await queue.add("sync", { sourceId: "src-1" }, { jobId: "retry-fail" })).duplicate).to.equal(
        true,
      );
    });

    it("a PermanentJobError fails the job without the remaining retries", async () => {
      const queue = open();
      let calls = 0;
      queue.process(
        {
          sync: async () => {
            calls++;
            throw new PermanentJobError("source deleted");
          },
        },
        { concurrency: 1 },
      );
      await queue.add("sync", { sourceId: "gone" }, { jobId: "perm", attempts: 5 });
      await waitFor("failure", async () => (await queue.getJob("perm"))?.state === "failed");
      expect(calls).to.equal(1);
      expect((await queue.getJob("perm"))?.failedReason).to.equal("source deleted");
    });

    it("a job with no handler fails at once, naming the job", async () => {
      const queue = open();
      queue.process({ sync: async () => undefined }, { concurrency: 1 });
      await queue.add("archive", { schoolId: "sch-1" }, { jobId: "no-handler", attempts: 3 });
      await waitFor("failure", async () => (await queue.getJob("no-handler"))?.state === "failed");
      const info = await queue.getJob("no-handler");
      expect(info?.failedReason).to.contain('"archive"');
      expect(info?.attemptsMade).to.equal(1);
    });
  });

  describe("concurrency", () => {
    it("never runs two jobs of one source at once, but runs two sources together", async () => {
      const queue = open();
      const meter = new OverlapMeter();
      const done: string[] = [];
      const handler = async (job: QueuedJob) => {
        await meter.measure(job.groupKey ?? "-", () => sleep(40));
        done.push(job.id);
      };
      // Two workers: the limit must hold across workers, not only inside one.
      queue.process({ sync: handler }, { concurrency: 3 });
      queue.process({ sync: handler }, { concurrency: 3 });
      for (let i = 0; i < 4; i++) await queue.add("sync", { sourceId: "src-a" }, { jobId: `a-${i}` });
      for (let i = 0; i < 2; i++) await queue.add("sync", { sourceId: "src-b" }, { jobId: `b-${i}` });
      await waitFor("all six jobs", async () => (await queue.counts()).completed === 6);
      expect(done).to.have.length(6);
      expect(meter.maxByKey.get("src-a")).to.equal(1);
      expect(meter.maxByKey.get("src-b")).to.equal(1);
      expect(meter.overlappingKeys.has("src-a+src-b")).to.equal(true);
      expect((await queue.counts()).failed).to.equal(0);
    });

    it("an explicit group key overrides the source", async () => {
      const queue = open();
      const meter = new OverlapMeter();
      let done = 0;
      queue.process(
        {
          report: async (job) => {
            await meter.measure(job.groupKey ?? "-", () => sleep(30));
            done++;
          },
        },
        { concurrency: 4 },
      );
      for (const sourceId of ["s1", "s2", "s3"])
        await queue.add("report", { sourceId }, { groupKey: "school:sch-1" });
      await waitFor("three jobs", () => done === 3);
      expect(meter.maxByKey.get("school:sch-1")).to.equal(1);
    });

    it("jobs with no group run up to the worker's concurrency", async () => {
      const queue = open();
      const meter = new OverlapMeter();
      let done = 0;
      queue.process(
        {
          deliver: async () => {
            await meter.measure("-", () => sleep(50));
            done++;
          },
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 7; i++) await queue.add("deliver", { outboxId: `o-${i}` });
      await waitFor("seven jobs", () => done === 7);
      expect(meter.maxRunning).to.equal(3);
    });

    it("global concurrency caps jobs running across all workers", async () => {
      const queue = open({ globalConcurrency: 2 });
      const meter = new OverlapMeter();
      let done = 0;
      const deliver = async () => {
        await meter.measure("-", () => sleep(50));
        done++;
      };
      queue.process({ deliver }, { concurrency: 3 });
      queue.process({ deliver }, { concurrency: 3 });
      for (let i = 0; i < 8; i++) await queue.add("deliver", { outboxId: `o-${i}` });
      await waitFor("eight jobs", () => done === 8);
      expect(meter.maxRunning).to.equal(2);
    });
  });

  describe("jobs carry ids only", () => {
    it("hands the handler exactly the ids it was given", async () => {
      const queue = open();
      const seen: QueuedJob[] = [];
      queue.process({ sync: async (job) => void seen.push(job) }, { concurrency: 1 });
      await queue.add(
        "sync",
        { sourceId: "src-1", schoolId: "sch-1", full: true, page: 2, cursor: undefined },
        { jobId: "ids", attempts: 4 },
      );
      await waitFor("run", () => seen.length === 1);
      expect(seen[0]).to.deep.include({
        id: "ids",
        name: "sync",
        attempt: 1,
        attempts: 4,
        groupKey: "src-1",
      });
      expect(seen[0].data).to.deep.equal({ sourceId: "src-1", schoolId: "sch-1", full: true, page: 2 });
    });

    it("rejects data over 2 KB with a clear error and queues nothing", async () => {
      const queue = open();
      const err = await queue
        .add("report", { schoolId: "sch-1", html: "x".repeat(3000) })
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(JobDataTooLargeError);
      expect((err as Error).message).to.match(/over the 2048-byte limit.*ids only/);
      expect(await queue.counts()).to.deep.equal({
        waiting: 0,
        active: 0,
        delayed: 0,
        completed: 0,
        failed: 0,
      });
    });

    it("rejects nested objects, arrays and non-finite numbers", async () => {
      const queue = open();
      const bad: unknown[] = [
        { schoolId: "sch-1", marks: [5, 4] },
        { schoolId: "sch-1", student: { id: "p1" } },
        { schoolId: "sch-1", ratio: Number.POSITIVE_INFINITY },
        { schoolId: 42 },
        [{ schoolId: "sch-1" }],
        null,
        new Date(),
      ];
      for (const data of bad) {
        const err = await queue.add("check", data as never).catch((e: unknown) => e);
        expect(err, JSON.stringify(data)).to.be.instanceOf(InvalidJobDataError);
      }
      expect((await queue.counts()).waiting).to.equal(0);
    });

    it("rejects bad names and options", async () => {
      const queue = open();
      const attempts = [
        () => queue.add("", {}),
        () => queue.add("sync", {}, { attempts: 0 }),
        () => queue.add("sync", {}, { delayMs: -1 }),
        () => queue.add("sync", {}, { jobId: "" }),
        () => queue.add("sync", {}, { priority: 1 } as never),
      ];
      for (const attempt of attempts) {
        expect(await attempt().catch((e: unknown) => e)).to.be.instanceOf(InvalidJobOptionsError);
      }
      expect(() => queue.process({}, { concurrency: 0 })).to.throw(InvalidJobOptionsError);
    });
  });

  describe("delay, drain and close", () => {
    it("a delayed job waits for its delay", async () => {
      const queue = open();
      let ranAt = 0;
      queue.process(
        {
          sync: async () => {
            ranAt = Date.now();
          },
        },
        { concurrency: 1 },
      );
      const addedAt = Date.now();
      await queue.add("sync", {}, { jobId: "later", delayMs: 150 });
      expect((await queue.getJob("later"))?.state).to.equal("delayed");
      await waitFor("run", () => ranAt > 0);
      expect(ranAt - addedAt).to.be.at.least(140);
    });

    it("drain removes waiting and delayed jobs", async () => {
      const queue = open();
      await queue.add("sync", {}, { jobId: "w1" });
      await queue.add("sync", {}, { jobId: "d1", delayMs: 60_000 });
      await queue.drain();
      expect(await queue.counts()).to.include({ waiting: 0, delayed: 0 });
      expect(await queue.getJob("w1")).to.equal(undefined);
    });

    it("close waits for the running job to finish", async () => {
      const queue = open();
      let finished = false;
      let started = false;
      queue.process(
        {
          archive: async () => {
            started = true;
            await sleep(100);
            finished = true;
          },
        },
        { concurrency: 1 },
      );
      await queue.add("archive", { schoolId: "sch-1" }, { jobId: "slow" });
      await waitFor("start", () => started);
      await queue.close();
      expect(finished).to.equal(true);
    });
  });
}
