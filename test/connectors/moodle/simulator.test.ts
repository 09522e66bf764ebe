// End to end: a tiny canonical Dataset served by the Moodle simulator and read back by the
// connector equals the canonical records for the streams Moodle carries.
//
// Canonical fields Moodle cannot carry (and that are therefore left out of the comparison):
// calendar, activity, outages streams (periods come from the source config); parents and other non-enrolled persons, childIds,
// classTeacherId; lesson substituteTeacherId, topicRecordedAt, topicAuthorId, homework,
// homeworkRecordedAt; attendance.recordedAt; work.lessonId, work.resultsAnnouncedOn; mark.weight;
// mark.authorId except on assignment grades. Ids of sessions, assignments and grades have no
// idnumber in Moodle, so they come back as moodle-session-N / moodle-assign-N / moodle-…-user-N.
import { expect } from "chai";
import { AuthFailedError, BadPayloadError, NotPermittedError } from "../../../src/connectors/errors.ts";
import type { CourseMapping, MoodleConfigInput } from "../../../src/connectors/moodle/config.ts";
import { moodleConfigSchema } from "../../../src/connectors/moodle/config.ts";
import { createMoodleConnector } from "../../../src/connectors/moodle/connector.ts";
import { moodleIds } from "../../../src/connectors/moodle/mapping.ts";
import { type MoodleSimulator, startMoodleSimulator } from "../../../src/connectors/moodle/simulator.ts";
import type { Connector, RejectedRecord } from "../../../src/connectors/types.ts";
import type { Dataset } from "../../../src/dataset/types.ts";
import type { Period, StreamName, StreamRecords } from "../../../src/model/records.ts";
import { BELLS, TZ, tinyDataset } from "./tiny-dataset.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";
const FAST = {
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
  breaker: { failureThreshold: 50 },
  rateLimit: { requestsPerSecond: 1000 },
};

function connect(
  sim: MoodleSimulator,
  mode: CourseMapping = "course-per-class-subject",
  token = TOKEN,
  /** The school's periods for the source config; null for none. */
  periods: Period[] | null = tinyDataset().streams.periods,
  extra: Partial<MoodleConfigInput> = {},
): Connector {
  const config = moodleConfigSchema.parse({
    ...extra,
    url: sim.url,
    token,
    school: { id: "sch-1", timezone: TZ },
    courseMapping: mode,
    lessonNumbers: BELLS,
    periods: periods ?? undefined,
  });
  return createMoodleConnector(config, { http: FAST });
}

async function readAll<S extends StreamName>(c: Connector, stream: S) {
  const records: StreamRecords[S][] = [];
  const rejected: RejectedRecord[] = [];
  for await (const page of c.read(stream, { cursor: null })) {
    records.push(...page.records);
    rejected.push(...page.rejected);
  }
  return { records, rejected };
}

const sortJson = (list: readonly unknown[]) => [...list].map((x) => JSON.stringify(x)).sort();
const pick = <T extends object>(o: T, drop: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k, v]) => !drop.includes(k) && v !== undefined)) as T;

/** The canonical records as Moodle can carry them, with the ids Moodle gives what has no idnumber. */
function expected(ds: Dataset, sim: MoodleSimulator, mode: CourseMapping) {
  const ids = sim.site.ids;
  const s = ds.streams;
  const lessonId = (id: string) => moodleIds.session(ids.lessons.get(id)!);
  const work = new Map(s.works.map((w) => [w.id, w]));
  const workId = (id: string) =>
    moodleIds.assignment(
      ids.works.get(id)!,
      mode === "groups-as-classes" ? work.get(id)!.classId : undefined,
    );
  const markId = (id: string) => {
    const at = ids.marks.get(id)!;
    return at.kind === "assign"
      ? moodleIds.assignMark(at.assignmentId, at.userId)
      : moodleIds.gradeMark(at.itemId, at.userId);
  };
  return {
    periods: s.periods,
    subjects: s.subjects,
    classes: s.classes.map((c) => pick(c, ["classTeacherId"])),
    persons: s.persons
      .filter((p) => p.role === "student" || p.role === "teacher")
      .map((p) => pick(p, ["childIds"])),
    lessons: s.lessons.map((l) => ({
      ...pick(l, [
        "substituteTeacherId",
        "topicRecordedAt",
        "topicAuthorId",
        "homework",
        "homeworkRecordedAt",
      ]),
      id: lessonId(l.id),
    })),
    works: s.works.map((w) => ({ ...pick(w, ["lessonId", "resultsAnnouncedOn"]), id: workId(w.id) })),
    marks: s.marks.map((m) => {
      const viaAssignment = ids.marks.get(m.id)!.kind === "assign";
      const base = pick(m, viaAssignment ? ["weight"] : ["weight", "authorId"]);
      return {
        ...base,
        id: markId(m.id),
        ...(m.workId ? { workId: workId(m.workId) } : {}),
        ...(m.lessonId ? { lessonId: lessonId(m.lessonId) } : {}),
      };
    }),
    attendance: s.attendance.map((a) => ({ ...pick(a, ["recordedAt"]), lessonId: lessonId(a.lessonId) })),
    periodMarks: s.periodMarks,
  } satisfies Partial<{ [K in StreamName]: unknown[] }>;
}

describe("moodle connector through the simulator", function () {
  this.timeout(20_000);

  for (const mode of ["course-per-class-subject", "groups-as-classes"] as const) {
    it(`reads back the canonical records (${mode})`, async () => {
      const ds = tinyDataset();
      const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, courseMapping: mode });
      try {
        const c = connect(sim, mode);
        expect((await c.check()).ok).to.equal(true);
        const discovery = await c.discover();
        expect(discovery.school).to.deep.equal({ id: "sch-1", name: "Школа № 1", timezone: TZ, workweek: 5 });
        const want = expected(ds, sim, mode);
        expect([...discovery.streams].sort()).to.deep.equal(Object.keys(want).sort());
        for (const stream of Object.keys(want) as (keyof typeof want)[]) {
          const got = await readAll(c, stream);
          expect(got.rejected, `${stream} rejected`).to.deep.equal([]);
          expect(sortJson(got.records), stream).to.deep.equal(sortJson(want[stream]));
        }
        expect(c.stats().requests).to.equal(sim.requests());
        // Every call is a form POST: the token is in no request line (what access logs keep).
        expect(sim.lines().every((l) => l === "POST /moodle/webservice/rest/server.php")).to.equal(true);
      } finally {
        await sim.close();
      }
    });

    it(`keeps a pupil's further marks for one work or lesson in further grade columns (${mode})`, async () => {
      const ds = tinyDataset();
      const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, courseMapping: mode });
      try {
        const at = (cls: string) => (mode === "groups-as-classes" ? `@${cls}` : "");
        const w1 = sim.site.ids.works.get("W1")!;
        const idnumbers = [...sim.site.gradebook.values()].flat().map((i) => i.row.idnumber);
        expect(idnumbers).to.include.members([
          `assign:${w1}~2${at("c5a")}`,
          `assign:${w1}~3${at("c5a")}`,
          `lesson:2026-09-01#1~2${at("c6b")}`,
        ]);
        expect(idnumbers).to.not.include(`assign:${w1}~4${at("c5a")}`);
        // Each mark has a place of its own: none overwrote another.
        const places = ds.streams.marks.map((m) => JSON.stringify(sim.site.ids.marks.get(m.id)));
        expect(new Set(places).size).to.equal(ds.streams.marks.length);
        const marks = await readAll(connect(sim, mode), "marks");
        const work = moodleIds.assignment(w1, mode === "groups-as-classes" ? "c5a" : undefined);
        const s1 = marks.records.filter((m) => m.studentId === "s1" && m.workId === work);
        expect(s1.map((m) => m.value).sort()).to.deep.equal([4, 5, "осв"].sort());
      } finally {
        await sim.close();
      }
    });
  }

  it("without configured periods offers no periods and quarantines period marks, saying what to configure", async () => {
    const ds = tinyDataset();
    const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN });
    try {
      const c = connect(sim, "course-per-class-subject", TOKEN, null);
      expect((await c.discover()).streams).to.not.include("periods");
      expect((await c.check()).detail).to.match(/periods: none configured/);
      const pm = await readAll(c, "periodMarks");
      expect(pm.records).to.deep.equal([]);
      expect(pm.rejected).to.have.length(ds.streams.periodMarks.length);
      for (const r of pm.rejected) {
        expect(r).to.include({ stream: "periodMarks", field: "idnumber" });
        expect(r.reason).to.match(/Moodle has no school periods/);
        expect(r.reason).to.include('"periods"');
      }
      // Configured, but without this period: named as such.
      const other = connect(sim, "course-per-class-subject", TOKEN, [
        { id: "q2", kind: "quarter", number: 2, start: "2026-11-05", end: "2026-12-28" },
      ]);
      const pm2 = await readAll(other, "periodMarks");
      expect(pm2.rejected.map((r) => r.reason)).to.deep.equal(
        Array(ds.streams.periodMarks.length).fill(
          'period "q1" is not among the periods configured for this Moodle source; add it under "periods" in the source config',
        ),
      );
      expect((await readAll(other, "periods")).records.map((p) => p.id)).to.deep.equal(["q2"]);
    } finally {
      await sim.close();
    }
  });

  it("offers no lessons or attendance on a site without the Attendance plugin", async () => {
    const ds = tinyDataset();
    const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, attendancePlugin: false });
    try {
      const c = connect(sim);
      const { streams } = await c.discover();
      expect(streams).to.not.include("lessons");
      expect(streams).to.not.include("attendance");
      const marks = await readAll(c, "marks");
      // Without sessions a lesson mark keeps its value and time and, from its column
      // `lesson:<date>#<n>`, its lesson's day; it cannot name a lesson record.
      expect(marks.records).to.have.length(ds.streams.marks.length);
      expect(marks.records.filter((m) => m.lessonId)).to.deep.equal([]);
      const lessonDay = new Map(ds.streams.lessons.map((l) => [l.id, l.date]));
      const byId = new Map(marks.records.map((m) => [m.id, m]));
      const lessonMarks = ds.streams.marks.filter((m) => m.lessonId && !m.workId);
      expect(lessonMarks.length).to.be.greaterThan(0);
      for (const m of lessonMarks) {
        const at = sim.site.ids.marks.get(m.id)!;
        const id =
          at.kind === "assign"
            ? moodleIds.assignMark(at.assignmentId, at.userId)
            : moodleIds.gradeMark(at.itemId, at.userId);
        expect(byId.get(id)?.lessonDate, m.id).to.equal(lessonDay.get(m.lessonId!));
      }
      // Marks of works and lone marks name no lesson day.
      const dated = marks.records.filter((m) => m.lessonDate).length;
      expect(dated).to.equal(lessonMarks.length);
      expect((await c.check()).detail).to.match(
        /Плагин Attendance не установлен: .*с датой урока из названия колонки; срок выставления устной оценки .* проверяется по этой дате/,
      );
      expect(sim.calls()).to.not.include("mod_attendance_get_sessions");
    } finally {
      await sim.close();
    }
  });

  it("retries 503 and 429 (Retry-After) and then reads normally", async () => {
    const sim = await startMoodleSimulator({
      dataset: tinyDataset(),
      token: TOKEN,
      faults: { unavailable: 2, rateLimited: 1, retryAfterSeconds: 0 },
    });
    try {
      const c = connect(sim);
      const subjects = await readAll(c, "subjects");
      expect(subjects.records.map((x) => x.id).sort()).to.deep.equal(["math", "rus"]);
      expect(c.stats().retries).to.equal(3);
    } finally {
      await sim.close();
    }
  });

  it("turns a 200 invalidtoken exception into AuthFailedError without the token in its text", async () => {
    const sim = await startMoodleSimulator({ dataset: tinyDataset(), token: TOKEN });
    try {
      const c = connect(sim, "course-per-class-subject", "wrong-token-value");
      const e = await c.check().then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(AuthFailedError);
      expect((e as AuthFailedError).platformType).to.equal("invalidtoken");
      expect(String((e as Error).message)).to.not.include("wrong-token-value");
      expect(c.stats()).to.deep.equal({ requests: 1, retries: 0 });
    } finally {
      await sim.close();
    }
  });

  it("reports an HTML error page answered with 200 as a bad payload", async () => {
    const sim = await startMoodleSimulator({ dataset: tinyDataset(), token: TOKEN, faults: { htmlPage: 1 } });
    try {
      const err = await connect(sim)
        .discover()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).to.be.instanceOf(BadPayloadError);
      expect(String((err as Error).message)).to.not.include(TOKEN);
    } finally {
      await sim.close();
    }
  });

  it("rejects malformed records with origin and reason and keeps the rest", async () => {
    const ds = tinyDataset();
    const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, faults: { malformedRecord: true } });
    try {
      const c = connect(sim);
      const subjects = await readAll(c, "subjects");
      // The first course's name is null: that course (5А math) is rejected, the others remain.
      expect(subjects.rejected).to.have.length(1);
      expect(subjects.rejected[0]).to.include({ stream: "subjects", field: "fullname" });
      expect(subjects.rejected[0].origin).to.match(/core_course_get_courses/);
      const persons = await readAll(c, "persons");
      expect(persons.rejected.length).to.be.greaterThan(0);
      expect(persons.rejected[0]).to.include({ stream: "persons", field: "id" });
      expect(persons.records.length).to.be.greaterThan(0);
      const lessons = await readAll(c, "lessons");
      expect(lessons.rejected.some((r) => r.field === "sessdate")).to.equal(true);
      expect(lessons.records.length).to.be.greaterThan(0);
      const works = await readAll(c, "works");
      expect(
        works.rejected.some((r) => r.field === "duedate" && /mod_assign_get_assignments/.test(r.origin)),
      ).to.equal(true);
    } finally {
      await sim.close();
    }
  });

  describe("answers as real Moodle 4.3 gives them (platforms/real-moodle F1, F3, F4, F5)", () => {
    const RO = "fedcba9876543210fedcba9876543210";
    const thrown = async (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e,
      );
    const periods = tinyDataset().streams.periods;

    it("shapes grade items as Moodle's user report: null scaleid on scale items, labels and pass icons (F1)", async () => {
      const sim = await startMoodleSimulator({ dataset: tinyDataset(), token: TOKEN });
      try {
        const items = [...sim.site.gradebook.values()].flat().map((i) => i.row);
        expect(items.every((i) => i.scaleid === null)).to.equal(true);
        const cells = [...sim.site.gradebook.values()].flat().flatMap((i) => [...i.cells.values()]);
        expect(cells.some((c) => c.gradeformatted === "осв" && c.graderaw === 3)).to.equal(true);
        expect(cells.some((c) => c.gradeformatted.startsWith("<i class="))).to.equal(true);
        // A work with a code among its marks is a scale assignment: positions in mod_assign_get_grades.
        const w1 = sim.site.ids.works.get("W1")!;
        expect(sim.site.assignments.find((a) => a.id === w1)?.grade).to.equal(-1);
        expect(sim.site.assignGrades.get(w1)?.map((g) => g.grade)).to.include("9.00000");
      } finally {
        await sim.close();
      }
    });

    it("a read-only token: the sync refuses instead of renaming ids later; idSource moodle reads the same ids (F3)", async () => {
      const ds = tinyDataset();
      const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, readOnlyToken: RO });
      try {
        const e = await thrown(readAll(connect(sim, "course-per-class-subject", RO), "persons"));
        expect(e).to.be.instanceOf(NotPermittedError);
        expect((e as NotPermittedError).userMessage).to.match(
          /moodle\/course:update.*moodle\/user:viewalldetails/,
        );
        const check = await connect(sim, "course-per-class-subject", RO).check();
        expect(check.ok).to.equal(false);
        const byMoodle = (token: string) =>
          connect(sim, "course-per-class-subject", token, periods, { idSource: "moodle" });
        for (const stream of ["subjects", "classes", "persons", "marks", "lessons", "attendance"] as const) {
          const ro = await readAll(byMoodle(RO), stream);
          const full = await readAll(byMoodle(TOKEN), stream);
          expect(sortJson(ro.records), stream).to.deep.equal(sortJson(full.records));
          expect(ro.records.length, stream).to.be.greaterThan(0);
        }
      } finally {
        await sim.close();
      }
    });

    it("a course the account may not open: a permission error, and with courseIds the rest is read (F4)", async () => {
      const ds = tinyDataset();
      const probe = await startMoodleSimulator({ dataset: ds, token: TOKEN });
      const courseIds = probe.site.courses.map((c) => c.id);
      await probe.close();
      const sim = await startMoodleSimulator({ dataset: ds, token: TOKEN, noAccessCourses: [courseIds[0]] });
      try {
        const e = await thrown(readAll(connect(sim), "subjects"));
        expect(e).to.be.instanceOf(NotPermittedError);
        expect((e as NotPermittedError).platformType).to.equal("errorcoursecontextnotvalid");
        const c = connect(sim, "course-per-class-subject", TOKEN, periods, { courseIds });
        const subjects = await readAll(c, "subjects");
        expect(subjects.rejected.map((r) => r.origin)).to.deep.equal([`course ${courseIds[0]}`]);
        expect((await readAll(c, "marks")).records.length).to.be.greaterThan(0);
      } finally {
        await sim.close();
      }
    });

    it("groups mode with a read-only token (no managegroups, separate groups) does not fail the source (F5)", async () => {
      const sim = await startMoodleSimulator({
        dataset: tinyDataset(),
        token: TOKEN,
        readOnlyToken: RO,
        courseMapping: "groups-as-classes",
      });
      try {
        const c = connect(sim, "groups-as-classes", RO, periods, { idSource: "moodle" });
        // Every course is in separate groups and the account sees no member: each is skipped with
        // its reason, not read as a course without pupils, works or marks.
        const subjects = await readAll(c, "subjects");
        expect(subjects.records).to.deep.equal([]);
        expect(subjects.rejected.map((r) => r.origin)).to.deep.equal(
          sim.site.courses.map((x) => `course ${x.id}`),
        );
        expect(
          subjects.rejected.every((r) => /moodle\/site:accessallgroups.*notingroup/.test(r.reason)),
        ).to.equal(true);
        for (const stream of ["persons", "works", "marks"] as const)
          expect((await readAll(c, stream)).records, stream).to.deep.equal([]);
        const check = await c.check();
        expect(check.detail).to.match(/не читается и пропускается — курс в режиме изолированных групп/);
        expect(check.detail).to.match(/нет права moodle\/site:accessallgroups/);
      } finally {
        await sim.close();
      }
    });

    it("a separate-groups course whose members the account may not see is skipped with its reason; the rest is read (F5)", async () => {
      const ds = tinyDataset();
      const probe = await startMoodleSimulator({ dataset: ds, token: TOKEN });
      const hidden = probe.site.courses[0];
      await probe.close();
      const sim = await startMoodleSimulator({
        dataset: ds,
        token: TOKEN,
        readOnlyToken: RO,
        separateGroupsCourses: [hidden.id],
      });
      try {
        const ro = connect(sim, "course-per-class-subject", RO, periods, { idSource: "moodle" });
        const subjects = await readAll(ro, "subjects");
        expect(subjects.rejected.map((r) => r.origin)).to.deep.equal([`course ${hidden.id}`]);
        expect(subjects.rejected[0].reason).to.match(/separate groups.*moodle\/site:accessallgroups/);
        const marks = await readAll(ro, "marks");
        expect(marks.records.length).to.be.greaterThan(0);
        const ownMarks = (
          await readAll(
            connect(sim, "course-per-class-subject", TOKEN, periods, { idSource: "moodle" }),
            "marks",
          )
        ).records;
        // The hidden course's marks are missing, the other courses' are read.
        expect(marks.records.length).to.be.lessThan(ownMarks.length);
        const check = await ro.check();
        expect(check.detail).to.include(
          `course ${hidden.id} «${hidden.row.fullname}»: не читается и пропускается`,
        );
        expect(check.detail.match(/не читается и пропускается/g)).to.have.length(1);
        // An account that sees all groups reads the same course in full.
        const full = await readAll(
          connect(sim, "course-per-class-subject", TOKEN, periods, { idSource: "moodle" }),
          "subjects",
        );
        expect(full.rejected).to.deep.equal([]);
        expect(full.records.map((x) => x.id)).to.include(`subject:${hidden.subject.name}`);
      } finally {
        await sim.close();
      }
    });
  });
});
