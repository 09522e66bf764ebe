/** Picks the queue backend: BullMQ when a Redis URL is configured, else in-process. */
import { type BullmqQueueOptionsInput, createBullmqQueue } from "./bullmq-queue.ts";
import { createMemoryQueue } from "./memory-queue.ts";
import type { JobQueue, QueueOptionsInput } from "./types.ts";

export interface CreateQueueOptions extends QueueOptionsInput {
  /** e.g. `process.env.REDIS_URL`; empty or absent → in-process queue. */
  redisUrl?: string;
  prefix?: BullmqQueueOptionsInput["prefix"];
  groupLockTtlMs?: BullmqQueueOptionsInput["groupLockTtlMs"];
  lockDurationMs?: BullmqQueueOptionsInput["lockDurationMs"];
  stalledIntervalMs?: BullmqQueueOptionsInput["stalledIntervalMs"];
  maxStalledCount?: BullmqQueueOptionsInput["maxStalledCount"];
}

export function createQueue(name: string, options: CreateQueueOptions = {}): JobQueue {
  const { redisUrl, prefix, groupLockTtlMs, lockDurationMs, stalledIntervalMs, maxStalledCount, ...common } =
    options;
  if (redisUrl && redisUrl.trim() !== "") {
    return createBullmqQueue(name, {
      ...common,
      redisUrl,
      prefix,
      groupLockTtlMs,
      lockDurationMs,
      stalledIntervalMs,
      maxStalledCount,
    });
  }
  return createMemoryQueue(name, common);
}
