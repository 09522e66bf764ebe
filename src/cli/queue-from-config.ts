// The job queue every command opens: BullMQ on the configured Redis (its key prefix, and the leases that
// hand a killed worker's jobs to another), else in-process.
import type { Config } from "../config/schema.ts";
import { log } from "../log/logger.ts";
import { createQueue } from "../queue/create-queue.ts";
import type { JobQueue } from "../queue/types.ts";

export const QUEUE_NAME = "reglament";

export function queueFromConfig(config: Config): JobQueue {
  const q = config.queue;
  return createQueue(QUEUE_NAME, {
    redisUrl: q.redisUrl,
    prefix: q.prefix,
    lockDurationMs: q.lockDurationMs,
    stalledIntervalMs: q.stalledIntervalMs,
    groupLockTtlMs: q.groupLockTtlMs,
    logger: log,
  });
}
