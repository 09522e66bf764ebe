// The NetSchool simulator's faults through the real connector and sync: an expired session is renewed
// once (twice fails the run), a lockout or a wrong password stops at the first login, 403, the HTML
// maintenance page, slow answers; and the roles: a parent syncs one pupil, an operator is refused.
import { expect } from "chai";
import {
  type NetschoolSimulator,
  type SimulatedRole,
  startNetschoolSimulator,
} from "../../../src/connectors/netschool/simulator.ts";
import { createConnector } from "../../../src/connectors/registry.ts";
import { loadDataset } from "../../../src/dataset/load.ts";
import type { Dataset } from "../../../src/dataset/types.ts";
import { runSync } from "../../../src/sync/run-sync.ts";
import { demoSchoolDir, openDemoStore } from "../../sync/support/demo-school.ts";
import { failure } from "../helpers/failure.ts";

const LOGIN = "zavuch";
const PASSWORD = "Пароль-2026";
const WEEK = { from: "2025-09-08", to: "2025-09-14" };

describe("netschool simulator faults through the connector", function () {
  this.timeout(300_000);
  let ds: Dataset;
  const sims: NetschoolSimulator[] = [];
  let store: Awaited<ReturnType<typeof openDemoStore>>;

  before(async () => {
    ds = await loadDataset(await demoSchoolDir("small", 1));
    store = await openDemoStore("netschool_faults");
  });
  after(async () => {
    for (const s of sims) await s.close();
    await store?.close();
  });

  async function setup(
    role: SimulatedRole = "Admin",
    password = PASSWORD,
    over: Record<string, unknown> = {},
  ) {
    const sim = await startNetschoolSimulator({ dataset: ds, login: LOGIN, password: PASSWORD, role });
    sims.push(sim);
    const connector = createConnector(
      {
        kind: "netschool",
        baseUrl: sim.url,
        login: LOGIN,
        password,
        schoolId: sim.schoolId,
        timezone: ds.manifest.school.timezone,
        requestsPerSecond: 100,
        retries: 2,
        // The diary's faults; the reports' own: test/sync/netschool-reports-faults.test.ts.
        reports: false,
        ...over,
      },
      { http: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } },
    );
    return { sim, connector };
  }

  async function sync(connector: ReturnType<typeof createConnector>) {
    return runSync(store.db, connector, {
      source: "ns",
      full: false,
      now: new Date(ds.manifest.observedAt),
      ...WEEK,
    });
  }

  it("syncs a week and logs out; an expired session is renewed once", async () => {
    const { sim, connector } = await setup();
    sim.setFaults({ expireSession: { next: 1 } });
    const summary = await sync(connector);
    expect(summary.totals.inserted).to.be.greaterThan(0);
    expect(sim.logins()).to.equal(2);
    expect(sim.logouts()).to.equal(1);
    expect(sim.openSessions()).to.equal(0);
  });

  it("discover states that the platform gives no entry times; attendance (absences only) comes with the reports", async () => {
    const withReports = (await setup("Admin", PASSWORD, { reports: true })).connector;
    const r = await withReports.discover();
    expect(r.streams).to.include.members(["attendance", "periodMarks"]);
    expect(r.attendanceEvidence).to.equal("absences-only");
    await withReports.close?.();
    const { sim, connector } = await setup();
    const d = await connector.discover();
    expect(d.entryTimes).to.equal("none");
    expect(d.streams).not.to.include("attendance");
    expect(d.streams).not.to.include("periodMarks");
    expect(d.school.id).to.equal(sim.schoolId);
    await connector.close?.();
    expect(sim.openSessions()).to.equal(0);
  });

  it("a session that expires again after its renewal fails the run with the reason", async () => {
    const { sim, connector } = await setup();
    sim.setFaults({ expireSession: { next: 2 } });
    const e = await failure(sync(connector));
    expect(e.userMessage).to.match(/истёк повторно/);
    expect(sim.logins()).to.equal(2);
  });

  it("a wrong password stops at the first login (409), with no retry", async () => {
    const { sim, connector } = await setup("Admin", "не тот");
    const r = await connector.check();
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/неверный логин, пароль или школа/);
    expect(sim.requestsByPath()["webapi/login"]).to.equal(1);
  });

  it("a lockout stops at the first login", async () => {
    const { sim, connector } = await setup();
    sim.setFaults({ lockout: true });
    const e = await failure(sync(connector));
    expect(e.platformType).to.equal("lockout");
    expect(sim.requestsByPath()["webapi/login"]).to.equal(1);
  });

  it("403 on the data is not permitted", async () => {
    const { sim, connector } = await setup();
    sim.setFaults({ forbidden: true });
    expect((await failure(sync(connector))).kind).to.equal("not-permitted");
  });

  it("the HTML maintenance page is retried as the platform down, then the sync goes on", async () => {
    const { sim, connector } = await setup();
    sim.setFaults({ maintenance: { next: 1 } });
    const summary = await sync(connector);
    expect(summary.retries).to.equal(1);
    sim.setFaults({ maintenance: { next: 100, status: 503 } });
    const r = await connector.check();
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/технических работ/);
  });

  it("answers slower than the timeout are the platform down", async () => {
    const { sim, connector } = await setup("Admin", PASSWORD, { timeoutMs: 50, retries: 0 });
    sim.setFaults({ latencyMs: 300 });
    expect((await failure(sync(connector))).kind).to.equal("platform-down");
  });

  it("a parent syncs one pupil; an operator with no diary rights is refused", async () => {
    const parent = await setup("Parent");
    const summary = await sync(parent.connector);
    expect(summary.streams.classes?.read).to.equal(1);
    // One pupil and the teacher slots of the class's subjects that week.
    expect(summary.streams.persons?.read).to.be.greaterThan(1);
    expect(summary.streams.persons?.deleted).to.equal(0); // a week's read proves no other pupil gone
    const op = await setup("EmOper");
    expect((await op.connector.check()).ok).to.equal(false);
    expect((await failure(sync(op.connector))).kind).to.equal("not-permitted");
    expect(op.sim.openSessions()).to.equal(0);
  });
});
