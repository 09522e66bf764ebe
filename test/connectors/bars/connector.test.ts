// The BARS connector against nock on the recorded shapes (real-shapes.md §3.1: the GetSummaryMarks
// answer of shkola.nso.ru, flat; the newer `summary_marks_data[0]` wrapper) and the login and error
// answers the working clients handle (bars-netschool.md §A1, §A2).
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { classifyBarsResponse, LOCKOUT_TEXT } from "../../../src/connectors/bars/classify.ts";
import { type BarsConfigInput, barsConfigSchema } from "../../../src/connectors/bars/config.ts";
import { BarsConnector } from "../../../src/connectors/bars/connector.ts";
import { barsIds, cleanText, markValue } from "../../../src/connectors/bars/mapping.ts";
import { barsMessages } from "../../../src/connectors/bars/messages.ru.ts";
import {
  AuthFailedError,
  type ConnectorError,
  InvalidRequestError,
  PlatformDownError,
} from "../../../src/connectors/errors.ts";
import type { HttpResponseInfo } from "../../../src/connectors/http/http-client.ts";
import { createConnector } from "../../../src/connectors/registry.ts";
import { encryptSecret } from "../../../src/connectors/secrets.ts";
import type { Page } from "../../../src/connectors/types.ts";
import nock from "../helpers/nock.ts";

const HOST = "https://school.example-region.ru";
const RECORDED = JSON.parse(readFileSync("test/fixtures/bars/summary-marks.json", "utf8"));
const SECRET = "bars-test-secret-0123456789abcdef";
const FAST = {
  secret: SECRET,
  http: { retry: { baseDelayMs: 1, maxDelayMs: 2 }, rateLimit: { requestsPerSecond: 10_000, burst: 10_000 } },
};

const config = (over: Partial<BarsConfigInput> = {}) =>
  barsConfigSchema.parse({
    url: HOST,
    auth: { method: "password", login: "parent", password: "secret" },
    school: { id: "s1", timezone: "Europe/Moscow" },
    retries: 2,
    ...over,
  });

const personData = {
  auth_user_profile_id: 42,
  user_fullname: "Родитель",
  user_desc: "Родитель",
  selected_pupil_id: 1001,
  children_persons: [{ person_id: 1001, fullname: "Петров Пётр", school: "МБОУ СОШ № 1", classyear: "5А" }],
  indicators: [],
};

const lesson = (over: Record<string, unknown> = {}) => ({
  id: 501,
  index: 1,
  date: "2018-11-14",
  time_begin: "08:30:00",
  time_end: "09:15:00",
  discipline: "Математика",
  teacher: "Иванова Мария Петровна",
  office: "каб. 12",
  theme: '<span style="color:red">Дроби</span>\u200B',
  homework: "№ 12&nbsp;<b>стр. 5</b>",
  homework_time_to_complete: null,
  ind_homework_exists: false,
  materials: [],
  mark: "5",
  mark_type: "Работа на уроке",
  attendance: "",
  comment: "",
  remarks: "",
  is_control_work: false,
  schedulelessontype: "Урок",
  study_time_name: "1 урок",
  study_time_shift: 1,
  ...over,
});

/** A week of the diary: 14 November with one lesson (attendance as given), 15 November with another. */
const diary = (attendance = "") => ({
  days: [
    {
      date: "2018-11-14",
      is_weekend: false,
      is_vacation: false,
      is_holiday: false,
      lessons: [lesson({ attendance })],
    },
    {
      date: "2018-11-15",
      is_weekend: false,
      is_vacation: false,
      is_holiday: false,
      lessons: [lesson({ id: 502, date: "2018-11-15", theme: "" })],
    },
    { date: "2018-11-16", is_weekend: false, is_vacation: false, is_holiday: true, lessons: [] },
  ],
});

const totals = {
  subperiods: [
    { code: "Четверть_2", name: "2 Четверть" },
    { code: "Год", name: "Год" },
  ],
  discipline_marks: [
    {
      discipline: "Математика",
      period_marks: [
        { subperiod_code: "Четверть_2", mark: "4" },
        { subperiod_code: "Год", mark: "" },
      ],
    },
  ],
};

function loginScope(): nock.Scope {
  return nock(HOST)
    .post("/auth/login", "login_login=parent&login_password=secret")
    .reply(200, '{"success": true,"redirect": "/"}', { "Set-Cookie": "sessionid=abc123; HttpOnly; Path=/" })
    .get("/")
    .matchHeader("cookie", "sessionid=abc123")
    .reply(302, "", { Location: "/personal-area/" });
}

/** The answers of one pupil and week; `summary` flat (2018) or wrapped (2025). */
function pupilScope(summary: unknown, attendance = ""): nock.Scope {
  return nock(HOST)
    .matchHeader("cookie", /sessionid=/)
    .get("/api/ProfileService/GetPersonData")
    .reply(200, personData)
    .post("/api/ProfileService/SetChild", "selected=1001")
    .reply(200, { success: true })
    .get("/api/HomeworkService/GetHomeworkFromRange")
    .query({ date: "2018-11-12" })
    .reply(200, [
      {
        date: "2018-11-14",
        name: "Среда",
        homeworks: [
          { discipline: "Математика", teacher: "Иванова", theme: "Дроби", homework: "<p>другое</p>" },
        ],
      },
    ])
    .get("/api/ScheduleService/GetDiary")
    .query({ date: "2018-11-12", is_diary: "true" })
    .reply(200, diary(attendance))
    .get("/api/MarkService/GetSummaryMarks")
    .query(true)
    .times(2)
    .reply(200, summary)
    .get("/api/MarkService/GetTotalMarks")
    .reply(200, totals);
}

async function readAll(c: BarsConnector, stream: Parameters<BarsConnector["read"]>[0]): Promise<Page[]> {
  const pages: Page[] = [];
  for await (const p of c.read(stream, { cursor: null, from: "2018-11-12", to: "2018-11-18" }))
    pages.push(p as Page);
  return pages;
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a rejection");
}

describe("BARS connector (nock, recorded shapes)", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  for (const [shape, body] of [
    ["flat (older servers, the recorded 2018 answer)", RECORDED],
    ["wrapped in summary_marks_data[0] (newer servers)", { summary_marks_data: [RECORDED] }],
  ] as const) {
    it(`logs in by the form, GETs / once, and maps GetSummaryMarks ${shape}`, async () => {
      const login = loginScope();
      const api = pupilScope(body, "Н");
      const c = new BarsConnector(config(), FAST);
      await c.discover();
      const marks = (await readAll(c, "marks")).flatMap((p) => p.records);
      expect(marks).to.deep.equal([
        {
          id: "1001:Математика:2018-11-14:1",
          studentId: "1001",
          subjectId: "Математика",
          lessonId: "501",
          value: "5",
        },
        {
          id: "1001:Математика:2018-11-15:1",
          studentId: "1001",
          subjectId: "Математика",
          lessonId: "502",
          value: "4",
        },
      ]);
      const lessons = (await readAll(c, "lessons")).flatMap((p) => p.records);
      expect(lessons[0]).to.deep.equal({
        id: "501",
        classId: "5А",
        subjectId: "Математика",
        teacherId: barsIds.teacher("Иванова Мария Петровна"),
        date: "2018-11-14",
        number: 1,
        start: "08:30",
        end: "09:15",
        topic: "Дроби",
        homework: "№ 12 стр. 5",
      });
      // The homework list fills a lesson whose diary entry has none, where the day has one such lesson.
      expect(lessons[1]).to.not.have.property("topic");
      const attendance = (await readAll(c, "attendance")).flatMap((p) => p.records);
      expect(attendance).to.deep.equal([{ studentId: "1001", lessonId: "501", status: "absent" }]);
      const periodMarks = (await readAll(c, "periodMarks")).flatMap((p) => p.records);
      expect(periodMarks).to.deep.equal([
        { studentId: "1001", subjectId: "Математика", periodId: "2018-Четверть_2", value: "4" },
      ]);
      const calendar = (await readAll(c, "calendar")).flatMap((p) => p.records);
      expect(calendar).to.deep.equal([{ date: "2018-11-16", kind: "holiday" }]);
      const periods = (await readAll(c, "periods")).flatMap((p) => p.records);
      expect(periods).to.deep.include({
        id: "2018-Четверть_2",
        kind: "quarter",
        number: 2,
        start: "2018-11-06",
        end: "2018-12-27",
      });
      // Each stream is served from the one read of the run: every answer was asked for once.
      expect(login.isDone() && api.isDone()).to.equal(true);
      expect((await c.discover()).attendanceEvidence).to.equal("absences-only");
    });
  }

  it("pages name what they covered: one class × the window", async () => {
    loginScope();
    pupilScope(RECORDED);
    const c = new BarsConnector(config(), FAST);
    await c.discover();
    const pages = await readAll(c, "marks");
    expect(pages.map((p) => p.scope)).to.deep.equal([
      [{ from: "2018-11-12", to: "2018-11-18", classId: "5А" }],
    ]);
    expect((await readAll(c, "persons"))[0].scope).to.deep.equal([]);
  });

  it("a copied sessionid cookie (stored encrypted) is sent as is: no login requests", async () => {
    const api = nock(HOST)
      .get("/api/ProfileService/GetPersonData")
      .matchHeader("cookie", "sessionid=from-browser")
      .reply(200, personData)
      .post("/api/ProfileService/SetChild")
      .reply(200, { success: true })
      .get("/api/ScheduleService/GetDiary")
      .query(true)
      .reply(200, diary());
    const c = createConnector(
      {
        kind: "bars",
        url: HOST,
        auth: { method: "cookie", sessionid: encryptSecret("from-browser", SECRET) },
        school: { id: "s1", timezone: "Europe/Moscow" },
      },
      FAST,
    );
    const result = await c.check();
    expect(result.ok).to.equal(true);
    expect(result.detail).to.contain("cookie sessionid");
    expect(api.isDone()).to.equal(true);
  });

  it("an expired cookie: check throws the Russian instructions for IT staff, with no retry", async () => {
    const api = nock(HOST).get("/api/ProfileService/GetPersonData").reply(200, {
      faultcode: "Server.UserNotAuthenticated",
      faultstring: "Пользователь не аутентифицирован",
    });
    const c = new BarsConnector(config({ auth: { method: "cookie", sessionid: "dead" } }), FAST);
    const e = await failure(c.check());
    expect(e).to.be.instanceOf(AuthFailedError);
    expect(e.userMessage).to.equal(barsMessages.sessionExpired);
    expect(e.userMessage).to.match(/Госуслуги.*sessionid/);
    expect(api.isDone()).to.equal(true);
  });

  it("a password session that died mid-run is renewed once by the form", async () => {
    loginScope();
    nock(HOST)
      .get("/api/ProfileService/GetPersonData")
      .reply(200, { faultcode: "Server.UserNotAuthenticated", faultstring: "no" });
    nock(HOST)
      .post("/auth/login")
      .reply(200, '{"success": true,"redirect": "/"}', { "Set-Cookie": "sessionid=fresh; Path=/" })
      .get("/")
      .reply(302, "", { Location: "/personal-area/" });
    const api = nock(HOST)
      .get("/api/ProfileService/GetPersonData")
      .matchHeader("cookie", "sessionid=fresh")
      .reply(200, personData)
      .post("/api/ProfileService/SetChild")
      .reply(200, { success: true })
      .get("/api/ScheduleService/GetDiary")
      .query(true)
      .reply(200, diary());
    const c = new BarsConnector(config(), FAST);
    expect((await c.check()).ok).to.equal(true);
    expect(api.isDone()).to.equal(true);
    expect(c.stats().requests).to.equal(8);
  });

  it("the lockout text stops at once: one login request, the lockout message", async () => {
    const scope = nock(HOST).post("/auth/login").reply(200, `${LOCKOUT_TEXT}. Please try again later`);
    const c = new BarsConnector(config(), FAST);
    const e = await failure(c.check());
    expect(e).to.be.instanceOf(AuthFailedError);
    expect(e.platformType).to.equal("locked");
    expect(e.userMessage).to.equal(barsMessages.lockedOut);
    expect(scope.isDone()).to.equal(true);
    expect(c.stats().requests).to.equal(1);
  });

  it("a refused password and an unfinished registration say so", async () => {
    nock(HOST).post("/auth/login").reply(200, { success: false, message: "Неверный логин или пароль" });
    const refused = await failure(new BarsConnector(config(), FAST).check());
    expect(refused.userMessage).to.equal(barsMessages.passwordRejected);
    nock(HOST)
      .post("/auth/login")
      .reply(200, '{"success": true,"redirect": "/"}', { "Set-Cookie": "sessionid=x; Path=/" })
      .get("/")
      .reply(302, "", { Location: "/auth/registration/" });
    const unfinished = await failure(new BarsConnector(config(), FAST).check());
    expect(unfinished.userMessage).to.equal(barsMessages.registrationUnfinished);
  });

  it("an account that may select no pupil is not ok", async () => {
    loginScope();
    nock(HOST)
      .get("/api/ProfileService/GetPersonData")
      .reply(200, { ...personData, children_persons: [] });
    const r = await new BarsConnector(config(), FAST).check();
    expect(r.ok).to.equal(false);
    expect(r.detail).to.contain(barsMessages.noPupils);
  });

  it("an HTML maintenance page where JSON belongs is the platform down, retried", async () => {
    loginScope();
    nock(HOST)
      .get("/api/ProfileService/GetPersonData")
      .times(3)
      .reply(200, "<!DOCTYPE html><html><body>Ведутся технические работы</body></html>", {
        "Content-Type": "text/html",
      });
    const c = new BarsConnector(config(), FAST);
    const e = await failure(c.check());
    expect(e).to.be.instanceOf(PlatformDownError);
    expect(c.stats().retries).to.equal(2);
  });
});

describe("BARS answers → typed errors", () => {
  const info = (over: Partial<HttpResponseInfo>): HttpResponseInfo => ({
    method: "GET",
    url: "api/MarkService/GetSummaryMarks",
    status: 200,
    headers: {},
    contentType: "application/json",
    text: "",
    ...over,
  });
  const json = (body: object, status = 200) => info({ status, text: JSON.stringify(body), json: body });
  const cases: [string, HttpResponseInfo, string | null][] = [
    [
      "fault Server.UserNotAuthenticated",
      json({ faultcode: "Server.UserNotAuthenticated", faultstring: "x" }),
      "auth-failed",
    ],
    [
      "fault Client.ValidationError",
      json({ faultcode: "Client.ValidationError", faultstring: "date" }),
      "invalid-request",
    ],
    ["fault Server.Error", json({ faultcode: "Server.Error", faultstring: "boom" }, 500), "platform-down"],
    ["HTTP 403", info({ status: 403, contentType: "text/html", text: "<html>403</html>" }), "auth-failed"],
    [
      "the lockout text",
      info({ contentType: "text/plain", text: `${LOCKOUT_TEXT}. Please try again later` }),
      "auth-failed",
    ],
    [
      "the login page after a dead session",
      info({ contentType: "text/html", text: '<html><input name="login_login"></html>' }),
      "auth-failed",
    ],
    [
      "an HTML maintenance page (200)",
      info({ contentType: "text/html", text: "<html>Технические работы</html>" }),
      "platform-down",
    ],
    [
      "an HTML 503",
      info({ status: 503, contentType: "text/html", text: "<html>503</html>" }),
      "platform-down",
    ],
    ["ordinary data", json({ subperiod: { code: "Четверть_1", name: "1" } }), null],
  ];
  for (const [what, r, kind] of cases) {
    it(`${what} → ${kind ?? "no error"}`, () => {
      expect(classifyBarsResponse(r)?.kind ?? null).to.equal(kind);
    });
  }
  it("Client.ValidationError carries the Russian text and is not retried", () => {
    const e = classifyBarsResponse(json({ faultcode: "Client.ValidationError", faultstring: "x" }))!;
    expect(e).to.be.instanceOf(InvalidRequestError);
    expect(e.retryable).to.equal(false);
    expect(e.userMessage).to.equal(barsMessages.validation);
  });
});

describe("BARS mapping", () => {
  it("strips HTML, entities and U+200B", () => {
    expect(cleanText('\u200B<span class="x">Дроби</span>&nbsp;и&amp;проценты\u200B')).to.equal(
      "Дроби и&проценты",
    );
    expect(cleanText("\u200B")).to.equal(undefined);
  });
  it("reads marks as the journal shows them (strings) and refuses what is no mark", () => {
    expect(markValue("5")).to.equal("5");
    expect(markValue(" осв. ")).to.equal("осв");
    expect(markValue("Н/А")).to.equal("н/а");
    expect(markValue("4.25")).to.equal(null);
  });
  it("the mark key holds no value: a corrected mark keeps its key", () => {
    const before = barsIds.mark("1001", "Математика", "2018-11-14", 1);
    expect(before).to.equal("1001:Математика:2018-11-14:1");
    expect(before).to.not.contain(":5");
  });
});
