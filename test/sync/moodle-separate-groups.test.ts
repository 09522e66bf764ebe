// A separate-groups course read by an account without moodle/site:accessallgroups (in none of its
// groups): Moodle answers an empty member list, no error (platforms/real-moodle F5). The sync must
// not store it as a course without pupils, works or marks: it quarantines the course with the reason
// and reads the other courses.
import { expect } from "chai";
import { moodleIds } from "../../src/connectors/moodle/mapping.ts";
import { type MoodleSimulator, startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { tinyDataset } from "../connectors/moodle/tiny-dataset.ts";
import { forEachEngine } from "../support/engines.ts";

const FULL = "full-rights-token-0123456789abcd";
const READ_ONLY = "read-only-token-0123456789abcdef";

forEachEngine("Moodle separate-groups course without accessallgroups", (ctx) => {
  let sim: MoodleSimulator;
  const ds = tinyDataset();
  let hidden: number;
  beforeEach(async () => {
    const probe = await startMoodleSimulator({ dataset: ds, token: FULL });
    hidden = probe.site.courses[0].id;
    await probe.close();
    sim = await startMoodleSimulator({
      dataset: ds,
      token: FULL,
      readOnlyToken: READ_ONLY,
      separateGroupsCourses: [hidden],
    });
  });
  afterEach(async () => {
    await sim.close();
  });

  const connector = (token: string) =>
    createConnector(
      {
        kind: "moodle",
        url: sim.url,
        token,
        school: ds.manifest.school,
        periods: ds.streams.periods,
        idSource: "moodle",
      },
      { http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } } },
    );
  const WINDOW = { from: "2026-09-01", to: "2027-05-31" };

  it("quarantines the course with its reason and stores the other courses' data", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    await runSync(db, connector(READ_ONLY), { source: "m", full: true, ...WINDOW });
    const q = await db.query<{ stream: string; reason: string }>(
      "SELECT stream, reason FROM quarantine WHERE origin = $1",
      [`course ${hidden}`],
    );
    expect(q.map((r) => r.stream)).to.deep.equal(["subjects"]);
    expect(q[0].reason).to.match(/separate groups.*moodle\/site:accessallgroups/);
    // Nothing of the hidden course (its gradebook items and assignments), every other mark stored.
    const items = new Set(sim.site.gradebook.get(hidden)!.map((i) => i.row.id as number));
    const assignments = new Set(sim.site.assignments.filter((a) => a.course === hidden).map((a) => a.id));
    const all = [...sim.site.ids.marks.values()].map((at) =>
      at.kind === "assign"
        ? { id: moodleIds.assignMark(at.assignmentId, at.userId), hidden: assignments.has(at.assignmentId) }
        : { id: moodleIds.gradeMark(at.itemId, at.userId), hidden: items.has(at.itemId) },
    );
    expect(all.filter((m) => m.hidden).length).to.be.greaterThan(0);
    const stored = await db.query<{ key: string }>("SELECT key FROM marks");
    expect(stored.map((r) => r.key).sort()).to.deep.equal(
      all
        .filter((m) => !m.hidden)
        .map((m) => m.id)
        .sort(),
    );
  });

  it("a later sync that sees no course deletes none of what an earlier one took (every course in separate groups)", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    const groups = await startMoodleSimulator({
      dataset: ds,
      token: FULL,
      readOnlyToken: READ_ONLY,
      courseMapping: "groups-as-classes",
    });
    try {
      const connect = (token: string) =>
        createConnector(
          {
            kind: "moodle",
            url: groups.url,
            token,
            school: ds.manifest.school,
            periods: ds.streams.periods,
            idSource: "moodle",
            courseMapping: "groups-as-classes",
          },
          { http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } } },
        );
      await runSync(db, connect(FULL), { source: "m", full: true, ...WINDOW });
      const live = async (table: string) =>
        (await db.query<{ key: string }>(`SELECT key FROM ${table} WHERE deleted_at IS NULL`))
          .map((r) => r.key)
          .sort();
      const tables = ["marks", "persons", "works", "subjects", "classes"];
      const before = await Promise.all(tables.map(live));
      expect(before[0].length).to.be.greaterThan(0);
      const s = await runSync(db, connect(READ_ONLY), { source: "m", full: true, ...WINDOW });
      expect(s.totals.deleted, JSON.stringify(s.streams)).to.equal(0);
      expect(await Promise.all(tables.map(live))).to.deep.equal(before);
    } finally {
      await groups.close();
    }
  });
});
