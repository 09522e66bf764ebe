// The NetSchool reports through the simulator into the store, one week of the small demo school, and
// their faults: a queue that answers 409, a hub that refuses the WebSocket, a `complete` that comes too
// late, a server before 5.29. Each fault leaves the sync succeeding with the diary stored, the report
// part marked unavailable in the run's counts with its reason, and nothing of attendance deleted (a
// failed report proves no absence). The hub path follows the server version (5.30: webapi/queueHub).
//
// One engine, as the ground-truth test: PostgreSQL when DATABASE_URL is set, else PGlite.
import { expect } from "chai";
import {
  type NetschoolFaults,
  type NetschoolSimulator,
  startNetschoolSimulator,
} from "../../src/connectors/netschool/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { Db } from "../../src/store/db.ts";
import { runSync, type SyncSummary } from "../../src/sync/run-sync.ts";
import { demoSchoolDir, openDemoStore } from "./support/demo-school.ts";

const LOGIN = "zavuch";
const PASSWORD = "Пароль-2026";
const WEEK = { from: "2025-10-13", to: "2025-10-19" };

describe("NetSchool reports through the simulator, and their faults", function () {
  this.timeout(600_000);
  let ds: Dataset;
  let store: Awaited<ReturnType<typeof openDemoStore>>;
  let db: Db;
  const sims: NetschoolSimulator[] = [];
  let minutes = 0;

  before(async () => {
    ds = await loadDataset(await demoSchoolDir("small", 1));
    store = await openDemoStore("netschool_reports");
    db = store.db;
  });
  after(async () => {
    for (const s of sims) await s.close();
    await store?.close();
  });

  async function sim(version?: string): Promise<NetschoolSimulator> {
    const s = await startNetschoolSimulator({ dataset: ds, login: LOGIN, password: PASSWORD, version });
    sims.push(s);
    return s;
  }

  async function sync(s: NetschoolSimulator, faults: NetschoolFaults = {}): Promise<SyncSummary> {
    s.setFaults(faults);
    minutes += 30;
    return runSync(
      db,
      createConnector({
        kind: "netschool",
        baseUrl: s.url,
        login: LOGIN,
        password: PASSWORD,
        schoolId: s.schoolId,
        timezone: ds.manifest.school.timezone,
        requestsPerSecond: 100,
        reportTimeoutMs: 500,
      }),
      {
        source: "ns-reports",
        full: false,
        now: new Date(Date.parse(ds.manifest.observedAt) + minutes * 60_000),
        ...WEEK,
      },
    );
  }

  async function reportsOf(runId: number) {
    const [run] = await db.query<{ counts: { reports?: { status: string; reason?: string; hub?: string } } }>(
      "SELECT counts FROM sync_runs WHERE id = $1",
      [runId],
    );
    return run.counts.reports;
  }
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);

  let lessons = 0;
  let absences = 0;

  it("reads set days, absences and period marks when the reports work", async () => {
    const s = await sim();
    const summary = await sync(s);
    expect(await reportsOf(summary.runId)).to.deep.equal({
      status: "available",
      hub: "webapi/signalr/queueHub",
    });
    lessons = await count("SELECT count(*) AS n FROM lessons WHERE deleted_at IS NULL");
    absences = await count("SELECT count(*) AS n FROM attendance WHERE deleted_at IS NULL");
    expect(lessons).to.be.greaterThan(0);
    expect(absences, "absences of the week").to.be.greaterThan(0);
    expect(
      await count("SELECT count(*) AS n FROM marks WHERE recorded_on IS NULL AND deleted_at IS NULL"),
    ).to.equal(0);
    expect(await count("SELECT count(*) AS n FROM marks WHERE deleted_at IS NULL")).to.be.greaterThan(0);
    expect(await count("SELECT count(*) AS n FROM period_marks WHERE deleted_at IS NULL")).to.be.greaterThan(
      0,
    );
  });

  for (const [name, faults, type] of [
    ["the queue answers 409", { queueConflict: true }, "report-queue-refused"],
    ["the hub refuses the WebSocket", { hubRefuses: true }, "report-hub-refused"],
    ["the report is too slow", { slowCompleteMs: 3000 }, "report-timeout"],
  ] as const) {
    it(`${name}: the sync succeeds, the diary is kept, the reports are unavailable with the reason`, async () => {
      const summary = await sync(sims[0], faults);
      const r = await reportsOf(summary.runId);
      expect(r?.status).to.equal("unavailable");
      expect(r?.reason).to.include(type);
      expect(summary.totals.deleted, "nothing deleted").to.equal(0);
      expect(await count("SELECT count(*) AS n FROM lessons WHERE deleted_at IS NULL")).to.equal(lessons);
      expect(await count("SELECT count(*) AS n FROM attendance WHERE deleted_at IS NULL")).to.equal(absences);
      expect(sims[0].openSessions(), "logged out").to.equal(0);
    });
  }

  it("a 5.30 server's hub is webapi/queueHub; a 5.20 server's classic SignalR is reported unavailable", async () => {
    const mid = await sync(await sim("5.30.2"));
    expect(await reportsOf(mid.runId)).to.deep.equal({ status: "available", hub: "webapi/queueHub" });
    const old = await sync(await sim("5.20.1"));
    const r = await reportsOf(old.runId);
    expect(r?.status).to.equal("unavailable");
    expect(r?.reason).to.include("report-legacy-hub");
    expect(r?.hub).to.equal("classic SignalR");
  });
});
