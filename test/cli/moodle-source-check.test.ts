// `reglament source check` on a Moodle source whose account lacks rights (the Moodle simulator's
// read-only token, answered as real Moodle 4.3 answers it): it names the missing capabilities and
// what they change, and exits 1 instead of printing "ok" for a source every sync would refuse.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type MoodleSimulator, startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import { openStore } from "../../src/store/open-store.ts";
import { addSource } from "../../src/sync/sources.ts";
import { tinyDataset } from "../connectors/moodle/tiny-dataset.ts";
import { runCli } from "../support/run-cli.ts";

const TOKEN = "full-token-0123456789abcdef";
const READ_ONLY = "read-only-token-0123456789ab";
const SECRET = "moodle-source-check-test-secret";

describe("reglament source check (Moodle)", function () {
  this.timeout(300_000);
  let sim: MoodleSimulator;
  let dataDir: string;

  before(async () => {
    const ds = tinyDataset();
    sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, readOnlyToken: READ_ONLY });
    dataDir = mkdtempSync(join(tmpdir(), "reglament-moodle-check-"));
    const db = await openStore({ dataDir });
    const prev = process.env.REGLAMENT_SECRET;
    process.env.REGLAMENT_SECRET = SECRET;
    try {
      for (const [id, token] of [
        ["full", TOKEN],
        ["readonly", READ_ONLY],
      ]) {
        await addSource(db, {
          id,
          kind: "moodle",
          config: { url: sim.url, token, school: ds.manifest.school, periods: ds.streams.periods },
        });
      }
    } finally {
      if (prev === undefined) delete process.env.REGLAMENT_SECRET;
      else process.env.REGLAMENT_SECRET = prev;
      await db.close();
    }
  });

  after(async () => {
    await sim?.close();
  });

  it("names the capabilities a read-only account lacks, what that changes, and exits 1", async () => {
    const env = { REGLAMENT_DATA_DIR: dataDir, REGLAMENT_SECRET: SECRET };
    const ro = await runCli(["source", "check", "readonly"], env);
    expect(ro.code, ro.stdout).to.equal(1);
    expect(ro.stderr).to.match(/readonly: не готов к синхронизации/);
    expect(ro.stderr).to.match(/moodle\/course:update: .*по названиям курсов/);
    expect(ro.stderr).to.match(/moodle\/user:viewalldetails: .*номера Moodle/);
    expect(ro.stderr).to.not.include(READ_ONLY);
    const full = await runCli(["source", "check", "full"], env);
    expect(full.code, full.stderr).to.equal(0);
    expect(full.stdout).to.match(/full: ok — Moodle /);
  });
});
