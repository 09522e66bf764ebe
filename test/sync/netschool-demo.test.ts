// The small demo school served by the NetSchool simulator and synced into the store: every record the
// web diary and the reports carry is stored, field by field (server ids; set days of marks, absences,
// period marks; what the platform lacks: see test/connectors/netschool/expected-records.ts), nothing is
// quarantined, a second sync writes nothing, and the run makes the fewest requests the web API allows
// (one diary answer per pupil and window; per pupil one StudentTotal, the subject groups, and one
// StudentGrades per group: each report a queue call and a file).
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

  it("stores every record the diary and the reports carry, field by field, set days as recordedOn", async () => {
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
    const [run] = await db.query<{
      counts: { serverVersion?: string; reports?: { status: string; hub?: string } };
    }>("SELECT counts FROM sync_runs WHERE id = $1", [summary.runId]);
    expect(run.counts.serverVersion).to.equal("5.43.62541");
    // ≥5.32: the hub is webapi/signalr/queueHub.
    expect(run.counts.reports).to.deep.equal({ status: "available", hub: "webapi/signalr/queueHub" });
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
    // A subject group per subject the pupil's class has lessons in.
    const pupilList = ds.streams.persons.filter((p) => p.role === "student" && p.classId);
    const groups = pupilList
      .map(
        (p) =>
          new Set(ds.streams.lessons.filter((l) => l.classId === p.classId).map((l) => l.subjectId)).size,
      )
      .reduce((a, b) => a + b, 0);
    expect(byPath["webapi/reports/studentgrades/queue"], "one StudentGrades per pupil and group").to.equal(
      groups,
    );
    expect(byPath["webapi/v2/reports/studenttotal/queue"], "one StudentTotal per pupil").to.equal(pupils);
    // logindata, getdata, login, context, diary/init, types, report filters, one initfilters per term, logout;
    // per pupil: StudentTotal (queue, file), the SGID filters; per group: StudentGrades (queue, file).
    const reports = pupils * 3 + groups * 2;
    const minimum = 3 + 3 + 1 + terms + 1 + pupils * windows + reports;
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
