/**
 * Redis for the queue tests: REDIS_URL or the local default. Unreachable Redis skips the Redis suites
 * locally (with a message) but FAILS them under CI=true, where a skip would hide a broken setup.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let reachable: Promise<boolean> | undefined;

async function ping(): Promise<boolean> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Call from a `before` hook: skips the suite (locally) or throws (CI) when Redis is unreachable. */
export async function requireRedis(context: Mocha.Context): Promise<void> {
  reachable ??= ping();
  if (await reachable) return;
  if (process.env.CI === "true") {
    throw new Error(
      `Redis unreachable at ${redisUrl}; CI=true, so the Redis queue suite fails instead of skipping`,
    );
  }
  console.warn(
    `    [skip] Redis unreachable at ${redisUrl}: Redis queue tests skipped (they fail under CI=true)`,
  );
  context.skip();
}

/** A key prefix of its own for each run, so runs never see each other's jobs. */
export function uniquePrefix(label: string): string {
  return `reglament-test-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under the prefix (nothing to do when Redis was never reachable). */
export async function deleteKeys(prefix: string): Promise<void> {
  if (!(await reachable)) return;
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
