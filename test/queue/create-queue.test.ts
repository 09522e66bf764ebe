import { expect } from "chai";
import { createQueue } from "../../src/queue/create-queue.ts";
import { fastOptions } from "./queue-behaviour.ts";
import { deleteKeys, redisUrl, requireRedis, uniquePrefix } from "./redis-test-env.ts";
import { waitFor } from "./wait.ts";

describe("queue/create-queue", () => {
  it("runs in-process without a Redis URL (absent or blank)", async () => {
    for (const redisUrl of [undefined, "", "  "]) {
      const queue = createQueue("local", { ...fastOptions, redisUrl });
      expect(queue.backend).to.equal("memory");
      await queue.close();
    }
  });

  describe("with a Redis URL", () => {
    const prefix = uniquePrefix("create");
    before(async function () {
      await requireRedis(this);
    });
    after(async () => {
      await deleteKeys(prefix);
    });

    it("runs on BullMQ and processes a job", async () => {
      const queue = createQueue("shared", { ...fastOptions, redisUrl, prefix });
      try {
        expect(queue.backend).to.equal("bullmq");
        let ran = false;
        queue.process(
          {
            sync: async () => {
              ran = true;
            },
          },
          { concurrency: 1 },
        );
        await queue.add("sync", { sourceId: "src-1" });
        await waitFor("run", () => ran);
      } finally {
        await queue.close();
      }
    });
  });
});
