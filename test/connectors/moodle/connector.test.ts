// The connector against nock serving fixtures shaped like real Moodle 4.5 answers
// (test/fixtures/moodle): mapping of every stream, rejects with reasons, the Attendance plugin
// present or missing, the date window and the cursor.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { InvalidRequestError } from "../../../src/connectors/errors.ts";
import { type MoodleConfigInput, moodleConfigSchema } from "../../../src/connectors/moodle/config.ts";
import { createMoodleConnector } from "../../../src/connectors/moodle/connector.ts";
import { ConnectorConfigError, createConnector } from "../../../src/connectors/registry.ts";
import { encryptSecret } from "../../../src/connectors/secrets.ts";
import type { Connector, ReadOptions, RejectedRecord } from "../../../src/connectors/types.ts";
import type { StreamName, StreamRecords } from "../../../src/model/records.ts";
import nock from "../helpers/nock.ts";

const ORIGIN = "https://school.example";
const PATH = "/moodle/webservice/rest/server.php";
const TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed";
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/moodle/${name}`, import.meta.url), "utf8"));

type Answers = Record<string, (q: URLSearchParams) => unknown>;

function answers(attendance: boolean): Answers {
  return {
    core_webservice_get_site_info: () =>
      fixture(attendance ? "site-info.json" : "site-info-no-attendance.json"),
    core_course_get_courses: () => fixture("courses.json"),
    core_enrol_get_enrolled_users: (q) =>
      q.get("courseid") === "12" ? fixture("enrolled-users-12.json") : [],
    core_course_get_contents: (q) => (q.get("courseid") === "12" ? fixture("contents-12.json") : []),
    mod_assign_get_assignments: () => fixture("assignments.json"),
    mod_assign_get_grades: () => fixture("assign-grades.json"),
    gradereport_user_get_grade_items: () => fixture("grade-items-12.json"),
    mod_attendance_get_sessions: (q) => (q.get("attendanceid") === "31" ? fixture("sessions-31.json") : []),
  };
}

/** Serves the answers by wsfunction (form POSTs, as the client sends) and records every call's parameters. */
function serve(a: Answers): URLSearchParams[] {
  const calls: URLSearchParams[] = [];
  // nock 15 hands a reply function the fetch Request.
  nock(ORIGIN)
    .persist()
    .post(PATH)
    .reply(async (req: Request) => {
      const q = new URLSearchParams(await req.text());
      calls.push(q);
      const fn = q.get("wsfunction") ?? "";
      const answer = a[fn];
      if (!answer) {
        const message = `Access to the function ${fn}() is not allowed.`;
        return [200, { exception: "webservice_access_exception", errorcode: "accessexception", message }];
      }
      return [200, answer(q)];
    });
  return calls;
}

function connector(extra: Partial<MoodleConfigInput> = {}): Connector {
  const config = moodleConfigSchema.parse({
    url: `${ORIGIN}/moodle`,
    token: TOKEN,
    school: { id: "gym5", timezone: "Europe/Moscow" },
    lessonNumbers: { "09:30": 2 },
    periods: [{ id: "2026-q1", kind: "quarter", number: 1, start: "2026-09-01", end: "2026-10-24" }],
    ...extra,
  });
  return createMoodleConnector(config, {
    http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } },
  });
}

async function readAll<S extends StreamName>(c: Connector, stream: S, options: Partial<ReadOptions> = {}) {
  const records: StreamRecords[S][] = [];
  const rejected: RejectedRecord[] = [];
  const cursors: (string | null)[] = [];
  for await (const page of c.read(stream, { cursor: null, ...options })) {
    records.push(...page.records);
    rejected.push(...page.rejected);
    cursors.push(page.cursor);
  }
  return { records, rejected, cursors };
}

describe("moodle/connector (fixtures)", function () {
  this.timeout(10_000);
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("maps courses to a class and a subject and rejects a course its pattern does not fit", async () => {
    serve(answers(true));
    const c = connector();
    const subjects = await readAll(c, "subjects");
    expect(subjects.records).to.deep.equal([{ id: "alg", name: "Алгебра" }]);
    expect(subjects.rejected).to.have.length(1);
    expect(subjects.rejected[0]).to.include({
      stream: "subjects",
      field: "fullname",
      origin: "core_course_get_courses id=13",
    });
    expect((await readAll(c, "classes")).records).to.deep.equal([{ id: "7v", grade: 7, letter: "В" }]);
  });

  it("reads pupils and teachers by role, ids from idnumber or moodle-user-N, no other roles", async () => {
    const calls = serve(answers(true));
    const persons = await readAll(connector(), "persons");
    expect(persons.records).to.deep.equal([
      { id: "T-0041", role: "teacher", name: "Ирина Петрова" },
      { id: "S-0057", role: "student", name: "Вера Иванова", classId: "7v" },
      { id: "moodle-user-58", role: "student", name: "Пётр Козлов", classId: "7v" },
    ]);
    const enrol = calls.find((q) => q.get("wsfunction") === "core_enrol_get_enrolled_users")!;
    expect(enrol.get("courseid")).to.equal("12");
    expect(enrol.get("options[0][name]")).to.equal("userfields");
    expect(enrol.get("options[2][name]")).to.equal("limitnumber");
  });

  it("reads assignments as works with kind and due date, and rejects one without a due date", async () => {
    serve(answers(true));
    const works = await readAll(connector(), "works");
    expect(works.records).to.deep.equal([
      { id: "moodle-assign-77", classId: "7v", subjectId: "alg", kind: "control", date: "2026-09-15" },
    ]);
    expect(works.rejected.map((r) => r.field)).to.deep.equal(["duedate"]);
    expect(works.cursors).to.deep.equal([null]);
  });

  it("reads marks with platform times: assignment grades with grader, gradebook grades with the lesson", async () => {
    serve(answers(true));
    const marks = await readAll(connector(), "marks");
    expect(marks.records).to.deep.equal([
      {
        id: "moodle-assign-77-user-57",
        studentId: "S-0057",
        subjectId: "alg",
        workId: "moodle-assign-77",
        value: 5,
        recordedAt: "2026-09-17T16:00:00+03:00",
        authorId: "T-0041",
      },
      {
        id: "moodle-grade-802-user-57",
        studentId: "S-0057",
        subjectId: "alg",
        lessonId: "moodle-session-3101",
        value: 4,
        recordedAt: "2026-09-15T15:00:00+03:00",
      },
    ]);
    const reasons = marks.rejected.map((r) => `${r.field ?? "-"}: ${r.reason}`);
    // "No grades found" (warning 3) only says an assignment has no grades yet: nothing to quarantine.
    expect(reasons).to.have.members([
      "userid: user 60 is not an enrolled pupil",
      "gradeformatted: grade 87.5 is not a mark 1–5",
    ]);
  });

  it("reads further grade columns of an assignment as marks for its work, of a lesson as marks in it", async () => {
    const a = answers(true);
    a.gradereport_user_get_grade_items = () => {
      const body = fixture("grade-items-12.json") as {
        usergrades: { userid: number; gradeitems: object[] }[];
      };
      const vera = body.usergrades.find((u) => u.userid === 57)!;
      const manual = (id: number, idnumber: string, graderaw: number, gradeformatted: string) => ({
        ...(vera.gradeitems[1] as object),
        id,
        idnumber,
        graderaw,
        gradeformatted,
      });
      vera.gradeitems.push(
        manual(811, "assign:77~2", 4, "3"),
        manual(812, "assign:77~3", 4, "н/а"),
        manual(813, "lesson:2026-09-15#2~2", 9, "5"),
        manual(814, "assign:999~2", 9, "5"),
      );
      return body;
    };
    serve(a);
    const marks = await readAll(connector(), "marks");
    const further = marks.records.filter((m) => /moodle-grade-81\d/.test(m.id));
    expect(further.map((m) => [m.id, m.workId ?? m.lessonId, m.value])).to.deep.equal([
      ["moodle-grade-811-user-57", "moodle-assign-77", 3],
      ["moodle-grade-812-user-57", "moodle-assign-77", "н/а"],
      ["moodle-grade-813-user-57", "moodle-session-3101", 5],
    ]);
    const stray = marks.rejected.find((r) => r.origin.includes("item=814"));
    expect(stray?.field).to.equal("idnumber");
    expect(stray?.reason).to.match(/assignment 999, which is not an assignment of this course/);
  });

  it("reads period marks from grade items named period:<id>, offers the configured periods", async () => {
    serve(answers(true));
    const c = connector();
    expect((await c.discover()).streams).to.include("periods");
    const periods = await readAll(c, "periods");
    expect(periods.records.map((p) => p.id)).to.deep.equal(["2026-q1"]);
    expect(periods.cursors).to.deep.equal([null]);
    const pm = await readAll(c, "periodMarks");
    expect(pm.records).to.deep.equal([
      {
        studentId: "S-0057",
        subjectId: "alg",
        periodId: "2026-q1",
        value: 5,
        recordedAt: "2026-10-20T12:00:00+03:00",
      },
    ]);
  });

  it("reads Attendance sessions as lessons (taken time) and their log as attendance", async () => {
    const calls = serve(answers(true));
    const c = connector();
    expect((await c.discover()).streams).to.include.members(["lessons", "attendance"]);
    const lessons = await readAll(c, "lessons");
    expect(lessons.records).to.deep.equal([
      {
        id: "moodle-session-3101",
        classId: "7v",
        subjectId: "alg",
        teacherId: "T-0041",
        date: "2026-09-15",
        number: 2,
        start: "09:30",
        end: "10:15",
        topic: "Степень с натуральным показателем",
        attendanceRecordedAt: "2026-09-15T09:40:00+03:00",
      },
      {
        id: "moodle-session-3102",
        classId: "7v",
        subjectId: "alg",
        teacherId: "T-0041",
        date: "2026-09-16",
        number: 2,
        start: "09:30",
        end: "10:15",
      },
    ]);
    expect(
      calls.some(
        (q) => q.get("wsfunction") === "mod_attendance_get_sessions" && q.get("attendanceid") === "31",
      ),
    ).to.equal(true);
    const att = await readAll(c, "attendance");
    expect(att.records).to.deep.equal([
      { studentId: "S-0057", lessonId: "moodle-session-3101", status: "present" },
    ]);
    expect(att.rejected.map((r) => r.reason)).to.have.members([
      'status "X" has no mapping',
      "user 99 is not enrolled in the course",
    ]);
  });

  it("numbers lessons by their order in the day when no bell schedule is configured", async () => {
    serve(answers(true));
    const lessons = await readAll(connector({ lessonNumbers: undefined }), "lessons");
    expect(lessons.records.map((l) => l.number)).to.deep.equal([1, 1]);
  });

  it("keeps to the date window", async () => {
    serve(answers(true));
    const lessons = await readAll(connector(), "lessons", { from: "2026-09-16", to: "2026-09-30" });
    expect(lessons.records.map((l) => l.id)).to.deep.equal(["moodle-session-3102"]);
  });

  it("rejects a session whose lead teacher is ambiguous, keeps the one its taker identifies", async () => {
    const a = answers(true);
    a.core_enrol_get_enrolled_users = () => [
      ...(fixture("enrolled-users-12.json") as object[]),
      {
        id: 42,
        fullname: "Олег Смирнов",
        idnumber: "T-0042",
        roles: [{ roleid: 3, shortname: "editingteacher" }],
        groups: [],
      },
    ];
    serve(a);
    const lessons = await readAll(connector(), "lessons");
    expect(lessons.records.map((l) => [l.id, l.teacherId])).to.deep.equal([
      ["moodle-session-3101", "T-0041"],
    ]);
    expect(lessons.rejected).to.have.length(1);
    expect(lessons.rejected[0]).to.include({ stream: "lessons", field: "lasttakenby" });
  });

  it("without the Attendance plugin offers no lessons or attendance and never calls the plugin", async () => {
    const calls = serve(answers(false));
    const c = connector();
    const { streams } = await c.discover();
    expect(streams).to.not.include.members(["lessons"]);
    expect(streams).to.not.include.members(["attendance"]);
    let error: unknown;
    try {
      await readAll(c, "attendance");
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(InvalidRequestError);
    const marks = await readAll(c, "marks");
    expect(marks.records.find((m) => m.id === "moodle-grade-802-user-57")).to.not.have.property("lessonId");
    expect(calls.map((q) => q.get("wsfunction"))).to.not.include("mod_attendance_get_sessions");
  });

  it("check names the functions the service lacks", async () => {
    const a = answers(true);
    a.core_webservice_get_site_info = () => {
      const info = fixture("site-info.json") as { functions: { name: string }[] };
      return { ...info, functions: info.functions.filter((f) => f.name !== "mod_assign_get_grades") };
    };
    serve(a);
    const r = await connector().check();
    expect(r.ok).to.equal(false);
    expect(r.detail).to.include("mod_assign_get_grades");
  });

  it("resumes after a cursor and refuses an unreadable one", async () => {
    serve(answers(true));
    const c = connector();
    const after = await readAll(c, "works", { cursor: "course:1" });
    expect(after.records).to.deep.equal([]);
    expect(after.cursors).to.deep.equal([null]);
    let error: unknown;
    try {
      await readAll(c, "works", { cursor: "page=2" });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(InvalidRequestError);
  });
});

describe("moodle/connector (registry and failures)", function () {
  this.timeout(20_000); // deriving the key of an encrypted token takes a while
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("is registered as kind moodle and takes an encrypted token", async () => {
    const secret = "test-secret-for-moodle-connector";
    const calls = serve(answers(true));
    const c = createConnector(
      {
        kind: "moodle",
        url: `${ORIGIN}/moodle`,
        token: encryptSecret(TOKEN, secret),
        school: { id: "gym5", timezone: "Europe/Moscow" },
      },
      { secret, http: { retry: { retries: 0 } } },
    );
    expect(c.kind).to.equal("moodle");
    expect((await c.check()).ok).to.equal(true);
    expect(calls[0].get("wstoken")).to.equal(TOKEN);
    expect(() =>
      createConnector({
        kind: "moodle",
        url: "not a url",
        token: "x",
        school: { id: "s", timezone: "Mars/Base" },
      }),
    ).to.throw(ConnectorConfigError, /url|timezone/);
  });

  it("turns a course the account may not read into one rejection and reads the rest", async () => {
    const a = answers(true);
    a.gradereport_user_get_grade_items = () => ({
      exception: "required_capability_exception",
      errorcode: "nopermissions",
      message: "Sorry, but you do not currently have permissions to do that (View all grades).",
    });
    serve(a);
    const pm = await readAll(connector(), "periodMarks");
    expect(pm.records).to.deep.equal([]);
    expect(pm.rejected).to.have.length(1);
    expect(pm.rejected[0].origin).to.equal("course 12");
    expect(pm.rejected[0].reason).to.match(/nopermissions/);
  });

  it("reads the other lessons when the plugin refuses one course's sessions", async () => {
    const a = answers(true);
    a.mod_attendance_get_sessions = () => ({
      exception: "invalid_parameter_exception",
      errorcode: "invalidparameter",
      message: "Invalid parameter value detected (Invalid session id or no permissions.)",
    });
    serve(a);
    const lessons = await readAll(connector(), "lessons");
    expect(lessons.records).to.deep.equal([]);
    expect(lessons.rejected.map((r) => r.origin)).to.deep.equal(["course 12"]);
    expect(lessons.rejected[0].reason).to.match(/no permissions/);
  });
});
