// The small demo school served by the Dnevnik.ru simulator and synced into the store: every record the
// platform can carry is stored, field by field (platform ids, minus what the partner API lacks: see
// test/connectors/dnevnik/expected-records.ts), nothing is quarantined, and the run makes exactly the
// fewest requests the API allows for the school's window.
//
// One engine, as the ground-truth test: PostgreSQL when DATABASE_URL is set, else PGlite.
import { expect } from "chai";
import { minimumRequests } from "../../src/connectors/dnevnik/request-budget.ts";
import { type DnevnikSimulator, startDnevnikSimulator } from "../../src/connectors/dnevnik/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { datasetWindow } from "../../src/dataset/date-window.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { StreamName } from "../../src/model/records.ts";
import type { Db } from "../../src/store/db.ts";
import { readLiveRecords } from "../../src/store/read-records.ts";
import { runSync, type SyncSummary } from "../../src/sync/run-sync.ts";
import { expectedRecords, normalise } from "../connectors/dnevnik/expected-records.ts";
import { demoSchoolDir, openDemoStore } from "./support/demo-school.ts";

const TOKEN = "demo-dnevnik-token-0123456789";

/** The store keeps a mark's value as text (5 and "5" are one mark). */
const markAsText = (r: object): object => ("value" in r ? { ...r, value: String(r.value) } : r);

describe("the small demo school through the Dnevnik.ru simulator", function () {
  this.timeout(600_000);
  let ds: Dataset;
  let sim: DnevnikSimulator;
  let db: Db;
  let store: Awaited<ReturnType<typeof openDemoStore>>;
  let summary: SyncSummary;

  before(async () => {
    ds = await loadDataset(await demoSchoolDir("small", 1));
    sim = await startDnevnikSimulator({ dataset: ds, token: TOKEN });
    store = await openDemoStore("dnevnik_demo");
    db = store.db;
    const connector = createConnector({
      kind: "dnevnik",
      baseUrl: sim.url,
      token: TOKEN,
      schoolId: sim.schoolId,
      timezone: ds.manifest.school.timezone,
      workweek: ds.manifest.school.workweek,
      requestsPerSecond: 100,
    });
    summary = await runSync(db, connector, {
      source: "dnevnik-demo",
      full: false,
      now: new Date(ds.manifest.observedAt),
      ...datasetWindow(ds),
    });
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
    const expected = expectedRecords(ds);
    for (const stream of Object.keys(expected) as StreamName[]) {
      const stored: object[] = [];
      for await (const page of readLiveRecords(db, summary.schoolId, stream)) stored.push(...page);
      const want = normalise((expected[stream] ?? []).map(markAsText));
      const got = normalise(stored.map(markAsText));
      expect(got.length, `${stream}: records stored`).to.equal(want.length);
      const have = new Set(got);
      const missing = want.filter((w) => !have.has(w)).slice(0, 3);
      expect(missing, `${stream}: records missing or different`).to.deep.equal([]);
    }
  });

  it("asks for each answer once: the API's minimum number of requests", () => {
    const minimum = minimumRequests({
      classes: ds.streams.classes.length,
      pupils: ds.streams.persons.filter((p) => p.role === "student" && p.classId).length,
      ...datasetWindow(ds),
    });
    // A retry (a timeout on a loaded machine) is not a request the connector chose to make.
    expect(summary.requests - summary.retries, minimum.detail).to.equal(minimum.total);
  });
});
