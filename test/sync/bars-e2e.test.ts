// End to end: the BARS simulator → connector → sync engine → store, on PGlite and PostgreSQL. A re-sync
// of an unchanged platform writes nothing; a mark a teacher corrects is an update of the same record
// (its derived key holds no value), never a deletion plus an insert; a copied cookie that expired stops
// the sync with the Russian instructions for IT staff.
import { expect } from "chai";
import { barsMessages } from "../../src/connectors/bars/messages.ru.ts";
import { type BarsSimulator, startBarsSimulator } from "../../src/connectors/bars/simulator.ts";
import { AuthFailedError } from "../../src/connectors/errors.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { Db } from "../../src/store/db.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { addSource, connectorFor, getSource, maskSecrets } from "../../src/sync/sources.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";

const WINDOW = { from: "2025-09-01", to: "2025-10-06" };
const FAST = {
  http: { rateLimit: { requestsPerSecond: 10_000, burst: 10_000 }, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
};

async function totalRows(db: Db): Promise<string> {
  const parts = [];
  for (const t of [
    "lessons",
    "marks",
    "attendance",
    "persons",
    "period_marks",
    "works",
    "record_versions",
    "quarantine",
  ])
    parts.push(JSON.stringify(await db.query(`SELECT * FROM ${t} ORDER BY 1, 2`)));
  return parts.join("\n");
}

forEachEngine("sync from the BARS simulator", (ctx) => {
  // Each test runs two or three syncs (PGlite set-up included) on a machine that may be busy.
  let sim: BarsSimulator;
  let ds: Dataset;
  const password = (s: BarsSimulator) => ({
    kind: "bars",
    url: s.url,
    auth: { method: "password", login: "reglament", password: "demo-password" },
    school: ds.manifest.school,
  });
  beforeEach(async function () {
    this.timeout(300_000);
    ds = tinySchool();
    sim = await startBarsSimulator({ dataset: ds, sessionid: "copied-from-browser-0123456789" });
  });
  afterEach(async () => {
    await sim.close();
  });

  it("reads the school into the store, then a second sync with no change writes 0 rows", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    const first = await runSync(db, createConnector(password(sim), FAST), {
      source: "b",
      full: false,
      ...WINDOW,
    });
    expect(await db.query("SELECT stream, reason FROM quarantine")).to.deep.equal([]);
    expect(first.streams.lessons?.inserted).to.equal(ds.streams.lessons.length);
    expect(first.streams.marks?.inserted).to.equal(ds.streams.marks.length);
    expect(first.streams.periodMarks?.inserted).to.equal(ds.streams.periodMarks.length);
    const before = await totalRows(db);
    const again = await runSync(db, createConnector(password(sim), FAST), {
      source: "b",
      full: false,
      ...WINDOW,
    });
    expect(again.totals.inserted + again.totals.updated + again.totals.deleted).to.equal(0);
    expect(again.totals.unchanged).to.equal(first.totals.read);
    expect(await totalRows(db)).to.equal(before);
  });

  it("a corrected mark is an update of the same record: same key, its old value a version, nothing deleted", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    await runSync(db, createConnector(password(sim), FAST), { source: "b", full: false, ...WINDOW });
    const keys = async () =>
      await db.query<{ key: string; value: string }>(
        "SELECT key, value FROM marks WHERE deleted_at IS NULL ORDER BY key",
      );
    const was = await keys();
    const m = ds.streams.marks.find((x) => x.id === "m2")!;
    expect(m.value).to.equal(4);
    m.value = 5; // the simulator serves the dataset's objects: the teacher corrected 4 to 5
    const second = await runSync(db, createConnector(password(sim), FAST), {
      source: "b",
      full: false,
      ...WINDOW,
    });
    expect(second.streams.marks).to.include({ inserted: 0, updated: 1, deleted: 0 });
    const now = await keys();
    expect(now.map((r) => r.key)).to.deep.equal(was.map((r) => r.key));
    const changed = now.filter((r, i) => r.value !== was[i].value);
    expect(changed).to.have.length(1);
    expect(changed[0].value).to.equal("5");
    // The earlier state is kept as a version of the same key: the history shows 4 became 5.
    const versions = await db.query<{ value: string }>(
      "SELECT data->>'value' AS value FROM record_versions WHERE key = $1",
      [changed[0].key],
    );
    expect(versions.map((v) => v.value)).to.deep.equal(["4"]);
  });

  it("a copied sessionid cookie reads without a login; once it expired the sync stops with what to do", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    const cookie = {
      ...password(sim),
      auth: { method: "cookie", sessionid: "copied-from-browser-0123456789" },
    };
    const first = await runSync(db, createConnector(cookie, FAST), { source: "c", full: false, ...WINDOW });
    expect(first.streams.marks?.inserted).to.equal(ds.streams.marks.length);
    expect(sim.lines().filter((l) => l.includes("/auth/"))).to.deep.equal([]);
    sim.setFaults({ expiredSession: true });
    let failed: unknown;
    try {
      await runSync(db, createConnector(cookie, FAST), { source: "c", full: false, ...WINDOW });
    } catch (e) {
      failed = e;
    }
    expect(failed).to.be.instanceOf(AuthFailedError);
    expect((failed as AuthFailedError).userMessage).to.equal(barsMessages.sessionExpired);
    expect(await db.query("SELECT count(*)::int AS n FROM marks WHERE deleted_at IS NOT NULL")).to.deep.equal(
      [{ n: 0 }],
    );
  });

  it("the password and the sessionid cookie are stored encrypted, masked when shown, and still work", async () => {
    const db = await ctx.open();
    const secret = "bars-e2e-secret-0123456789abcdef";
    const { kind: _k, ...pw } = password(sim);
    await addSource(db, { id: "pw", kind: "bars", config: pw }, { secret });
    const cookie = { ...pw, auth: { method: "cookie", sessionid: "copied-from-browser-0123456789" } };
    await addSource(db, { id: "ck", kind: "bars", config: cookie }, { secret });
    for (const id of ["pw", "ck"]) {
      const row = await getSource(db, id);
      const text = JSON.stringify(row.config);
      expect(text).to.not.contain("demo-password");
      expect(text).to.not.contain("copied-from-browser");
      expect(text).to.match(/"v1\./);
      expect(JSON.stringify(maskSecrets(row.config))).to.match(/"(password|sessionid)":"\*\*\*"/);
      expect((await connectorFor(row, { secret }).check()).ok).to.equal(true);
    }
  });
});
