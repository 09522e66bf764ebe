/** Checks shared by both queues: what may go into a job, and which group it runs in. */
import { InvalidJobDataError, InvalidJobOptionsError, JobDataTooLargeError } from "./errors.ts";
import {
  type AddJobOptions,
  addJobOptionsSchema,
  type JobData,
  jobDataSchema,
  jobNameSchema,
  MAX_JOB_DATA_BYTES,
  type ProcessOptions,
  processOptionsSchema,
  type QueueLogger,
  type QueueOptions,
  type QueueOptionsInput,
  queueOptionsSchema,
} from "./types.ts";

export function validateJobName(name: unknown): string {
  const parsed = jobNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new InvalidJobOptionsError(`job name ${JSON.stringify(name)}: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

/** Job data must be small and flat: ids, not payloads. */
export function validateJobData(name: string, data: unknown): JobData {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InvalidJobDataError(name, "data must be an object");
  }
  const proto = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null) {
    throw new InvalidJobDataError(name, "data must be a plain object");
  }
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch (err) {
    throw new InvalidJobDataError(name, `data cannot be serialized (${(err as Error).message})`);
  }
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > MAX_JOB_DATA_BYTES) throw new JobDataTooLargeError(name, bytes, MAX_JOB_DATA_BYTES);
  const parsed = jobDataSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `key "${issue.path.join(".")}"` : "data";
    throw new InvalidJobDataError(name, `${where}: ${issue?.message ?? "invalid"}`);
  }
  // Drop undefined values so both queues hand handlers the same object JSON would.
  return JSON.parse(json) as JobData;
}

export function validateAddOptions(opts: unknown): AddJobOptions {
  const parsed = addJobOptionsSchema.safeParse(opts ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidJobOptionsError(`${issue?.path.join(".") || "options"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

export function validateProcessOptions(opts: unknown): ProcessOptions {
  const parsed = processOptionsSchema.safeParse(opts);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidJobOptionsError(`${issue?.path.join(".") || "options"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** The group a job runs in: the explicit key, else its source. No group: no per-group limit. */
export function resolveGroupKey(data: JobData, opts: AddJobOptions): string | undefined {
  return opts.groupKey ?? data.sourceId;
}

const consoleLogger: QueueLogger = {
  warn: (message) => console.warn(`[queue] ${message}`),
  error: (message) => console.error(`[queue] ${message}`),
};

export function resolveQueueOptions(input: QueueOptionsInput = {}): QueueOptions {
  const { logger, ...rest } = input;
  const parsed = queueOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidJobOptionsError(
      `queue ${issue?.path.join(".") || "options"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return { ...parsed.data, logger: logger ?? consoleLogger };
}
