// Circuit breaker: after `failureThreshold` consecutive failures stop calling the platform for
// `cooldownMs`, then let one trial request through (half-open); its outcome closes or reopens.
import { type Clock, systemClock } from "./clock.ts";

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export type BreakerState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: BreakerState = "closed";
  private trialInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  current(): BreakerState {
    if (this.state === "open" && this.clock.now() - this.openedAt >= this.options.cooldownMs) {
      this.state = "half-open";
      this.trialInFlight = false;
    }
    return this.state;
  }

  /** Whether a request may go out now; in half-open only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.current();
    if (state === "closed") return true;
    if (state === "open") return false;
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Milliseconds until the breaker lets a trial through (0 when not open). */
  remainingCooldownMs(): number {
    if (this.current() !== "open") return 0;
    return Math.max(0, this.options.cooldownMs - (this.clock.now() - this.openedAt));
  }

  onSuccess(): void {
    this.failures = 0;
    this.state = "closed";
    this.trialInFlight = false;
  }

  /** The request neither proved nor disproved health (e.g. throttled): free the half-open slot. */
  release(): void {
    this.trialInFlight = false;
  }

  onFailure(): void {
    this.trialInFlight = false;
    if (this.state === "half-open") {
      this.open();
      return;
    }
    this.failures += 1;
    if (this.failures >= this.options.failureThreshold) this.open();
  }

  private open(): void {
    this.state = "open";
    this.openedAt = this.clock.now();
    this.failures = 0;
  }
}
