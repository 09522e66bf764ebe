// The connector against the raw answers of a real Moodle 4.3 server (test/fixtures/moodle/real-4.3,
// copied from shared/platforms/moodle-4.3-responses; readonly-account/ = a non-editing teacher on the
// class category plus moodle/course:view). Each case here broke the connector on the real server.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { NotPermittedError } from "../../../src/connectors/errors.ts";
import { type MoodleConfigInput, moodleConfigSchema } from "../../../src/connectors/moodle/config.ts";
import { createMoodleConnector } from "../../../src/connectors/moodle/connector.ts";
import type { Connector, ReadOptions, RejectedRecord } from "../../../src/connectors/types.ts";
import type { StreamName, StreamRecords } from "../../../src/model/records.ts";
import nock from "../helpers/nock.ts";

const ORIGIN = "http://moodle.school.example";
const PATH = "/webservice/rest/server.php";
const TOKEN = "ca39316422f0050889b725b502365707";
type Account = "admin" | "readonly";
type Json = Record<string, unknown>;

const real = (account: Account, name: string): unknown =>
  JSON.parse(
    readFileSync(
      new URL(
        `../../fixtures/moodle/real-4.3/${account === "readonly" ? "readonly-account/" : ""}${name}`,
        import.meta.url,
      ),
      "utf8",
    ),
  );

type Answers = Record<string, (q: URLSearchParams) => unknown>;

/** Every function the connector calls, answered with the recorded file of that account. */
function answers(account: Account): Answers {
  const perCourse = (prefix: string) => (q: URLSearchParams) =>
    real(account, `${prefix}-${q.get("courseid")}.json`);
  return {
    core_webservice_get_site_info: () => real(account, "site-info.json"),
    core_course_get_courses: () => real(account, "courses.json"),
    core_enrol_get_enrolled_users: perCourse("enrolled-users"),
    core_group_get_course_groups: perCourse("groups"),
    core_course_get_contents: perCourse("contents"),
    mod_assign_get_assignments: () => real(account, "assignments.json"),
    mod_assign_get_grades: () => real(account, "assign-grades.json"),
    gradereport_user_get_grade_items: perCourse("grade-items"),
  };
}

/**
 * The same site after 11-scale-assign.php (shared/platforms/real-moodle): assignment 4 of course 2
 * graded on the school scale. Its grades are the recorded assign-grades-scale.json; its records in
 * mod_assign_get_assignments and in the gradebook were not recorded, so they are the recorded records
 * of assignment 1 with what the script changed (grade = -scale id, the scale's labels and positions).
 */
function withScaleAssignment(a: Answers, account: Account): Answers {
  return {
    ...a,
    mod_assign_get_assignments: () => {
      const body = real(account, "assignments.json") as { courses: { id: number; assignments: Json[] }[] };
      const math = body.courses.find((c) => c.id === 2)!;
      math.assignments.push({
        ...math.assignments[0],
        id: 4,
        cmid: 4,
        name: "Самостоятельная работа (шкала)",
        duedate: 1795553940,
        grade: -3,
      });
      return body;
    },
    mod_assign_get_grades: () => {
      const body = real(account, "assign-grades.json") as { assignments: Json[] };
      const scale = real("admin", "assign-grades-scale.json") as { assignments: Json[] };
      return { ...body, assignments: [...body.assignments, ...scale.assignments] };
    },
    gradereport_user_get_grade_items: (q) => {
      const body = real(account, `grade-items-${q.get("courseid")}.json`) as {
        usergrades: { userid: number; gradeitems: Json[] }[];
      };
      if (q.get("courseid") !== "2") return body;
      const cells: Record<number, [number, string]> = { 4: [9, "5"], 5: [4, "н/а"] };
      for (const ug of body.usergrades) {
        const assign1 = ug.gradeitems.find((i) => i.itemmodule === "assign")!;
        const cell = cells[ug.userid];
        ug.gradeitems.push({
          ...assign1,
          id: 17,
          itemname: "Самостоятельная работа (шкала)",
          iteminstance: 4,
          cmid: 4,
          grademin: 1,
          grademax: 9,
          rangeformatted: "нз&ndash;5",
          graderaw: cell ? cell[0] : null,
          gradedategraded: cell ? 1796210918 : null,
          gradeformatted: cell ? cell[1] : "-",
        });
      }
      return body;
    },
  };
}

function serve(a: Answers): URLSearchParams[] {
  const calls: URLSearchParams[] = [];
  nock(ORIGIN)
    .persist()
    .post(PATH)
    .reply(async (req: Request) => {
      const q = new URLSearchParams(await req.text());
      calls.push(q);
      const fn = q.get("wsfunction") ?? "";
      const answer = a[fn];
      if (!answer) return [200, real("admin", "error-notinservice.json")];
      return [200, answer(q)];
    });
  return calls;
}

function connector(extra: Partial<MoodleConfigInput> = {}): Connector {
  const config = moodleConfigSchema.parse({
    url: ORIGIN,
    token: TOKEN,
    school: { id: "school-1", name: "Школа 1", timezone: "Europe/Moscow" },
    periods: [
      { id: "q1", kind: "quarter", number: 1, start: "2026-09-01", end: "2026-10-25" },
      { id: "q2", kind: "quarter", number: 2, start: "2026-11-05", end: "2026-12-28" },
    ],
    ...extra,
  });
  return createMoodleConnector(config, {
    http: { retry: { retries: 0 }, rateLimit: { requestsPerSecond: 1000 } },
  });
}

async function readAll<S extends StreamName>(c: Connector, stream: S, options: Partial<ReadOptions> = {}) {
  const records: StreamRecords[S][] = [];
  const rejected: RejectedRecord[] = [];
  for await (const page of c.read(stream, { cursor: null, ...options })) {
    records.push(...page.records);
    rejected.push(...page.rejected);
  }
  return { records, rejected };
}

describe("moodle/connector against real Moodle 4.3 answers", function () {
  this.timeout(10_000);
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  describe("scale marks (F1, F2)", () => {
    it("reads scale items by their label: «н/а» is not mark 4, «5» is not position 9", async () => {
      serve(answers("admin"));
      const marks = await readAll(connector(), "marks");
      const lesson = (id: number) =>
        marks.records
          .filter((m) => m.id.startsWith(`moodle-grade-${id}-`))
          .map((m) => `${m.studentId}=${m.value}`)
          .sort();
      // Русский язык, lesson:2026-11-11#1 on the scale нз,зч,осв,н/а,1,2,3,4,5 (5, 4, 3, н/а, 2 entered).
      expect(lesson(9)).to.deep.equal(["s-001=5", "s-002=4", "s-003=3", "s-004=н/а", "s-005=2"]);
      // assign:1~2 on the scale: s-005 got «н/а».
      expect(marks.records.find((m) => m.id === "moodle-grade-7-user-8")).to.include({
        value: "н/а",
        workId: "moodle-assign-1",
      });
      expect(marks.rejected.filter((r) => /not a mark/.test(r.reason))).to.deep.equal([]);
    });

    it("reads value items through the pass icon HTML and the decimal separator of the language pack", async () => {
      serve(answers("admin"));
      const c = connector();
      const marks = await readAll(c, "marks");
      const lesson = marks.records
        .filter((m) => m.id.startsWith("moodle-grade-2-"))
        .map((m) => `${m.studentId}=${m.value}`)
        .sort();
      expect(lesson).to.deep.equal(["s-001=5", "s-002=4", "s-003=3", "s-004=4", "s-005=2"]);
      const pm = await readAll(c, "periodMarks");
      expect(pm.records.map((p) => `${p.studentId}=${p.value}`).sort()).to.deep.equal([
        "s-001=5",
        "s-002=4",
        "s-003=4",
        "s-004=3",
        "s-005=3",
      ]);
      // A Russian language pack shows "4,00" and no icon.
      const a = answers("admin");
      a.gradereport_user_get_grade_items = (q) => {
        const text = JSON.stringify(real("admin", `grade-items-${q.get("courseid")}.json`));
        return JSON.parse(text.replace(/<i [^>]*><\/i>(\d)\.00/g, "$1,00"));
      };
      nock.cleanAll();
      serve(a);
      const ru = await readAll(connector(), "marks");
      expect(
        ru.records.filter((m) => m.id.startsWith("moodle-grade-2-")).map((m) => m.value),
      ).to.have.members([5, 4, 3, 4, 2]);
    });

    it("reads a scale-graded assignment's marks by the label of its gradebook row, not the position", async () => {
      serve(withScaleAssignment(answers("admin"), "admin"));
      const marks = await readAll(connector(), "marks");
      const scale = marks.records.filter((m) => m.workId === "moodle-assign-4");
      expect(scale.map((m) => [m.id, m.studentId, m.value, m.authorId])).to.deep.equal([
        ["moodle-assign-4-user-4", "s-001", 5, "t-001"],
        ["moodle-assign-4-user-5", "s-002", "н/а", "t-001"],
      ]);
      // Points-graded assignments keep their grade.
      expect(marks.records.find((m) => m.id === "moodle-assign-1-user-7")?.value).to.equal(3);
    });

    it("quarantines a scale position it cannot label instead of storing it as a mark", async () => {
      const a = withScaleAssignment(answers("admin"), "admin");
      a.gradereport_user_get_grade_items = (q) => real("admin", `grade-items-${q.get("courseid")}.json`);
      serve(a);
      const marks = await readAll(connector(), "marks");
      expect(marks.records.filter((m) => m.workId === "moodle-assign-4")).to.deep.equal([]);
      const why = marks.rejected.filter((r) => r.origin.startsWith("mod_assign_get_grades assignment=4"));
      expect(why).to.have.length(2);
      expect(why[0].reason).to.match(/graded on a scale/);
    });
  });

  describe("ids with a read-only account (F3)", () => {
    it("refuses to sync when Moodle hides idnumber, telling IT staff in Russian what to grant", async () => {
      serve(answers("readonly"));
      for (const stream of ["subjects", "persons", "marks"] as const) {
        let error: unknown;
        try {
          await readAll(connector(), stream);
        } catch (e) {
          error = e;
        }
        expect(error, stream).to.be.instanceOf(NotPermittedError);
        const message = (error as NotPermittedError).userMessage;
        expect(message).to.include("moodle/course:update");
        expect(message).to.include("moodle/user:viewalldetails");
        expect(message).to.match(/Синхронизация остановлена/);
        expect(message).to.include('"idSource": "moodle"');
      }
    });

    it("reads the same ids with and without the rights when idSource is moodle", async () => {
      const read = async (account: Account) => {
        nock.cleanAll();
        serve(answers(account));
        const c = connector({ idSource: "moodle" });
        const out: Record<string, unknown> = {};
        for (const stream of ["subjects", "classes", "persons", "works", "marks", "periodMarks"] as const)
          out[stream] = (await readAll(c, stream)).records;
        return out;
      };
      const readonly = await read("readonly");
      const admin = await read("admin");
      expect(readonly).to.deep.equal(admin);
      expect((admin.persons as { id: string }[]).map((p) => p.id)).to.include("moodle-user-4");
      expect((admin.subjects as { id: string }[]).map((p) => p.id)).to.deep.equal([
        "subject:Математика",
        "subject:Русский_язык",
      ]);
      expect(admin.marks).to.not.deep.equal([]);
    });

    it("source check names the missing capabilities and what they change", async () => {
      serve(answers("readonly"));
      const r = await connector().check();
      expect(r.ok).to.equal(false);
      expect(r.detail).to.match(/moodle\/course:update: .*subject:Математика вместо math/);
      expect(r.detail).to.match(/moodle\/user:viewalldetails: .*moodle-user-4 вместо s-001/);
      expect(r.detail).to.match(/Синхронизация остановится/);
      const moodleIds = await connector({ idSource: "moodle" }).check();
      expect(moodleIds.ok).to.equal(true);
      expect(moodleIds.detail).to.match(/не зависят от прав/);
      nock.cleanAll();
      serve(answers("admin"));
      const admin = await connector().check();
      expect(admin.ok).to.equal(true);
      expect(admin.detail).to.not.match(/Не хватает прав/);
      // Without the Attendance plugin IT staff learn what lesson marks lose.
      expect(admin.detail).to.match(/Плагин Attendance не установлен: .*без урока/);
    });
  });

  describe("a course without access (F4, F5)", () => {
    const refusing = (a: Answers, course: string): Answers => ({
      ...a,
      core_course_get_courses: (q) => {
        const ids = [...q.keys()].filter((k) => k.startsWith("options[ids]")).map((k) => q.get(k));
        if (ids.length === 0 || ids.includes(course))
          return {
            exception: "moodle_exception",
            errorcode: "errorcoursecontextnotvalid",
            message: `You cannot execute functions in the course context (course id:${course}). The context error message was: Course or activity not accessible. (Not enrolled)`,
          };
        const all = real("admin", "courses.json") as { id: number }[];
        return all.filter((c) => ids.includes(String(c.id)));
      },
    });

    it("classifies errorcoursecontextnotvalid as a permission problem, with what to do", async () => {
      serve(refusing(answers("admin"), "3"));
      let error: unknown;
      try {
        await readAll(connector(), "subjects");
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(NotPermittedError);
      expect((error as NotPermittedError).userMessage).to.match(/moodle\/course:view.*courseIds/);
    });

    it("with courseIds, skips and reports the course it may not open and reads the rest", async () => {
      serve(refusing(answers("admin"), "3"));
      const c = connector({ courseIds: [2, 3] });
      const subjects = await readAll(c, "subjects");
      expect(subjects.records.map((s) => s.id)).to.deep.equal(["math"]);
      expect(subjects.rejected.map((r) => r.origin)).to.deep.equal(["course 3"]);
      expect(subjects.rejected[0].reason).to.match(/errorcoursecontextnotvalid/);
      const marks = await readAll(c, "marks");
      expect(marks.records.map((m) => m.subjectId)).to.satisfy((l: string[]) => l.every((x) => x === "math"));
      expect(marks.records).to.have.length.above(10);
      const check = await c.check();
      expect(check.detail).to.match(/course 3: пропускается/);
    });

    it("groups mode without moodle/course:managegroups: the source goes on (F5)", async () => {
      const readonly = answers("readonly");
      const a = {
        ...answers("admin"),
        core_group_get_course_groups: readonly.core_group_get_course_groups,
        gradereport_user_get_grade_items: (q: URLSearchParams) =>
          q.get("courseid") === "4"
            ? real("readonly", "grade-items-4.json")
            : real("admin", `grade-items-${q.get("courseid")}.json`),
      };
      serve(a);
      const groups = { courseMapping: "groups-as-classes" as const };
      // idSource moodle: the class groups come from the enrolled users' groups, by name.
      const byName = connector({ ...groups, idSource: "moodle" });
      expect((await readAll(byName, "classes")).records.map((c) => c.id).sort()).to.deep.equal(["5А", "5Б"]);
      const marks = await readAll(byName, "marks");
      expect(marks.rejected.map((r) => r.origin)).to.deep.equal(["course 4"]);
      expect(marks.rejected[0].reason).to.match(/notingroup/);
      // idSource idnumber: the group idnumbers are unknown, so each course is skipped and reported once.
      const byIdnumber = connector(groups);
      const subjects = await readAll(byIdnumber, "subjects");
      expect(subjects.records).to.deep.equal([]);
      expect(subjects.rejected.map((r) => [r.origin, /nopermissions/.test(r.reason)])).to.deep.equal([
        ["course 2", true],
        ["course 3", true],
        ["course 4", true],
      ]);
      expect((await readAll(byIdnumber, "classes")).rejected).to.deep.equal([]);
      expect((await byIdnumber.check()).detail).to.match(/course 4: пропускается/);
    });
  });

  it("a separate-groups course the account sees no member of is skipped with its reason, not read as empty (F5)", async () => {
    // readonly-account/: course 4 (groups 5А/5Б, separate groups) answered [] for enrolled users and
    // notingroup for the gradebook; courses 2 and 3 have no groups and are read.
    serve(answers("readonly"));
    const c = connector({ courseMapping: "groups-as-classes", idSource: "moodle" });
    const subjects = await readAll(c, "subjects");
    const pe = subjects.rejected.filter((r) => r.origin === "course 4");
    expect(pe).to.have.length(1);
    expect(pe[0].reason).to.match(/separate groups.*moodle\/site:accessallgroups.*notingroup/);
    expect(subjects.rejected.filter((r) => /accessallgroups/.test(r.reason))).to.have.length(1);
    const check = await c.check();
    expect(check.detail).to.match(
      /course 4 «Физическая культура»: не читается и пропускается — .*нет права moodle\/site:accessallgroups/,
    );
    expect(check.detail).to.not.match(/course 4 «Физическая культура»: журнал оценок недоступен/);
  });

  it("without the Attendance plugin a lesson column's marks keep its day, with no lesson (F7)", async () => {
    serve(answers("admin"));
    const marks = await readAll(connector(), "marks");
    const day = (date: string) => marks.records.filter((m) => m.lessonDate === date).length;
    // Математика 5А: lesson:2026-11-10#2 (5 marks), lesson:2026-11-12#3 (2) and its ~2 column (1);
    // Русский язык 5А: lesson:2026-11-11#1 (5), lesson:2026-11-13 (2).
    expect([day("2026-11-10"), day("2026-11-11"), day("2026-11-12"), day("2026-11-13")]).to.deep.equal([
      5, 5, 3, 2,
    ]);
    expect(marks.records.filter((m) => m.lessonId)).to.deep.equal([]);
    expect(marks.records.filter((m) => m.workId && m.lessonDate)).to.deep.equal([]);
  });

  it("quarantines a course whose name fits no mapping once, with the reason", async () => {
    serve(answers("admin"));
    const c = connector();
    const rejected: RejectedRecord[] = [];
    for (const stream of ["subjects", "classes", "persons", "works", "marks", "periodMarks"] as const)
      rejected.push(...(await readAll(c, stream)).rejected);
    const pe = rejected.filter((r) => r.origin.includes("id=4"));
    expect(pe).to.have.length(1);
    expect(pe[0]).to.include({ stream: "subjects", field: "fullname" });
    expect(pe[0].reason).to.match(/course name does not match/);
  });
});
