/** Retry delays. Same formula as BullMQ's built-in "exponential" backoff, so both queues agree. */

/** Delay before the retry that follows `attemptsMade` failed tries: backoffMs · 2^(attemptsMade−1). */
export function exponentialBackoffMs(backoffMs: number, attemptsMade: number): number {
  return Math.round(backoffMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** A delay spread uniformly over ±50%, so retries of blocked jobs do not march in step. */
export function jittered(delayMs: number): number {
  return Math.max(1, Math.round(delayMs * (0.5 + Math.random())));
}
