// The small demo school served by the NetSchool simulator and synced into the store: every record the
// web diary carries is stored, field by field (server ids; what the platform lacks: see
// test/connectors/netschool/expected-records.ts), nothing is quarantined, a second sync writes nothing,
// and the run makes the fewest requests the web API allows (one diary answer per pupil and window).
//
// One engine, as the ground-truth test: PostgreSQL when DATABASE_URL is set, else PGlite.
import { expect } from "chai";
import {
  type NetschoolSimulator,
  startNetschoolSimulator,
} from "../../src/connectors/netschool/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { datasetWindow } from "../../src/dataset/date-window.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { StreamName } from "../../src/model/records.ts";
import type { Db } from "../../src/store/db.ts";
import { readLiveRecords } from "../../src/store/read-records.ts";
import { runSync, type SyncSummary } from "../../src/sync/run-sync.ts";
import { normalise } from "../connectors/dnevnik/expected-records.ts";
import { expectedNetschoolRecords } from "../connectors/netschool/expected-records.ts";
import { demoSchoolDir, openDemoStore } from "./support/demo-school.ts";

const LOGIN = "zavuch";
const PASSWORD = "Пароль-2026";
// A month a request (the connector allows up to 31 days): the year in a quarter of the weekly requests.
const DIARY_DAYS = 31;

const markAsText = (r: object): object => ("value" in r ? { ...r, value: String(r.value) } : r);

describe("the small demo school through the NetSchool simulator", function () {
  this.timeout(900_000);
  let ds: Dataset;
  let sim: NetschoolSimulator;
  let db: Db;
  let store: Awaited<ReturnType<typeof openDemoStore>>;
  let summary: SyncSummary;
  const connector = () =>
    createConnector({
      kind: "netschool",
      baseUrl: sim.url,
      login: LOGIN,
      password: PASSWORD,
      schoolId: sim.schoolId,
      timezone: ds.manifest.school.timezone,
      workweek: ds.manifest.school.workweek,
      diaryDays: DIARY_DAYS,
      requestsPerSecond: 100,
    });

  before(async () => {
    ds = await loadDataset(await demoSchoolDir("small", 1));
    sim = await startNetschoolSimulator({ dataset: ds, login: LOGIN, password: PASSWORD });
    store = await openDemoStore("netschool_demo");
    db = store.db;
    summary = await runSync(db, connector(), {
      source: "netschool-demo",
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

  it("stores every record the web diary carries, field by field, with no entry times", async () => {
    const expected = expectedNetschoolRecords(ds);
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

  it("logs in once, logs out at the end, and records the server version of the run", async () => {
    expect(sim.logins()).to.equal(1);
    expect(sim.logouts()).to.equal(1);
    expect(sim.openSessions()).to.equal(0);
    const [run] = await db.query<{ counts: { serverVersion?: string } }>(
      "SELECT counts FROM sync_runs WHERE id = $1",
      [summary.runId],
    );
    expect(run.counts.serverVersion).to.equal("5.43.62541");
  });

  it("asks for each answer once: the web API's minimum number of requests", () => {
    const byPath = sim.requestsByPath();
    const pupils = ds.streams.persons.filter((p) => p.role === "student" && p.classId).length;
    const observed = ds.manifest.observedAt.slice(0, 10);
    const year = ds.streams.periods
      .filter((p) => p.kind === "year")
      .find((y) => y.start <= observed && observed <= y.end)!;
    const days = (Date.parse(year.end) - Date.parse(year.start)) / 86_400_000 + 1;
    const windows = Math.ceil(days / DIARY_DAYS);
    const terms = ds.streams.periods.filter((p) => p.start >= year.start && p.end <= year.end).length;
    expect(byPath["webapi/student/diary"], "one diary answer per pupil and window").to.equal(
      pupils * windows,
    );
    // logindata, getdata, login, context, diary/init, types, report filters, one initfilters per term, logout.
    const minimum = 3 + 3 + 1 + terms + 1 + pupils * windows;
    expect(summary.requests - summary.retries).to.equal(minimum);
  });

  it("a second sync of the same school writes no row", async () => {
    const again = await runSync(db, connector(), {
      source: "netschool-demo",
      full: false,
      now: new Date(Date.parse(ds.manifest.observedAt) + 30 * 60_000),
      ...datasetWindow(ds),
    });
    expect(again.totals.inserted).to.equal(0);
    expect(again.totals.updated).to.equal(0);
    expect(again.totals.deleted).to.equal(0);
  });
});
