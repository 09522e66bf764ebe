// A Moodle source read first with a read-only account (no moodle/course:update, no
// moodle/user:viewalldetails: Moodle hides every idnumber) and later with the rights granted must not
// rename its records (platforms/real-moodle F3). With idSource "idnumber" (default) the first sync
// refuses and stores nothing; with idSource "moodle" the second sync writes nothing new.
import { expect } from "chai";
import { NotPermittedError } from "../../src/connectors/errors.ts";
import { type MoodleSimulator, startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { tinyDataset } from "../connectors/moodle/tiny-dataset.ts";
import { forEachEngine } from "../support/engines.ts";

const FULL = "full-rights-token-0123456789abcd";
const READ_ONLY = "read-only-token-0123456789abcdef";

forEachEngine("Moodle ids when the account's rights change", (ctx) => {
  let sim: MoodleSimulator;
  const ds = tinyDataset();
  beforeEach(async () => {
    sim = await startMoodleSimulator({ dataset: ds, token: FULL, readOnlyToken: READ_ONLY });
  });
  afterEach(async () => {
    await sim.close();
  });
  const connector = (token: string, idSource?: "idnumber" | "moodle") =>
    createConnector(
      {
        kind: "moodle",
        url: sim.url,
        token,
        school: ds.manifest.school,
        periods: ds.streams.periods,
        ...(idSource ? { idSource } : {}),
      },
      { http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } } },
    );
  const WINDOW = { from: "2026-09-01", to: "2027-05-31" };

  // Each case syncs (twice): slow on a busy machine, not a speed test.
  it("refuses the read-only sync with a Russian message for IT staff and stores nothing", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    const error = await runSync(db, connector(READ_ONLY), { source: "m", full: true, ...WINDOW }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(NotPermittedError);
    expect((error as NotPermittedError).userMessage).to.match(/Синхронизация остановлена.*idSource/);
    for (const table of ["persons", "subjects", "classes", "marks"])
      expect(await db.query(`SELECT 1 FROM ${table}`), table).to.deep.equal([]);
    // With the rights the same source syncs, ids from idnumber.
    const s = await runSync(db, connector(FULL), { source: "m", full: true, ...WINDOW });
    expect(s.totals.inserted).to.be.greaterThan(0);
    const persons = await db.query<{ id: string }>("SELECT key AS id FROM persons ORDER BY key");
    expect(persons.map((p) => p.id)).to.include.members(["s1", "s2", "t1"]);
  });

  it('idSource "moodle": granting the rights later renames nothing', async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    const first = await runSync(db, connector(READ_ONLY, "moodle"), { source: "m", full: true, ...WINDOW });
    expect(first.totals.inserted).to.be.greaterThan(0);
    const second = await runSync(db, connector(FULL, "moodle"), { source: "m", full: true, ...WINDOW });
    expect(second.totals.inserted, JSON.stringify(second.streams)).to.equal(0);
    expect(second.totals.deleted, JSON.stringify(second.streams)).to.equal(0);
    expect(second.totals.updated, JSON.stringify(second.streams)).to.equal(0);
  });
});
