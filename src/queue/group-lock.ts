/**
 * Per-group mutual exclusion on Redis, since BullMQ OSS has no job groups: a job takes the lock of its
 * group (e.g. its source id) as SET NX PX (in a script, see below), renews it while it runs, and
 * releases it in `finally`.
 * The lock is a lease: a worker that dies without releasing frees the group when the lease ends.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { QueueLogger } from "./types.ts";

// Take the lock, or confirm we already hold it: a SET NX whose reply was lost on a dropped connection is
// resent by ioredis on reconnect, and a plain SET NX would then see our own lock as someone else's.
const ACQUIRE_SCRIPT = `local held = redis.call("GET", KEYS[1])
if held == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
if held then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`;
// Renew or release only a lock we still own (the token), never one another worker took after expiry.
const RENEW_SCRIPT = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

export interface HeldGroupLock {
  readonly groupKey: string;
  /** True once a renewal found the lock gone (expired and possibly taken by another worker). */
  readonly lost: boolean;
  release(): Promise<void>;
}

export class RedisGroupLocks {
  constructor(
    private readonly redis: Redis,
    /** Key prefix, e.g. `reglament:sync:group-lock`. */
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
    private readonly logger: QueueLogger,
  ) {}

  keyOf(groupKey: string): string {
    return `${this.keyPrefix}:${groupKey}`;
  }

  /** Takes the group's lock, or returns undefined when another job holds it. */
  async tryAcquire(groupKey: string): Promise<HeldGroupLock | undefined> {
    const key = this.keyOf(groupKey);
    const token = randomUUID();
    const acquired = await this.redis.eval(ACQUIRE_SCRIPT, 1, key, token, String(this.ttlMs));
    if (acquired !== 1) return undefined;

    const state = { lost: false, released: false };
    const timer = setInterval(
      () => {
        this.redis
          .eval(RENEW_SCRIPT, 1, key, token, String(this.ttlMs))
          .then((renewed) => {
            if (renewed === 0 && !state.released) {
              state.lost = true;
              clearInterval(timer);
              this.logger.warn(`group lock ${groupKey} expired while its job was running`);
            }
          })
          .catch((err: Error) => this.logger.warn(`group lock ${groupKey} renewal failed: ${err.message}`));
      },
      Math.max(10, Math.floor(this.ttlMs / 3)),
    );

    return {
      groupKey,
      get lost() {
        return state.lost;
      },
      release: async () => {
        state.released = true;
        clearInterval(timer);
        try {
          await this.redis.eval(RELEASE_SCRIPT, 1, key, token);
        } catch (err) {
          // The lease runs out by itself; the group is blocked at most ttlMs longer.
          this.logger.warn(`group lock ${groupKey} release failed: ${(err as Error).message}`);
        }
      },
    };
  }
}
