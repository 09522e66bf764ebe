import { expect } from "chai";
import {
  bigId,
  eduGroup,
  GROUP_ID,
  lesson,
  logEntry,
  mark,
  person,
  platformJson,
  SCHOOL_ID,
  school,
  teacher,
  timetable,
  work,
  workType,
} from "../../fixtures/dnevnik/builders.ts";
import nock from "../helpers/nock.ts";
import { collect, HOST, TOKEN, testConnector } from "./helpers.ts";

const S = SCHOOL_ID.toString();
const G = GROUP_ID.toString();
const json = { "Content-Type": "application/json; charset=utf-8" };

function api() {
  return nock(HOST, { reqheaders: { "access-token": TOKEN } });
}

describe("DnevnikConnector (nock, platform shapes)", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("keeps 19-digit ids exact, reading only the *_str twins", async () => {
    const broken = person(3);
    delete broken.id_str; // the numeric `id` alone must not be trusted
    api()
      .get(`/v2/schools/${S}`)
      .reply(200, platformJson(school()), json)
      .get(`/v2/schools/${S}/edu-groups`)
      .reply(200, platformJson([eduGroup()]), json)
      .get(`/v2/schools/${S}/teachers`)
      .reply(200, platformJson([teacher(1)]), json)
      .get(`/v2/edu-groups/${G}/persons`)
      .reply(200, platformJson([person(1), person(2), broken]), json);
    const { connector } = testConnector();
    const pages = await collect(connector.read("persons", { cursor: null }));
    const records = pages.flatMap((p) => p.records);
    const ids = records.map((r) => r.id);
    expect(ids).to.deep.equal([bigId(101), bigId(301), bigId(302)].map(String));
    // a double would have corrupted them: the test is meaningful
    for (const id of ids) expect(String(Number(id))).to.not.equal(id);
    expect(records[1]).to.deep.include({ role: "student", classId: G, name: "Ученик1 Иван" });
    const rejected = pages.flatMap((p) => p.rejected);
    expect(rejected).to.have.length(1);
    expect(rejected[0]).to.deep.include({ stream: "persons", field: "id_str" });
    expect(rejected[0].origin).to.equal(`GET /v2/edu-groups/${G}/persons [2]`);
  });

  it("reads staff from the PascalCase teachers endpoint and derives roles from the position", async () => {
    api()
      .get(`/v2/schools/${S}`)
      .reply(200, platformJson(school()), json)
      .get(`/v2/schools/${S}/edu-groups`)
      .reply(200, platformJson([]), json)
      .get(`/v2/schools/${S}/teachers`)
      .reply(
        200,
        platformJson([
          teacher(1),
          teacher(2, { NameTeacherPosition: "Заместитель директора по учебно-воспитательной работе" }),
          teacher(3, { NameTeacherPosition: "Директор" }),
          teacher(4, { NameTeacherPosition: "Координатор ЭЖ" }),
        ]),
        json,
      );
    const { connector } = testConnector();
    const records = (await collect(connector.read("persons", { cursor: null }))).flatMap((p) => p.records);
    expect(records.map((r) => r.role)).to.deep.equal(["teacher", "deputy", "director", "coordinator"]);
    expect(records[0].name).to.equal("Учителева1 Мария Петровна");
  });

  it("splits date ranges into chunks and asks the kebab-case endpoint per chunk", async () => {
    const scope = api()
      .get(`/v2/schools/${S}`)
      .reply(200, platformJson(school()), json)
      .get(`/v2/schools/${S}/edu-groups`)
      .reply(
        200,
        platformJson([
          eduGroup(),
          eduGroup({ ...{ id: bigId(9), id_str: bigId(9).toString() }, type: "Subgroup" }),
        ]),
        json,
      )
      .get(`/v2/edu-groups/${G}/timetables`)
      .reply(200, platformJson(timetable([{ number: 1, start: "08:00:00", end: "08:45:00" }])), json)
      .get(`/v2/edu-groups/${G}/lessons/2026-09-01/2026-09-07`)
      .reply(200, platformJson([lesson(1, { date: "2026-09-02T00:00:00" })]), json)
      .get(`/v2/edu-groups/${G}/lessons/2026-09-08/2026-09-14`)
      .reply(200, platformJson([lesson(2)]), json)
      .get(`/v2/edu-groups/${G}/lessons/2026-09-15/2026-09-17`)
      .reply(200, platformJson([]), json);
    const { connector } = testConnector();
    const pages = await collect(
      connector.read("lessons", { cursor: null, from: "2026-09-01", to: "2026-09-17" }),
    );
    expect(scope.isDone()).to.equal(true);
    expect(pages.map((p) => p.progress)).to.deep.equal([
      { done: 1, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 },
    ]);
    expect(pages.map((p) => p.records.length)).to.deep.equal([1, 1, 0]);
    expect(pages[0].records[0]).to.deep.include({
      date: "2026-09-02",
      start: "08:00",
      end: "08:45",
      classId: G,
    });
    expect(JSON.parse(pages[1].cursor!)).to.deep.include({ next: `group:${G}:2026-09-15` });
  });

  it("applies the school's time zone: platform hours, or the configured IANA zone", async () => {
    const pupil = (entry: Record<string, unknown>) => ({ logEntries: [entry], lessons: [lesson(1)] });
    const reply = () =>
      api()
        .get(`/v2/schools/${S}`)
        .reply(200, platformJson(school({ timeZone: 7 })), json)
        .get(`/v2/schools/${S}/edu-groups`)
        .reply(200, platformJson([eduGroup()]), json)
        .get(`/v2/edu-groups/${G}/persons`)
        .reply(200, platformJson([person(1), person(2)]), json)
        .get(`/v2/persons/${bigId(301)}/lesson-log-entries`)
        .query({ startDate: "2026-09-14", endDate: "2026-09-14" })
        .reply(200, platformJson(pupil(logEntry())), json)
        .get(`/v2/persons/${bigId(302)}/lesson-log-entries`)
        .query({ startDate: "2026-09-14", endDate: "2026-09-14" })
        .reply(
          200,
          platformJson(
            pupil(logEntry({ person_str: bigId(302).toString(), createdDate: "2026-09-14T03:47:12Z" })),
          ),
          json,
        );

    reply();
    const plain = testConnector().connector;
    expect((await plain.discover()).school.timezone).to.equal("Asia/Krasnoyarsk");
    const a = (
      await collect(plain.read("attendance", { cursor: null, from: "2026-09-14", to: "2026-09-14" }))
    ).flatMap((p) => p.records);
    expect(a.map((r) => r.recordedAt)).to.deep.equal([
      "2026-09-14T08:47:12.573+07:00",
      "2026-09-14T03:47:12Z",
    ]);
    expect(a[0].status).to.equal("absent");

    reply();
    const configured = testConnector({ timezone: "Europe/Moscow" }).connector;
    const b = (
      await collect(configured.read("attendance", { cursor: null, from: "2026-09-14", to: "2026-09-14" }))
    ).flatMap((p) => p.records);
    expect(b[0].recordedAt).to.equal("2026-09-14T08:47:12.573+03:00");
    expect(Date.parse(b[0].recordedAt!) - Date.parse(a[0].recordedAt!)).to.equal(4 * 3600 * 1000);
  });

  it("reads attendance per pupil of each class, never by the group call without a subject", async () => {
    const group = api()
      .get(`/v2/lesson-log-entries/group/${G}`)
      .query(true)
      .reply(400, { type: "parameterInvalid", description: "subject" });
    const scope = api()
      .get(`/v2/schools/${S}`)
      .reply(200, platformJson(school()), json)
      .get(`/v2/schools/${S}/edu-groups`)
      .reply(200, platformJson([eduGroup()]), json)
      .get(`/v2/edu-groups/${G}/persons`)
      .reply(200, platformJson([person(1), person(2)]), json);
    for (const [n, from, to] of [
      [1, "2026-09-01", "2026-09-07"],
      [2, "2026-09-01", "2026-09-07"],
      [1, "2026-09-08", "2026-09-10"],
      [2, "2026-09-08", "2026-09-10"],
    ] as const) {
      const entries = n === 1 && from === "2026-09-08" ? [logEntry({ status: "Pass" })] : [];
      scope
        .get(`/v2/persons/${bigId(300 + n)}/lesson-log-entries`)
        .query({ startDate: from, endDate: to })
        .reply(200, platformJson({ logEntries: entries, lessons: entries.length ? [lesson(1)] : [] }), json);
    }
    const { connector } = testConnector();
    const pages = await collect(
      connector.read("attendance", { cursor: null, from: "2026-09-01", to: "2026-09-10" }),
    );
    expect(scope.isDone(), scope.pendingMocks().join(", ")).to.equal(true);
    expect(group.isDone()).to.equal(false);
    expect(pages.map((p) => p.records.length)).to.deep.equal([0, 1]);
    expect(pages[1].records[0]).to.deep.include({ studentId: bigId(301).toString(), status: "absent" });
    nock.cleanAll();
  });

  it("maps works, marks and homework, rejecting broken records while the rest of the page maps", async () => {
    const homework = work(9, {
      type: "Homework",
      workType: null,
      text: "§ 3",
      sentDate: "2026-09-14T15:10:00",
    });
    const l1 = lesson(1, { works: [work(1, { lesson_str: bigId(601).toString() }), homework] });
    const l2 = lesson(2, { teachers: [], teachers_str: [] }); // no teacher: rejected
    const l3 = lesson(3, { date: "14.09.2026" }); // unreadable date: rejected
    const marks = [
      mark(1, { date: "2026-10-02T16:20:05.123" }), // entered 18 days after the lesson
      mark(2, { value: "4-", textValue: "4-" }),
      mark(3, { value: "??", textValue: "??" }),
      mark(4, { lesson_str: bigId(699).toString(), work_str: null }),
    ];
    api()
      .get(`/v2/schools/${S}`)
      .reply(200, platformJson(school()), json)
      .get(`/v2/schools/${S}/edu-groups`)
      .times(2)
      .reply(200, platformJson([eduGroup()]), json)
      .get(`/v2/edu-groups/${G}/timetables`)
      .reply(
        200,
        platformJson(timetable([{ number: 1, start: "08:00", end: "08:45", days: ["Monday"] }])),
        json,
      )
      .get(`/v2/edu-groups/${G}/lessons/2026-09-14/2026-09-14`)
      .times(2)
      .reply(200, platformJson([l1, l2, l3]), json)
      .get(`/v2/work-types/${S}`)
      .reply(200, platformJson([workType(1, "Контрольная работа", 2)]), json)
      .get(`/v2/edu-groups/${G}/marks/2026-09-14/2026-09-14`)
      .reply(200, platformJson(marks), json)
      .get(`/v2/lessons/${bigId(699)}`)
      .reply(404, { type: "apiResourceUnavailable", description: "not found" });
    const { connector } = testConnector();
    const window = { cursor: null, from: "2026-09-14", to: "2026-09-14" };

    const lessons = await collect(connector.read("lessons", window));
    expect(lessons[0].records).to.have.length(1);
    expect(lessons[0].records[0]).to.deep.include({
      id: bigId(601).toString(),
      topic: "Тема 1",
      homework: "§ 3",
      homeworkRecordedAt: "2026-09-14T15:10:00+07:00",
      teacherId: bigId(101).toString(),
    });
    expect(lessons[0].rejected.map((r) => r.field)).to.deep.equal(["teachers_str", "date"]);

    const marksPage = await collect(connector.read("marks", window));
    const m = marksPage[0].records;
    expect(m.map((r) => [r.value, r.weight, r.subjectId, r.recordedAt])).to.deep.equal([
      ["5", 2, bigId(700).toString(), "2026-10-02T16:20:05.123+07:00"],
      ["4", 2, bigId(700).toString(), "2026-09-14T10:12:44.187+07:00"],
    ]);
    expect(marksPage[0].rejected.map((r) => [r.field, r.reason])).to.deep.equal([
      ["value", 'unreadable mark value "??"'],
      ["lesson_str", "subject unknown: the mark's lesson or work is not among the lessons read"],
    ]);
  });
});
