/** Polling helpers for asynchronous queue tests. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Tracks how many calls run at once, overall and per key. */
export class OverlapMeter {
  private running = 0;
  private readonly runningByKey = new Map<string, number>();
  maxRunning = 0;
  readonly maxByKey = new Map<string, number>();
  /** Pairs of keys seen running at the same moment. */
  readonly overlappingKeys = new Set<string>();

  async measure<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const now = (this.runningByKey.get(key) ?? 0) + 1;
    this.runningByKey.set(key, now);
    this.maxByKey.set(key, Math.max(this.maxByKey.get(key) ?? 0, now));
    for (const [other, count] of this.runningByKey) {
      if (other !== key && count > 0) this.overlappingKeys.add([key, other].sort().join("+"));
    }
    try {
      return await work();
    } finally {
      this.running--;
      this.runningByKey.set(key, (this.runningByKey.get(key) ?? 1) - 1);
    }
  }
}
