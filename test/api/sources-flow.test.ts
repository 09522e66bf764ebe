// The IT staff's flow through the API against the Moodle simulator: add a source, check it, sync it
// now (the job runs on the in-process queue with the real handlers), see the run with its counts and
// the quarantined record; pause it and the scheduled fan-out leaves it out; retry a failed job.
import { expect } from "chai";
import { createUser } from "../../src/api/users.ts";
import { startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import type { Mark } from "../../src/model/records.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";
import { startSimulatedSource } from "../sync/support/simulated-source.ts";
import { Client, type Harness, PASSWORD, SCHOOL_A, startHarness } from "./support.ts";

async function settled(h: Harness, jobId: string): Promise<string> {
  for (;;) {
    const j = await h.queue.getJob(jobId);
    if (j && (j.state === "completed" || j.state === "failed")) return j.state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

forEachEngine("sources through the console API", ({ open }) => {
  let h: Harness;
  const secretBefore = process.env.REGLAMENT_SECRET;
  before(() => {
    // Source credentials are encrypted at rest with this key (as in production).
    process.env.REGLAMENT_SECRET = "api-test-secret-0123456789abcdef";
  });
  after(() => {
    if (secretBefore === undefined) delete process.env.REGLAMENT_SECRET;
    else process.env.REGLAMENT_SECRET = secretBefore;
  });
  afterEach(async () => {
    await h?.close();
  });

  it("adds a Moodle source, checks it, syncs it through the queue and shows the run", async function () {
    this.timeout(300_000);
    h = await startHarness(await open());
    const ds = tinySchool();
    ds.streams.marks.push({
      id: "m-bad",
      studentId: "s2",
      subjectId: "math",
      lessonId: "l1",
      value: "7",
    } as unknown as Mark);
    const sim = await startSimulatedSource("moodle", ds);
    try {
      // The admin of the school the source will turn out to be (sch1) and of school A.
      await createUser(h.db, {
        login: "it-admin",
        displayName: "ИТ",
        password: PASSWORD,
        role: "admin",
        schoolIds: ["sch1", SCHOOL_A],
      });
      const admin = new Client(h.base);
      expect((await admin.login("it-admin")).status).to.equal(200);
      const add = await admin.call("POST", "/api/v1/sources", {
        id: "moodle-1",
        kind: "moodle",
        config: sim.config,
      });
      expect(add.status, add.text).to.equal(201);
      expect((add.body as { config: { token: string } }).config.token).to.equal("••••");
      // Not synced yet: no school, visible to every admin in their school's list.
      const listed = await admin.call("GET", `/api/v1/schools/${SCHOOL_A}/sources`);
      expect((listed.body as { id: string; schoolId: null }[]).map((s) => [s.id, s.schoolId])).to.deep.equal([
        ["moodle-1", null],
      ]);
      expect(listed.text).to.not.contain(String(sim.config.token));
      const dup = await admin.call("POST", "/api/v1/sources", {
        id: "moodle-1",
        kind: "moodle",
        config: sim.config,
      });
      expect(dup.status).to.equal(409);
      const badConfig = await admin.call("POST", "/api/v1/sources", {
        id: "moodle-x",
        kind: "moodle",
        config: { url: 5 },
      });
      expect(badConfig.status).to.equal(400);

      const check = await admin.call("POST", "/api/v1/sources/moodle-1/check");
      expect(check.status, check.text).to.equal(200);
      expect(check.body).to.include({ ok: true });

      const sync = await admin.call("POST", "/api/v1/sources/moodle-1/sync", { full: false });
      expect(sync.status).to.equal(202);
      const { jobId } = sync.body as { jobId: string };
      expect(await settled(h, jobId)).to.equal("completed");
      const jobs = await admin.call("GET", "/api/v1/jobs?state=completed");
      expect((jobs.body as { items: { id: string; name: string }[] }).items.map((j) => j.id)).to.include(
        jobId,
      );

      const runs = await admin.call("GET", "/api/v1/sources/moodle-1/runs");
      const page = runs.body as {
        total: number;
        items: {
          id: number;
          status: string;
          counts: Record<string, number>;
          requests: number;
          durationMs: number;
        }[];
      };
      expect(page.total).to.equal(1);
      const run = page.items[0];
      expect(run.status).to.equal("ok");
      expect(run.counts.read).to.be.greaterThan(0);
      expect(run.counts.inserted).to.be.greaterThan(0);
      expect(run.counts.quarantined).to.equal(1);
      expect(run.requests).to.be.greaterThan(0);
      expect(run.durationMs).to.be.at.least(0);
      const q = await admin.call("GET", `/api/v1/sources/moodle-1/quarantine?run=${run.id}`);
      const items = (q.body as { items: { stream: string; reason: string; raw: string }[] }).items;
      expect(items).to.have.length(1);
      expect(items[0].stream).to.equal("marks");
      expect((await admin.call("GET", "/api/v1/sources/moodle-1/outages")).status).to.equal(200);

      // Now the source belongs to sch1: an admin of school A only does not see it any more.
      const other = new Client(h.base);
      await other.login(`admin-${SCHOOL_A}`);
      expect((await other.call("GET", "/api/v1/sources/moodle-1/runs")).status).to.equal(404);
      expect((await other.call("GET", `/api/v1/schools/${SCHOOL_A}/sources`)).body).to.deep.equal([]);
      const sch1 = await admin.call("GET", "/api/v1/schools/sch1/sources");
      const src = (sch1.body as { schoolId: string; lastRun: { id: number } }[])[0];
      expect(src.schoolId).to.equal("sch1");
      expect(src.lastRun.id).to.equal(run.id);

      // Metrics see the run.
      expect((await admin.call("GET", "/metrics")).text).to.match(
        /reglament_sync_runs_total\{source="moodle-1",status="ok"\} 1/,
      );

      // Paused: the scheduled fan-out skips it; an unpaused second source is still synced.
      await admin.call("POST", "/api/v1/sources", { id: "moodle-2", kind: "moodle", config: sim.config });
      const pause = await admin.call("PATCH", "/api/v1/sources/moodle-1", { paused: true });
      expect(pause.status).to.equal(204);
      await h.queue.add("sync", {}, { jobId: "fan" });
      expect(await settled(h, "fan")).to.equal("completed");
      expect(await h.queue.getJob("fan:moodle-1")).to.equal(undefined);
      expect(await h.queue.getJob("fan:moodle-2")).to.not.equal(undefined);
      expect(await settled(h, "fan:moodle-2")).to.equal("completed");
      // A masked secret in an edit keeps the stored value.
      const edit = await admin.call("PATCH", "/api/v1/sources/moodle-1", {
        config: { ...sim.config, token: "••••", requestsPerSecond: 50 },
      });
      expect(edit.status, edit.text).to.equal(204);
      expect((await admin.call("POST", "/api/v1/sources/moodle-1/check")).body).to.include({ ok: true });

      const audit = await h.db.query<{ action: string }>(
        "SELECT DISTINCT action FROM audit_log WHERE action LIKE 'source.%' ORDER BY action",
      );
      expect(audit.map((a) => a.action)).to.include.members([
        "source.add",
        "source.change",
        "source.check",
        "source.sync",
      ]);
    } finally {
      await sim.close();
    }
  });

  it("a check lists what a read-only account cannot read (missing rights, skipped courses)", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const ds = tinySchool();
    const sim = await startMoodleSimulator({
      dataset: ds,
      token: "full-token-0123456789",
      readOnlyToken: "read-only-token-0123456789",
      attendancePlugin: true,
    });
    try {
      const admin = new Client(h.base);
      await admin.login(`admin-${SCHOOL_A}`);
      const config = { url: sim.url, school: ds.manifest.school, periods: ds.streams.periods };
      for (const [id, token] of [
        ["moodle-ro", "read-only-token-0123456789"],
        ["moodle-full", "full-token-0123456789"],
      ])
        expect(
          (await admin.call("POST", "/api/v1/sources", { id, kind: "moodle", config: { ...config, token } }))
            .status,
        ).to.equal(201);
      const ro = await admin.call("POST", "/api/v1/sources/moodle-ro/check");
      const body = ro.body as { ok: boolean; detail: string; problems: { code: string; message: string }[] };
      expect(ro.status, ro.text).to.equal(200);
      // idSource "idnumber" (the default) refuses: ids would change once the rights are granted.
      expect(body.ok).to.equal(false);
      const messages = body.problems.map((p) => p.message);
      expect(messages[0]).to.match(/^Moodle не отдаёт этой учётной записи idnumber/);
      expect(
        messages.some((m) => /^Нет права moodle\/course:update/.test(m)),
        messages.join("\n"),
      ).to.equal(true);
      expect(body.problems.every((p) => p.code === "capability")).to.equal(true);
      expect(body.detail).to.match(/^Moodle .* functions/);
      const full = (await admin.call("POST", "/api/v1/sources/moodle-full/check")).body as typeof body;
      expect(full).to.include({ ok: true });
      expect(full.problems).to.deep.equal([]);
    } finally {
      await sim.close();
    }
  });

  it("retries a failed job", async function () {
    this.timeout(120_000);
    h = await startHarness(await open());
    const admin = new Client(h.base);
    await admin.login(`admin-${SCHOOL_A}`);
    await h.queue.add("sync", { sourceId: "no-such-source" }, { jobId: "doomed", attempts: 1 });
    expect(await settled(h, "doomed")).to.equal("failed");
    const failed = await admin.call("GET", "/api/v1/jobs?state=failed");
    const body = failed.body as { counts: { failed: number }; items: { id: string; failedReason: string }[] };
    expect(body.counts.failed).to.equal(1);
    expect(body.items[0].id).to.equal("doomed");
    expect(body.items[0].failedReason).to.match(/no source/);
    const retry = await admin.call("POST", "/api/v1/jobs/doomed/retry");
    expect(retry.status).to.equal(200);
    expect(await settled(h, "doomed")).to.equal("failed");
    expect((await admin.call("POST", "/api/v1/jobs/not-there/retry")).status).to.equal(404);
  });
});
