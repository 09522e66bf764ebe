// A Moodle site without the Attendance plugin (platforms/real-moodle F7): no lessons, yet a mark
// from a grade column `lesson:<date>#<n>` keeps its lesson's day in the store (marks.lesson_date),
// so mark.oral.late can judge it; no lesson record is invented.
import { expect } from "chai";
import { type MoodleSimulator, startMoodleSimulator } from "../../src/connectors/moodle/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { tinyDataset } from "../connectors/moodle/tiny-dataset.ts";
import { forEachEngine } from "../support/engines.ts";

const TOKEN = "lesson-date-token-0123456789abcd";

forEachEngine("Moodle without the Attendance plugin", (ctx) => {
  let sim: MoodleSimulator;
  const ds = tinyDataset();
  beforeEach(async () => {
    sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, attendancePlugin: false });
  });
  afterEach(async () => {
    await sim.close();
  });

  it("stores each lesson mark with its lesson's day and no lesson", async function () {
    this.timeout(300_000);
    const db = await ctx.open();
    const connector = createConnector(
      { kind: "moodle", url: sim.url, token: TOKEN, school: ds.manifest.school, periods: ds.streams.periods },
      { http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } } },
    );
    await runSync(db, connector, { source: "m", full: true, from: "2026-09-01", to: "2027-05-31" });
    expect(await db.query("SELECT 1 FROM lessons")).to.deep.equal([]);
    const rows = await db.query<{ lesson_id: string | null; day: string | null; value: string }>(
      "SELECT lesson_id, to_char(lesson_date, 'YYYY-MM-DD') AS day, value FROM marks WHERE work_id IS NULL",
    );
    const order = (list: { day: string | null; value: string }[]) =>
      list.map((r) => JSON.stringify(r)).sort();
    const lessonDay = new Map(ds.streams.lessons.map((l) => [l.id, l.date]));
    const expected = ds.streams.marks
      .filter((m) => !m.workId)
      .map((m) => ({
        lesson_id: null,
        day: m.lessonId ? lessonDay.get(m.lessonId)! : null,
        value: String(m.value),
      }));
    expect(order(rows)).to.deep.equal(order(expected));
  });
});
