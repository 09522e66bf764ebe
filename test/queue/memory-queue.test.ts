import { expect } from "chai";
import { QueueClosedError } from "../../src/queue/errors.ts";
import { createMemoryQueue } from "../../src/queue/memory-queue.ts";
import { fastOptions, queueBehaviour } from "./queue-behaviour.ts";

describe("queue/memory-queue", () => {
  let counter = 0;
  queueBehaviour((options) => createMemoryQueue(`memory-${counter++}`, options));

  it("refuses new jobs once closed", async () => {
    const queue = createMemoryQueue("closed", fastOptions);
    await queue.close();
    expect(await queue.add("sync", {}).catch((e: unknown) => e)).to.be.instanceOf(QueueClosedError);
  });
});
