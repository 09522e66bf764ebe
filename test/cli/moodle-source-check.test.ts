// `reglament source check` on a Moodle source whose account lacks rights (the Moodle simulator's
// read-only token, answered as real Moodle 4.3 answers it): it names the missing capabilities and
// what they change, and exits 1 instead of printing "ok" for a source every sync would refuse.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type MoodleSimulator, startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import type { SimCourse } from "../../src/connectors/moodle/simulator-site.ts";
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
  let hidden: SimCourse;

  before(async () => {
    const ds = tinyDataset();
    const probe = await startMoodleSimulator({ dataset: ds, token: TOKEN });
    hidden = probe.site.courses[0];
    await probe.close();
    // One course in separate groups: the read-only account (in none of its groups) sees no member.
    sim = await startMoodleSimulator({
      dataset: ds,
      token: TOKEN,
      readOnlyToken: READ_ONLY,
      separateGroupsCourses: [hidden.id],
    });
    dataDir = mkdtempSync(join(tmpdir(), "reglament-moodle-check-"));
    const db = await openStore({ dataDir });
    const prev = process.env.REGLAMENT_SECRET;
    process.env.REGLAMENT_SECRET = SECRET;
    try {
      for (const [id, token, idSource] of [
        ["full", TOKEN, "idnumber"],
        ["readonly", READ_ONLY, "idnumber"],
        ["readonly-moodle-ids", READ_ONLY, "moodle"],
      ]) {
        await addSource(db, {
          id,
          kind: "moodle",
          config: { url: sim.url, token, school: ds.manifest.school, periods: ds.streams.periods, idSource },
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
    expect(full.stdout).to.not.match(/не читается/);
  });

  it("names a separate-groups course the account sees no member of, with the missing capability (F5)", async () => {
    const env = { REGLAMENT_DATA_DIR: dataDir, REGLAMENT_SECRET: SECRET };
    const r = await runCli(["source", "check", "readonly-moodle-ids"], env);
    expect(`${r.stdout}${r.stderr}`).to.include(
      `course ${hidden.id} «${hidden.row.fullname}»: не читается и пропускается — курс в режиме изолированных групп, а у учётной записи нет права moodle/site:accessallgroups`,
    );
  });
});
