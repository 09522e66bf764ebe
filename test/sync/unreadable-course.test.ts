// A Moodle course the account may not read is skipped, not read as empty: a sync deletes none of the
// records an earlier sync took from it (issue 9 §1, scope per course).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { moodleConfigSchema } from "../../src/connectors/moodle/config.ts";
import { createMoodleConnector } from "../../src/connectors/moodle/connector.ts";
import type { Db } from "../../src/store/db.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import nock from "../connectors/helpers/nock.ts";
import { forEachEngine } from "../support/engines.ts";

const ORIGIN = "https://school.example";
const PATH = "/moodle/webservice/rest/server.php";
const TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed";
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/moodle/${name}`, import.meta.url), "utf8"));

type Answers = Record<string, (q: URLSearchParams) => unknown>;

const site: Answers = {
  core_webservice_get_site_info: () => fixture("site-info.json"),
  core_course_get_courses: () => fixture("courses.json"),
  core_enrol_get_enrolled_users: (q) => (q.get("courseid") === "12" ? fixture("enrolled-users-12.json") : []),
  core_course_get_contents: (q) => (q.get("courseid") === "12" ? fixture("contents-12.json") : []),
  mod_assign_get_assignments: () => fixture("assignments.json"),
  mod_assign_get_grades: () => fixture("assign-grades.json"),
  gradereport_user_get_grade_items: () => fixture("grade-items-12.json"),
  mod_attendance_get_sessions: (q) => (q.get("attendanceid") === "31" ? fixture("sessions-31.json") : []),
};

function serve(a: Answers): void {
  nock(ORIGIN)
    .persist()
    .post(PATH)
    .reply(async (req: Request) => {
      const q = new URLSearchParams(await req.text());
      const answer = a[q.get("wsfunction") ?? ""];
      return [200, answer(q)];
    });
}

const connector = () =>
  createMoodleConnector(
    moodleConfigSchema.parse({
      url: `${ORIGIN}/moodle`,
      token: TOKEN,
      school: { id: "gym5", timezone: "Europe/Moscow" },
      lessonNumbers: { "09:30": 2 },
    }),
    { http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } } },
  );

const live = async (db: Db, table: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE deleted_at IS NULL`))[0].n;

forEachEngine("a moodle course the account may not read", (ctx) => {
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("is skipped: its lessons and marks are not marked deleted", async () => {
    const db = await ctx.open();
    serve(site);
    await runSync(db, connector(), { source: "m", full: false, now: new Date("2026-10-01T12:00:00Z") });
    const lessons = await live(db, "lessons");
    const marks = await live(db, "marks");
    expect(lessons).to.be.greaterThan(0);
    expect(marks).to.be.greaterThan(0);
    nock.cleanAll();
    const refused = () => ({
      exception: "required_capability_exception",
      errorcode: "nopermissions",
      message: "Sorry, but you do not currently have permissions to do that.",
    });
    serve({ ...site, gradereport_user_get_grade_items: refused, mod_attendance_get_sessions: refused });
    const again = await runSync(db, connector(), {
      source: "m",
      full: false,
      now: new Date("2026-10-02T12:00:00Z"),
    });
    expect(again.streams.lessons?.quarantined).to.equal(1);
    expect(again.streams.lessons?.deleted).to.equal(0);
    expect(again.streams.marks?.deleted).to.equal(0);
    expect(await live(db, "lessons")).to.equal(lessons);
    expect(await live(db, "marks")).to.equal(marks);
  });
});
