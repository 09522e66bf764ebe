/**
 * In-process job queue: the same contract and semantics as the BullMQ queue (dedupe by id, retries
 * with exponential backoff, one job per group at a time, per-worker and global concurrency) for
 * running reglament without Redis. State lives in this process only.
 */
import { randomUUID } from "node:crypto";
import { exponentialBackoffMs } from "./backoffs.ts";
import { PermanentJobError, QueueClosedError, UnknownJobError } from "./errors.ts";
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
  QueueOptions,
  QueueOptionsInput,
  QueueWorker,
} from "./types.ts";

interface MemoryJob {
  id: string;
  name: string;
  data: JobData;
  groupKey: string | undefined;
  attempts: number;
  backoffMs: number;
  state: JobState;
  attemptsMade: number;
  /** Order of entry into the waiting list: first in, first out. */
  seq: number;
  finishedAt?: number;
  addedAt: number;
  failedReason?: string;
  timer?: NodeJS.Timeout;
}

interface MemoryWorker {
  handlers: JobHandlers;
  concurrency: number;
  active: number;
  closed: boolean;
  running: Set<Promise<void>>;
}

export class MemoryJobQueue implements JobQueue {
  readonly backend = "memory" as const;
  private readonly options: QueueOptions;
  private readonly jobs = new Map<string, MemoryJob>();
  private waiting: MemoryJob[] = [];
  private readonly workers: MemoryWorker[] = [];
  private readonly busyGroups = new Set<string>();
  private active = 0;
  private seq = 0;
  private closed = false;
  private pumpScheduled = false;

  constructor(
    readonly name: string,
    options: QueueOptionsInput = {},
  ) {
    this.options = resolveQueueOptions(options);
  }

  async add(name: string, data: JobData, opts?: AddJobOptions): Promise<AddJobResult> {
    if (this.closed) throw new QueueClosedError(this.name);
    validateJobName(name);
    const checkedData = validateJobData(name, data);
    const checkedOpts = validateAddOptions(opts);
    const id = checkedOpts.jobId ?? randomUUID();
    this.sweep();
    if (this.jobs.has(id)) return { id, duplicate: true };
    const job: MemoryJob = {
      id,
      name,
      data: checkedData,
      groupKey: resolveGroupKey(checkedData, checkedOpts),
      attempts: checkedOpts.attempts ?? this.options.defaultAttempts,
      backoffMs: checkedOpts.backoffMs ?? this.options.defaultBackoffMs,
      state: "waiting",
      attemptsMade: 0,
      seq: 0,
      addedAt: Date.now(),
    };
    this.jobs.set(id, job);
    if (checkedOpts.delayMs) this.delay(job, checkedOpts.delayMs);
    else this.enqueue(job);
    return { id, duplicate: false };
  }

  process(handlers: JobHandlers, opts: ProcessOptions): QueueWorker {
    if (this.closed) throw new QueueClosedError(this.name);
    const { concurrency } = validateProcessOptions(opts);
    const worker: MemoryWorker = { handlers, concurrency, active: 0, closed: false, running: new Set() };
    this.workers.push(worker);
    this.schedulePump();
    return {
      close: async () => {
        worker.closed = true;
        await Promise.all([...worker.running]);
      },
    };
  }

  async counts(): Promise<JobCounts> {
    this.sweep();
    const counts: JobCounts = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 };
    for (const job of this.jobs.values()) counts[job.state]++;
    return counts;
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    this.sweep();
    const job = this.jobs.get(id);
    return job ? this.info(job) : undefined;
  }

  async list(state: JobState | undefined, limit: number): Promise<JobInfo[]> {
    this.sweep();
    return [...this.jobs.values()]
      .filter((j) => !state || j.state === state)
      .reverse()
      .slice(0, limit)
      .map((j) => this.info(j));
  }

  async retry(id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (job?.state !== "failed" || this.closed) return false;
    job.attemptsMade = 0;
    job.failedReason = undefined;
    job.finishedAt = undefined;
    this.enqueue(job);
    return true;
  }

  private info(job: MemoryJob): JobInfo {
    return {
      id: job.id,
      name: job.name,
      data: { ...job.data },
      state: job.state,
      attemptsMade: job.attemptsMade,
      timestamp: job.addedAt,
      ...(job.failedReason !== undefined ? { failedReason: job.failedReason } : {}),
    };
  }

  async drain(): Promise<void> {
    for (const job of [...this.jobs.values()]) {
      if (job.state === "waiting" || job.state === "delayed") {
        clearTimeout(job.timer);
        this.jobs.delete(job.id);
      }
    }
    this.waiting = [];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    for (const worker of this.workers) worker.closed = true;
    await Promise.all(this.workers.flatMap((worker) => [...worker.running]));
  }

  /** Forgets finished jobs past their keep window, so their ids can be added again. */
  private sweep(): void {
    const now = Date.now();
    for (const job of this.jobs.values()) {
      const keepMs =
        job.state === "completed"
          ? this.options.keepCompletedMs
          : job.state === "failed"
            ? this.options.keepFailedMs
            : undefined;
      if (keepMs !== undefined && job.finishedAt !== undefined && now - job.finishedAt >= keepMs) {
        this.jobs.delete(job.id);
      }
    }
  }

  private enqueue(job: MemoryJob): void {
    job.state = "waiting";
    job.seq = this.seq++;
    this.waiting.push(job);
    this.schedulePump();
  }

  private delay(job: MemoryJob, delayMs: number): void {
    job.state = "delayed";
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (!this.closed && this.jobs.get(job.id) === job) this.enqueue(job);
    }, delayMs);
  }

  /** Pumps on a later microtask: handlers never run inside `add`, and bursts of adds pump once. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Starts every job that a free worker slot, the global limit and its group allow. */
  private pump(): void {
    if (this.closed) return;
    for (const worker of this.workers) {
      while (!worker.closed && worker.active < worker.concurrency && this.underGlobalLimit()) {
        const index = this.waiting.findIndex((job) => !job.groupKey || !this.busyGroups.has(job.groupKey));
        if (index < 0) return;
        const [job] = this.waiting.splice(index, 1);
        this.start(job, worker);
      }
    }
  }

  private underGlobalLimit(): boolean {
    return this.options.globalConcurrency === undefined || this.active < this.options.globalConcurrency;
  }

  private start(job: MemoryJob, worker: MemoryWorker): void {
    job.state = "active";
    this.active++;
    worker.active++;
    if (job.groupKey) this.busyGroups.add(job.groupKey);
    const run = this.run(job, worker).finally(() => {
      worker.running.delete(run);
      this.active--;
      worker.active--;
      if (job.groupKey) this.busyGroups.delete(job.groupKey);
      this.schedulePump();
    });
    worker.running.add(run);
  }

  private async run(job: MemoryJob, worker: MemoryWorker): Promise<void> {
    const handler = worker.handlers[job.name];
    try {
      if (!handler) throw new UnknownJobError(job.name);
      await handler({
        id: job.id,
        name: job.name,
        data: { ...job.data },
        attempt: job.attemptsMade + 1,
        attempts: job.attempts,
        groupKey: job.groupKey,
      });
      job.attemptsMade++;
      job.state = "completed";
      job.finishedAt = Date.now();
    } catch (err) {
      job.attemptsMade++;
      const permanent = err instanceof PermanentJobError || err instanceof UnknownJobError;
      if (permanent || job.attemptsMade >= job.attempts) {
        job.state = "failed";
        job.finishedAt = Date.now();
        job.failedReason = err instanceof Error ? err.message : String(err);
        this.options.logger.warn(`job ${job.name} ${job.id} failed after ${job.attemptsMade} attempt(s)`);
      } else if (this.closed) {
        job.state = "delayed"; // closing: the retry is owed but no timer runs any more
      } else {
        this.delay(job, exponentialBackoffMs(job.backoffMs, job.attemptsMade));
      }
    }
  }
}

export function createMemoryQueue(name: string, options: QueueOptionsInput = {}): MemoryJobQueue {
  return new MemoryJobQueue(name, options);
}
