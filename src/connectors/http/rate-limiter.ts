// Token bucket: `requestsPerSecond` refill, up to `burst` requests at once. Callers queue in order.
import { type Clock, systemClock } from "./clock.ts";

export interface RateLimitOptions {
  requestsPerSecond: number;
  /** Bucket size; defaults to max(1, requestsPerSecond). */
  burst?: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  /** Serialises waiters so that tokens go out in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    options: RateLimitOptions,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(options.requestsPerSecond > 0)) throw new RangeError("requestsPerSecond must be > 0");
    this.capacity = Math.max(1, options.burst ?? Math.max(1, options.requestsPerSecond));
    this.perMs = options.requestsPerSecond / 1000;
    this.tokens = this.capacity;
    this.last = clock.now();
  }

  /** Resolves when one request may go out. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      await this.clock.sleep(Math.ceil((1 - this.tokens) / this.perMs), signal);
      this.refill();
    }
    this.tokens -= 1;
  }
}
