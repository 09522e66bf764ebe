// The small demo school served by the BARS simulator and synced into the store: every record BARS can
// carry is stored, field by field (ids as the connector derives them, minus what BARS lacks: see
// test/connectors/bars/expected-records.ts), nothing is quarantined, and the run makes exactly the requests
// the per-pupil API needs (a re-sync writing 0 rows: test/sync/bars-e2e.test.ts).
//
// One engine, as the ground-truth test: PostgreSQL when DATABASE_URL is set, else PGlite.
import { expect } from "chai";
import { minimumRequests } from "../../src/connectors/bars/request-budget.ts";
import { type BarsSimulator, startBarsSimulator } from "../../src/connectors/bars/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { StreamName } from "../../src/model/records.ts";
import type { Db } from "../../src/store/db.ts";
import { readLiveRecords } from "../../src/store/read-records.ts";
import { runSync, type SyncSummary } from "../../src/sync/run-sync.ts";
import { expectedBarsRecords, normalise } from "../connectors/bars/expected-records.ts";
import { demoSchoolDir, openDemoStore } from "./support/demo-school.ts";

/** The demo's school year up to the day it was observed. */
const WINDOW = { from: "2025-09-01", to: "2026-01-21" };
/** No pause between requests: the simulator is local (the config's limit stops at 100 a second). */
const FAST = { http: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } } };

describe("the small demo school through the BARS simulator", function () {
  this.timeout(900_000);
  let ds: Dataset;
  let sim: BarsSimulator;
  let db: Db;
  let store: Awaited<ReturnType<typeof openDemoStore>>;
  let summary: SyncSummary;
  let seconds: number;
  const connector = () =>
    createConnector(
      {
        kind: "bars",
        url: sim.url,
        auth: { method: "password", login: "reglament", password: "demo-password" },
        school: ds.manifest.school,
        retries: 2,
      },
      FAST,
    );

  before(async () => {
    ds = await loadDataset(await demoSchoolDir("small", 1));
    expect(ds.manifest.observedAt.slice(0, 10)).to.equal(WINDOW.to);
    sim = await startBarsSimulator({ dataset: ds });
    store = await openDemoStore("bars_demo");
    db = store.db;
    const now = new Date(ds.manifest.observedAt);
    const t0 = process.hrtime.bigint();
    summary = await runSync(db, connector(), { source: "bars-demo", full: false, now, ...WINDOW });
    seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  });

  after(async () => {
    await sim?.close();
    await store?.close();
  });

  it("quarantines nothing", async () => {
    expect(await db.query("SELECT stream, reason FROM quarantine LIMIT 5")).to.deep.equal([]);
    expect(summary.totals.quarantined).to.equal(0);
  });

  it("stores every record the platform carries, field by field", async () => {
    const expected = expectedBarsRecords(ds, WINDOW);
    for (const stream of Object.keys(expected) as StreamName[]) {
      const stored: object[] = [];
      for await (const page of readLiveRecords(db, summary.schoolId, stream)) stored.push(...page);
      const want = normalise(expected[stream] ?? []);
      const got = normalise(stored);
      const have = new Set(got);
      const missing = want.filter((w) => !have.has(w)).slice(0, 3);
      expect(missing, `${stream}: records missing or different`).to.deep.equal([]);
      expect(got.length, `${stream}: records stored`).to.equal(want.length);
    }
    // Every mark of the window, as the demo has them (none lost to the derived key).
    const inWindow = ds.streams.lessons.filter((l) => l.date >= WINDOW.from && l.date <= WINDOW.to);
    expect(inWindow).to.have.length(ds.streams.lessons.length);
    expect(summary.streams.marks?.inserted).to.equal(ds.streams.marks.length);
  });

  it("asks for each answer once: the requests the per-pupil API needs", () => {
    const pupils = ds.streams.persons.filter((p) => p.role === "student" && p.classId).length;
    const minimum = minimumRequests({
      pupils,
      classes: ds.streams.classes.length,
      weeks: 21, // 1 September 2025 (a Monday) to the week of 21 January 2026
      subperiodsInWindow: 3, // quarters 1–3
      yearWalk: 5, // quarters 1–4, then the answer for 27 May repeats quarter 4
      password: true,
    });
    expect(summary.requests - summary.retries, minimum.detail).to.equal(minimum.total);
    const records = summary.totals.read;
    console.log(
      `      BARS demo: ${summary.requests} requests (minimum ${minimum.total}), ${records} records in ${seconds.toFixed(1)} s = ${Math.round(records / seconds)} records/s`,
    );
  });
});
