/**
 * The job queue on BullMQ + Redis, for running workers in several processes. On top of BullMQ:
 * - deterministic ids deduplicate and `add` says whether it was a duplicate;
 * - one job per group at a time (BullMQ OSS has no groups): a Redis lease per group key, see
 *   `group-lock.ts`; a job finding its group busy goes back to "delayed" without spending an attempt;
 * - our ids are free text, BullMQ's may not contain ":" nor be integers, so they are encoded.
 */
import { randomUUID } from "node:crypto";
import { DelayedError, type Job, type JobsOptions, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { jittered } from "./backoffs.ts";
import { PermanentJobError, QueueClosedError, UnknownJobError } from "./errors.ts";
import { RedisGroupLocks } from "./group-lock.ts";
import {
  resolveGroupKey,
  resolveQueueOptions,
  validateAddOptions,
  validateJobData,
  validateJobName,
  validateProcessOptions,
} from "./job-data.ts";
import type {
  AddJobOptions,
  AddJobResult,
  JobCounts,
  JobData,
  JobHandlers,
  JobInfo,
  JobQueue,
  JobState,
  ProcessOptions,
  QueuedJob,
  QueueOptions,
  QueueOptionsInput,
  QueueWorker,
} from "./types.ts";

export interface BullmqQueueOptionsInput extends QueueOptionsInput {
  redisUrl: string;
  /** Redis key prefix; give each deployment (and each test run) its own. Default "reglament". */
  prefix?: string;
  /** Lease of a group lock; renewed every third of it while the job runs. Default 30 s. */
  groupLockTtlMs?: number;
  /** BullMQ's lease on an active job; a job whose worker vanished is retaken after it. Default 30 s. */
  lockDurationMs?: number;
  /** How often workers look for such stalled jobs. Default 30 s. */
  stalledIntervalMs?: number;
  /** Stalls a job survives before it fails (a dropped connection can stall a healthy job). Default 2. */
  maxStalledCount?: number;
}

/** Options we store beside BullMQ's own in the job hash (BullMQ keeps unknown option keys). */
type StoredJobOptions = JobsOptions & {
  /** Group key. */
  rgk?: string;
  /** Token of the `add` call that created the job: tells a duplicate from our own insert. */
  rat?: string;
};

const ID_PREFIX = "r.";

/** Our id → a valid BullMQ id (no ":", never an integer); injective, reversed by `fromBullId`. */
export function toBullId(id: string): string {
  return ID_PREFIX + encodeURIComponent(id);
}

export function fromBullId(bullId: string): string {
  return bullId.startsWith(ID_PREFIX) ? decodeURIComponent(bullId.slice(ID_PREFIX.length)) : bullId;
}

function keepFor(ms: number): boolean | { age: number } {
  return ms <= 0 ? true : { age: Math.max(1, Math.ceil(ms / 1000)) };
}

function jobInfo(job: Job, id: string, state: JobState): JobInfo {
  return {
    id,
    name: job.name,
    data: { ...(job.data as JobData) },
    state,
    attemptsMade: job.attemptsMade,
    timestamp: job.timestamp,
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
  };
}

function toState(state: string): JobState {
  switch (state) {
    case "active":
    case "delayed":
    case "completed":
    case "failed":
      return state;
    default:
      return "waiting"; // waiting, prioritized, waiting-children, paused
  }
}

export class BullmqJobQueue implements JobQueue {
  readonly backend = "bullmq" as const;
  readonly prefix: string;
  private readonly options: QueueOptions;
  private readonly connection: { url: string; connectionName: string };
  private readonly queue: Queue;
  private readonly redis: Redis;
  private readonly groupLocks: RedisGroupLocks;
  private readonly workers = new Set<Worker>();
  private readonly ready: Promise<void>;
  private readonly workerTuning: { lockDuration: number; stalledInterval: number; maxStalledCount: number };
  private closing: Promise<void> | undefined;

  constructor(
    readonly name: string,
    options: BullmqQueueOptionsInput,
  ) {
    const {
      redisUrl,
      prefix,
      groupLockTtlMs,
      lockDurationMs,
      stalledIntervalMs,
      maxStalledCount,
      ...common
    } = options;
    this.workerTuning = {
      lockDuration: lockDurationMs ?? 30_000,
      stalledInterval: stalledIntervalMs ?? 30_000,
      maxStalledCount: maxStalledCount ?? 2,
    };
    this.options = resolveQueueOptions(common);
    this.prefix = prefix ?? "reglament";
    // Every connection is named after the queue, so operators (and tests) can find its clients.
    this.connection = { url: redisUrl, connectionName: `${this.prefix}:${name}` };
    this.queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
    this.queue.on("error", (err) => this.options.logger.warn(`queue ${name}: ${err.message}`));
    this.redis = new Redis(redisUrl, { connectionName: this.connection.connectionName });
    this.redis.on("error", (err) => this.options.logger.warn(`queue ${name} redis: ${err.message}`));
    this.groupLocks = new RedisGroupLocks(
      this.redis,
      `${this.prefix}:${name}:group-lock`,
      groupLockTtlMs ?? 30_000,
      this.options.logger,
    );
    const { globalConcurrency } = this.options;
    this.ready =
      globalConcurrency === undefined ? Promise.resolve() : this.applyGlobalConcurrency(globalConcurrency);
  }

  /** The limit lives in Redis (queue meta); workers start once it is set, so none runs past it. */
  private async applyGlobalConcurrency(limit: number): Promise<void> {
    for (;;) {
      try {
        await this.queue.setGlobalConcurrency(limit);
        return;
      } catch (err) {
        if (this.closing) return;
        this.options.logger.warn(
          `queue ${this.name}: cannot set global concurrency yet: ${(err as Error).message}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  async add(name: string, data: JobData, opts?: AddJobOptions): Promise<AddJobResult> {
    if (this.closing) throw new QueueClosedError(this.name);
    validateJobName(name);
    const checkedData = validateJobData(name, data);
    const checkedOpts = validateAddOptions(opts);
    const id = checkedOpts.jobId ?? randomUUID();
    const bullId = toBullId(id);
    const token = randomUUID();
    const backoffMs = checkedOpts.backoffMs ?? this.options.defaultBackoffMs;
    const jobOpts: StoredJobOptions = {
      jobId: bullId,
      attempts: checkedOpts.attempts ?? this.options.defaultAttempts,
      backoff: { type: "exponential", delay: backoffMs },
      removeOnComplete: keepFor(this.options.keepCompletedMs),
      removeOnFail: keepFor(this.options.keepFailedMs),
      rat: token,
    };
    if (checkedOpts.delayMs) jobOpts.delay = checkedOpts.delayMs;
    const groupKey = resolveGroupKey(checkedData, checkedOpts);
    if (groupKey) jobOpts.rgk = groupKey;
    // BullMQ adds atomically and returns the existing id for a duplicate without saying so;
    // the stored token tells whose insert it was, even when several processes race.
    await this.queue.add(name, checkedData, jobOpts);
    const storedOpts = await this.redis.hget(this.queue.toKey(bullId), "opts");
    const duplicate = storedOpts !== null && (JSON.parse(storedOpts) as StoredJobOptions).rat !== token;
    return { id, duplicate };
  }

  process(handlers: JobHandlers, opts: ProcessOptions): QueueWorker {
    if (this.closing) throw new QueueClosedError(this.name);
    const { concurrency } = validateProcessOptions(opts);
    const worker = new Worker(this.name, (job, token) => this.runJob(handlers, job, token), {
      connection: { ...this.connection, maxRetriesPerRequest: null },
      prefix: this.prefix,
      concurrency,
      autorun: false,
      ...this.workerTuning,
    });
    worker.on("error", (err) => this.options.logger.warn(`worker ${this.name}: ${err.message}`));
    worker.on("failed", (job) => {
      if (job?.finishedOn) {
        this.options.logger.warn(
          `job ${job.name} ${fromBullId(job.id ?? "")} failed after ${job.attemptsMade} attempt(s)`,
        );
      }
    });
    this.workers.add(worker);
    this.ready
      .then(() => (this.closing ? undefined : worker.run()))
      .catch((err: Error) => this.options.logger.error(`worker ${this.name} stopped: ${err.message}`));
    return {
      close: async () => {
        await worker.close();
        this.workers.delete(worker);
      },
    };
  }

  async counts(): Promise<JobCounts> {
    const c = await this.queue.getJobCounts(
      "waiting",
      "prioritized",
      "active",
      "delayed",
      "completed",
      "failed",
    );
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    const job = await this.queue.getJob(toBullId(id));
    if (!job) return undefined;
    const state = await job.getState();
    if (state === "unknown") return undefined;
    return jobInfo(job, id, toState(state));
  }

  async list(state: JobState | undefined, limit: number): Promise<JobInfo[]> {
    const types = state ? (state === "waiting" ? ["waiting", "prioritized"] : [state]) : undefined;
    const jobs = await this.queue.getJobs(
      (types ?? ["waiting", "prioritized", "active", "delayed", "completed", "failed"]) as never,
      0,
      Math.max(0, limit - 1),
    );
    const infos = await Promise.all(
      jobs
        .filter((j): j is Job => Boolean(j?.id))
        .map(async (j) => jobInfo(j, fromBullId(j.id as string), state ?? toState(await j.getState()))),
    );
    return infos.sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0)).slice(0, limit);
  }

  async retry(id: string): Promise<boolean> {
    const job = await this.queue.getJob(toBullId(id));
    if (!job || (await job.getState()) !== "failed") return false;
    await job.retry("failed", { resetAttemptsMade: true });
    return true;
  }

  async drain(): Promise<void> {
    await this.queue.drain(true);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.workers].map((worker) => worker.close()));
      this.workers.clear();
      await this.queue.close();
      await this.redis.quit().catch(() => this.redis.disconnect());
    })();
    return this.closing;
  }

  private async runJob(handlers: JobHandlers, job: Job, token: string | undefined): Promise<unknown> {
    const opts = job.opts as StoredJobOptions;
    const queued: QueuedJob = {
      id: fromBullId(job.id ?? ""),
      name: job.name,
      data: { ...(job.data as JobData) },
      attempt: job.attemptsMade + 1,
      attempts: opts.attempts ?? 1,
      groupKey: opts.rgk,
    };
    const handler = handlers[job.name];
    if (!handler) throw new UnrecoverableError(new UnknownJobError(job.name).message);

    const lock = queued.groupKey ? await this.groupLocks.tryAcquire(queued.groupKey) : undefined;
    if (queued.groupKey && !lock) {
      // Group busy: back to "delayed" without spending an attempt (DelayedError tells BullMQ so).
      await job.moveToDelayed(Date.now() + jittered(this.options.groupRetryDelayMs), token);
      throw new DelayedError();
    }
    try {
      return await handler(queued);
    } catch (err) {
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    } finally {
      await lock?.release();
    }
  }
}

export function createBullmqQueue(name: string, options: BullmqQueueOptionsInput): BullmqJobQueue {
  return new BullmqJobQueue(name, options);
}
