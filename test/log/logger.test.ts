import { Writable } from "node:stream";
import { expect } from "chai";
import winston from "winston";
import { createLogger } from "../../src/log/logger.ts";

describe("logger", () => {
  it("writes JSON and never carries names, marks or entry texts", () => {
    const lines: string[] = [];
    const logger = createLogger({ format: "json" });
    logger.clear().add(
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk, _enc, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      }),
    );
    logger.info("mark stored", { markId: "m1", name: "Петров Пётр", value: "5", topic: "Дроби" });
    const entry = JSON.parse(lines[0]);
    expect(entry).to.include({
      message: "mark stored",
      markId: "m1",
      name: "[redacted]",
      value: "[redacted]",
      topic: "[redacted]",
    });
    expect(lines[0]).not.to.contain("Петров");
  });
});
