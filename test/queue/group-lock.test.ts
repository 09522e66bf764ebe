import { expect } from "chai";
import { Redis } from "ioredis";
import { RedisGroupLocks } from "../../src/queue/group-lock.ts";
import { silentLogger } from "./queue-behaviour.ts";
import { deleteKeys, redisUrl, requireRedis, uniquePrefix } from "./redis-test-env.ts";
import { sleep, waitFor } from "./wait.ts";

describe("queue/group-lock", () => {
  const prefix = uniquePrefix("lock");
  let redis: Redis;
  before(async function () {
    await requireRedis(this);
    redis = new Redis(redisUrl);
  });
  after(async () => {
    redis?.disconnect();
    await deleteKeys(prefix);
  });
  const locks = (ttlMs: number) => new RedisGroupLocks(redis, `${prefix}:group-lock`, ttlMs, silentLogger);

  it("one holder per group; other groups are free; release frees the group", async () => {
    const groupLocks = locks(5000);
    const held = await groupLocks.tryAcquire("src-1");
    expect(held).to.not.equal(undefined);
    expect(await groupLocks.tryAcquire("src-1")).to.equal(undefined);
    const other = await groupLocks.tryAcquire("src-2");
    expect(other).to.not.equal(undefined);
    await held?.release();
    await other?.release();
    const again = await groupLocks.tryAcquire("src-1");
    expect(again).to.not.equal(undefined);
    await again?.release();
  });

  it("renews the lease while held, so it outlives its TTL", async () => {
    const groupLocks = locks(150);
    const held = await groupLocks.tryAcquire("src-renew");
    await sleep(600); // four leases
    expect(await groupLocks.tryAcquire("src-renew")).to.equal(undefined);
    expect(held?.lost).to.equal(false);
    await held?.release();
    expect(await redis.exists(groupLocks.keyOf("src-renew"))).to.equal(0);
  });

  it("a holder whose lease was lost notices it and never releases the new holder's lock", async () => {
    const groupLocks = locks(300);
    const first = await groupLocks.tryAcquire("src-lost");
    await redis.del(groupLocks.keyOf("src-lost")); // the lease ran out (e.g. the worker stalled)
    const second = await groupLocks.tryAcquire("src-lost");
    expect(second).to.not.equal(undefined);
    await waitFor("loss noticed", () => first?.lost === true, 2000);
    await first?.release();
    expect(await redis.exists(groupLocks.keyOf("src-lost"))).to.equal(1);
    expect(await groupLocks.tryAcquire("src-lost")).to.equal(undefined);
    await second?.release();
  });

  it("a lock left by a dead worker frees itself when the lease ends", async () => {
    const groupLocks = locks(200);
    await redis.set(groupLocks.keyOf("src-dead"), "someone-gone", "PX", 200); // never renewed
    expect(await groupLocks.tryAcquire("src-dead")).to.equal(undefined);
    await sleep(300);
    const held = await groupLocks.tryAcquire("src-dead");
    expect(held).to.not.equal(undefined);
    await held?.release();
  });
});
