// The NetSchool client and connector against nock, on the recorded shapes (real-shapes.md §2): the
// login proof, a refused login, the lockout, one renewal of an expired session, HTML pages, the
// account's roles and what `check` reports from them.
import { createHash } from "node:crypto";
import { expect } from "chai";
import iconv from "iconv-lite";
import { NetschoolClient } from "../../../src/connectors/netschool/client.ts";
import { netschoolConfigSchema } from "../../../src/connectors/netschool/config.ts";
import { NetschoolConnector, scopeOfRoles } from "../../../src/connectors/netschool/connector.ts";
import { passwordProof } from "../../../src/connectors/netschool/login-hash.ts";
import { failure } from "../helpers/failure.ts";
import nock from "../helpers/nock.ts";

const HOST = "https://sgo.example.ru";
const SALT = "180224361718";
const PASSWORD = "Ёлка-2026";

/** The recorded `webapi/context` answer (nm17 docs/responses/usercontext/context.json), roles varied. */
function context(roles: string[]) {
  return {
    at: "…",
    userId: -1,
    funcType: "School",
    schoolId: -1,
    schoolYearId: -1,
    globalYearId: 20,
    productName: "Сетевой Город. Образование",
    version: "4.70.53523",
    rights: ["arCalendarViewSelf", "arReportsViewForAssignedClass", "arAnnouncementView"],
    roles,
    schoolyear: {
      globalYear: {
        startDate: "2020-09-01T00:00:00",
        endDate: "2021-08-31T00:00:00",
        id: 20,
        name: "2020/2021",
      },
      schoolId: -1,
      startDate: "2020-09-01T00:00:00",
      endDate: "2021-08-31T00:00:00",
      closed: "Open",
      id: -1,
      name: "2020/2021",
    },
    user: { id: -1, name: "Поттер Г. С." },
    organization: { id: -1, name: "Хогвартс" },
    dateFormat: "d\u0001mm\u0001yy\u0001.",
    timeFormat: "h\u0001mm\u0001:\u0001\u0001",
  };
}

function client(retries = 0): NetschoolClient {
  return new NetschoolClient({
    baseUrl: `${HOST}/`,
    login: "zavuch",
    password: PASSWORD,
    schoolId: "1000",
    retry: { retries, baseDelayMs: 1, maxDelayMs: 2 },
    requestsPerSecond: 1000,
  });
}

function connector(): NetschoolConnector {
  const config = netschoolConfigSchema.parse({
    baseUrl: `${HOST}/`,
    login: "zavuch",
    password: PASSWORD,
    schoolId: "1000",
    retries: 0,
  });
  return new NetschoolConnector(config, { http: { rateLimit: { requestsPerSecond: 1000 } } });
}

/** The three login steps; `reply` answers webapi/login. */
function loginFlow(
  reply: (form: URLSearchParams) => [number, unknown] = () => [200, { at: "AT1", timeOut: 900000 }],
) {
  const forms: URLSearchParams[] = [];
  nock(HOST).get("/webapi/logindata").reply(200, { schoolLogin: true, esiaLogin: true, version: "5.43" });
  nock(HOST).post("/webapi/auth/getdata").reply(200, { lt: "123456789", ver: "1722", salt: SALT });
  nock(HOST)
    .post("/webapi/login")
    .reply(async (req: Request) => {
      const form = new URLSearchParams(await req.text());
      forms.push(form);
      return reply(form);
    });
  return forms;
}

describe("netschool/client", function () {
  this.timeout(10_000);
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("computes pw2 = md5(salt + md5hex(password in windows-1251)) and pw = pw2 cut to the password's length", () => {
    // Independently of the code under test: iconv-lite's code page and node's md5.
    const inner = createHash("md5").update(iconv.encode(PASSWORD, "win1251")).digest("hex");
    const pw2 = createHash("md5")
      .update(SALT + inner)
      .digest("hex");
    expect(passwordProof(PASSWORD, SALT)).to.deep.equal({ pw2, pw: pw2.slice(0, PASSWORD.length) });
    // A fixed vector: the Latin password "secret" with salt "1234567890".
    expect(passwordProof("secret", "1234567890").pw2).to.equal(
      createHash("md5")
        .update(`1234567890${createHash("md5").update("secret").digest("hex")}`)
        .digest("hex"),
    );
  });

  it("logs in as the site does and sends the `at` header on every call", async () => {
    const forms = loginFlow();
    let at: string | null = null;
    nock(HOST)
      .get("/webapi/context")
      .reply(async (req: Request) => {
        at = req.headers.get("at");
        return [200, context(["Admin"])];
      });
    const f = await client().context();
    expect((f.body as { version: string }).version).to.equal("4.70.53523");
    expect(at).to.equal("AT1");
    const form = forms[0];
    const proof = passwordProof(PASSWORD, SALT);
    expect(Object.fromEntries(form)).to.deep.equal({
      loginType: "1",
      scid: "1000",
      un: "zavuch",
      lt: "123456789",
      pw2: proof.pw2,
      ver: "1722",
      pw: proof.pw,
    });
  });

  it("HTTP 409 is a refused login: a clear Russian message and no second attempt", async () => {
    const forms = loginFlow(() => [409, { message: "Неправильный пароль или имя пользователя" }]);
    const e = await failure(client(3).context());
    expect(e.kind).to.equal("auth-failed");
    expect(e.platformType).to.equal("wrong-credentials");
    expect(e.userMessage).to.match(/неверный логин, пароль или школа/);
    expect(forms).to.have.length(1);
  });

  it("the lockout text is its own error, never retried", async () => {
    const forms = loginFlow(() => [
      409,
      { message: "Следующая попытка может быть совершена не ранее чем 18:05" },
    ]);
    const e = await failure(client(3).context());
    expect(e.platformType).to.equal("lockout");
    expect(e.userMessage).to.match(/временно заблокировал вход/);
    expect(forms).to.have.length(1);
  });

  it("an expired session is renewed once; a second expiry fails the run with the reason", async () => {
    loginFlow(() => [200, { at: "AT1" }]);
    nock(HOST).get("/webapi/context").reply(401, { message: "Сеанс завершён" });
    loginFlow(() => [200, { at: "AT2" }]);
    nock(HOST)
      .get("/webapi/context")
      .matchHeader("at", "AT2")
      .reply(200, context(["Admin"]));
    const c = client();
    expect(((await c.context()).body as { roles: string[] }).roles).to.deep.equal(["Admin"]);
    nock(HOST).get("/webapi/context").reply(401, { message: "Сеанс завершён" });
    const e = await failure(c.context());
    expect(e.platformType).to.equal("session-expired");
    expect(e.userMessage).to.match(/истёк повторно/);
    expect(nock.pendingMocks()).to.deep.equal([]);
  });

  it("an HTML maintenance page where JSON belongs is the platform down, not data", async () => {
    loginFlow();
    nock(HOST)
      .get("/webapi/context")
      .reply(200, "<html><head><title>Технические работы</title></head><body>…</body></html>", {
        "Content-Type": "text/html; charset=utf-8",
      });
    const e = await failure(client().context());
    expect(e.kind).to.equal("platform-down");
    expect(e.detail).to.match(/HTML page instead of JSON: Технические работы/);
  });

  it("HTTP 403 is not permitted", async () => {
    loginFlow();
    nock(HOST).get("/webapi/student/diary/init").reply(403, { message: "Доступ запрещён" });
    expect((await failure(client().diaryInit())).kind).to.equal("not-permitted");
  });

  it("logs out with the session's at and ver", async () => {
    loginFlow();
    nock(HOST)
      .get("/webapi/context")
      .reply(200, context(["Admin"]));
    let form: Record<string, string> = {};
    nock(HOST)
      .post("/webapi/auth/logout")
      .reply(async (req: Request) => {
        form = Object.fromEntries(new URLSearchParams(await req.text()));
        return [200, ""];
      });
    const c = client();
    await c.context();
    await c.logout();
    expect(form).to.deep.equal({ at: "AT1", VER: "1722" });
    expect(c.loggedIn()).to.equal(false);
  });
});

describe("netschool/connector check: what the account can read", function () {
  this.timeout(10_000);
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("reads the scope from the roles", () => {
    expect(scopeOfRoles(["Admin"])).to.equal("school");
    expect(scopeOfRoles(["Principal", "Teacher"])).to.equal("school");
    expect(scopeOfRoles(["Teacher"])).to.equal("classes");
    expect(scopeOfRoles(["Parent"])).to.equal("pupil");
    expect(scopeOfRoles(["Student"])).to.equal("pupil");
    expect(scopeOfRoles(["EmOper"])).to.equal("none");
  });

  function session(roles: string[], students: unknown) {
    loginFlow();
    nock(HOST).get("/webapi/context").reply(200, context(roles));
    nock(HOST).get("/webapi/student/diary/init").reply(200, { students, currentStudentId: -1, maxMark: 5 });
    nock(HOST)
      .get("/webapi/grade/assignment/types")
      .query({ all: "false" })
      .reply(200, [{ id: 1, name: "Ответ на уроке", abbr: "О", order: 1 }]);
    nock(HOST).post("/webapi/auth/logout").reply(200, "");
  }

  it("a parent reads one pupil: ok, and says so", async () => {
    // `students` as a dict, as some servers send it (vkrya `_init_students`).
    session(["Parent"], {
      a: { studentId: -1, nickName: "Поттер Гарри", className: "5А", classId: -2, iupGrade: 0 },
    });
    const r = await connector().check();
    expect(r.ok).to.equal(true);
    expect(r.detail).to.match(/только один ученик/);
    expect(r.detail).to.match(/версия сервера 4\.70\.53523/);
    expect(nock.pendingMocks()).to.deep.equal([]); // logged out
  });

  it("an admin reads the whole school", async () => {
    session(
      ["Admin"],
      [
        { studentId: 1, nickName: "А Б", className: "5А", classId: 10, iupGrade: 0 },
        { studentId: 2, nickName: "В Г", className: "6Б", classId: 11, iupGrade: 0 },
      ],
    );
    const r = await connector().check();
    expect(r).to.deep.include({ ok: true });
    expect(r.detail).to.match(/вся школа \(2 кл\., 2 уч\.\)/);
  });

  it("refuses a role that reads no pupil's diary", async () => {
    session(["EmOper"], []);
    const r = await connector().check();
    expect(r.ok).to.equal(false);
    expect(r.detail).to.match(/нет доступа к дневникам учеников/);
  });
});
