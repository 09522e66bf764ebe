import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config/load-config.ts";

describe("config", () => {
  const file = (text: string) => {
    const f = join(mkdtempSync(join(tmpdir(), "reglament-cfg-")), "school.yaml");
    writeFileSync(f, text);
    return f;
  };

  it("loads the defaults, then a school's file, then the environment", () => {
    const c = loadConfig({
      file: file("queue:\n  concurrency: 5\n"),
      env: { REDIS_URL: "redis://127.0.0.1:6379" },
    });
    expect(c.queue).to.deep.equal({
      concurrency: 5,
      redisUrl: "redis://127.0.0.1:6379",
      prefix: "reglament",
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      groupLockTtlMs: 30_000,
    });
    expect(c.store.dataDir).to.equal("./data/pglite");
    expect(c.store.databaseUrl).to.equal(undefined);
  });

  it("names the environment variable when it is the one that is wrong", () => {
    expect(() => loadConfig({ env: { DATABASE_URL: "mysql://x" } })).to.throw(
      ConfigError,
      /environment DATABASE_URL: key "store.databaseUrl": expected a postgres:\/\/ URL/,
    );
  });

  it("refuses YAML that is not a mapping and YAML that does not parse", () => {
    expect(() => loadConfig({ file: file("- a\n- b\n"), env: {} })).to.throw(/expected a mapping/);
    expect(() => loadConfig({ file: file("a: [\n"), env: {} })).to.throw(/not valid YAML/);
    expect(() => loadConfig({ file: "/no/such.yaml", env: {} })).to.throw(/config file not found/);
  });
});
