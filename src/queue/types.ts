/**
 * The job queue contract shared by every job kind (sync, check, report, archive, deliver) and by both
 * implementations: BullMQ on Redis (`bullmq-queue.ts`) and in-process (`memory-queue.ts`).
 * Jobs carry ids only (a school, a source, a run): never payloads.
 */
import { z } from "zod";

/** Job names: what handlers are registered under ("sync", "check", "report.monthly", …). */
export const jobNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    "1–100 letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

/** One value of job data: ids and small scalars only. */
export const jobScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.undefined()]);

/** Job data: a flat object of ids and scalars; `sourceId` doubles as the default group key. */
export const jobDataSchema = z
  .object({ sourceId: z.string().min(1).optional(), schoolId: z.string().min(1).optional() })
  .catchall(jobScalarSchema);
export type JobData = z.infer<typeof jobDataSchema>;

/** Largest accepted job data, as UTF-8 JSON. */
export const MAX_JOB_DATA_BYTES = 2048;

export const addJobOptionsSchema = z
  .object({
    /** Deterministic id: adding an id already waiting, delayed, active or recently finished is a no-op. */
    jobId: z.string().min(1).max(512).optional(),
    /** Run no sooner than this many ms from now. */
    delayMs: z.number().int().min(0).optional(),
    /** Total tries, the first included (default: the queue's `defaultAttempts`). */
    attempts: z.number().int().min(1).max(100).optional(),
    /** First retry delay; doubles with each retry (exponential backoff). */
    backoffMs: z.number().int().min(0).optional(),
    /** Jobs with the same group key never run at once (default: `data.sourceId`). */
    groupKey: z.string().min(1).max(256).optional(),
  })
  .strict();
export type AddJobOptions = z.infer<typeof addJobOptionsSchema>;

export interface AddJobResult {
  /** The job id (the given `jobId`, or a generated one). */
  id: string;
  /** True when a job with this id already existed and nothing was added. */
  duplicate: boolean;
}

/** What a handler receives. */
export interface QueuedJob {
  readonly id: string;
  readonly name: string;
  readonly data: JobData;
  /** 1 on the first try, 2 on the first retry, … */
  readonly attempt: number;
  /** Total tries allowed. */
  readonly attempts: number;
  readonly groupKey: string | undefined;
}

export type JobHandler = (job: QueuedJob) => Promise<unknown>;
export type JobHandlers = Record<string, JobHandler>;

export const processOptionsSchema = z.object({
  /** Jobs this worker runs at once. */
  concurrency: z.number().int().min(1).max(1000),
});
export type ProcessOptions = z.infer<typeof processOptionsSchema>;

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";

export interface JobInfo {
  id: string;
  name: string;
  data: JobData;
  state: JobState;
  /** Finished tries (failed ones, and the successful one once completed). */
  attemptsMade: number;
  failedReason?: string;
  /** When the job was added (ms since epoch). */
  timestamp?: number;
}

export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface QueueWorker {
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

export interface JobQueue {
  readonly name: string;
  readonly backend: "bullmq" | "memory";
  add(name: string, data: JobData, opts?: AddJobOptions): Promise<AddJobResult>;
  /** Starts a worker. Several workers may process one queue; group and global limits hold across them. */
  process(handlers: JobHandlers, opts: ProcessOptions): QueueWorker;
  counts(): Promise<JobCounts>;
  getJob(id: string): Promise<JobInfo | undefined>;
  /** The newest jobs first, of one state or of all; at most `limit` (the console's queue page). */
  list(state: JobState | undefined, limit: number): Promise<JobInfo[]>;
  /** Runs a failed job again (attempts start over); false when there is no such failed job. */
  retry(id: string): Promise<boolean>;
  /** Removes waiting and delayed jobs (as BullMQ's `drain`); running jobs finish. */
  drain(): Promise<void>;
  /** Closes the workers started here (waiting for running jobs), then the queue. Idempotent. */
  close(): Promise<void>;
}

/** Minimal logger; job names and ids only, never job data. */
export interface QueueLogger {
  warn(message: string): void;
  error(message: string): void;
}

export const queueOptionsSchema = z.object({
  /** Tries per job unless `add` says otherwise. */
  defaultAttempts: z.number().int().min(1).max(100).default(3),
  /** First retry delay unless `add` says otherwise. */
  defaultBackoffMs: z.number().int().min(0).default(1000),
  /** How long a completed job's id still deduplicates. */
  keepCompletedMs: z
    .number()
    .int()
    .min(0)
    .default(24 * 3600 * 1000),
  /** How long a failed job's id still deduplicates (and the job stays inspectable). */
  keepFailedMs: z
    .number()
    .int()
    .min(0)
    .default(7 * 24 * 3600 * 1000),
  /** How soon a job whose group is busy is tried again (BullMQ; jittered ±50%). */
  groupRetryDelayMs: z.number().int().min(1).default(500),
  /** Jobs of this queue running at once across all workers and processes. */
  globalConcurrency: z.number().int().min(1).optional(),
});
export type QueueOptionsInput = z.input<typeof queueOptionsSchema> & { logger?: QueueLogger };
export type QueueOptions = z.output<typeof queueOptionsSchema> & { logger: QueueLogger };
