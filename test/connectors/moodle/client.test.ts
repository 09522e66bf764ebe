// The REST client against nock: argument encoding, and Moodle's HTTP-200 error bodies as typed errors.
import { expect } from "chai";
import {
  AuthFailedError,
  BadPayloadError,
  type ConnectorError,
  InvalidRequestError,
  NotFoundError,
  NotPermittedError,
  PlatformDownError,
  RateLimitedError,
} from "../../../src/connectors/errors.ts";
import { MoodleClient, moodleError } from "../../../src/connectors/moodle/client.ts";
import nock from "../helpers/nock.ts";

const ORIGIN = "https://school.example";
const PATH = "/moodle/webservice/rest/server.php";
const TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

function client(retries = 2): MoodleClient {
  return new MoodleClient({
    url: `${ORIGIN}/moodle`,
    token: TOKEN,
    retry: { retries, baseDelayMs: 1, maxDelayMs: 2 },
    rateLimit: { requestsPerSecond: 1000 },
  });
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a failure");
}

describe("moodle/client", function () {
  this.timeout(10_000);
  before(() => nock.disableNetConnect());
  after(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("sends wstoken, wsfunction, json format and PHP-style array arguments under the site's sub-path", async () => {
    let seen: Record<string, string> = {};
    nock(ORIGIN)
      .get(PATH)
      .query((q) => {
        seen = q as Record<string, string>;
        return true;
      })
      .reply(200, { courses: [], warnings: [] });
    const body = await client().call("mod_assign_get_assignments", {
      courseids: [12, 14],
      includenotenrolledcourses: true,
      options: [{ name: "limitnumber", value: 50 }],
    });
    expect(body).to.deep.equal({ courses: [], warnings: [] });
    expect(seen).to.include({
      wstoken: TOKEN,
      wsfunction: "mod_assign_get_assignments",
      moodlewsrestformat: "json",
      "courseids[0]": "12",
      "courseids[1]": "14",
      includenotenrolledcourses: "1",
      "options[0][name]": "limitnumber",
      "options[0][value]": "50",
    });
  });

  const cases: [string, object, new (...a: never[]) => ConnectorError][] = [
    [
      "invalidtoken",
      {
        exception: "moodle_exception",
        errorcode: "invalidtoken",
        message: "Invalid token - token not found",
      },
      AuthFailedError,
    ],
    [
      "expired token",
      {
        exception: "webservice_access_exception",
        errorcode: "accessexception",
        message:
          "Access control exception (Invalid token - token expired - check validuntil time for the token)",
      },
      AuthFailedError,
    ],
    [
      "function outside the service",
      {
        exception: "webservice_access_exception",
        errorcode: "accessexception",
        message: "Access control exception (Access to the function mod_assign_get_grades() is not allowed.)",
      },
      NotPermittedError,
    ],
    [
      "missing capability",
      {
        exception: "required_capability_exception",
        errorcode: "nopermissions",
        message: "Sorry, but you do not currently have permissions to do that (View all grades).",
      },
      NotPermittedError,
    ],
    [
      "attendance without capability",
      {
        exception: "invalid_parameter_exception",
        errorcode: "invalidparameter",
        message: "Invalid parameter value detected (Invalid session id or no permissions.)",
      },
      NotPermittedError,
    ],
    [
      "missing record",
      {
        exception: "dml_missing_record_exception",
        errorcode: "invalidrecord",
        message: "Can't find data record in database table course.",
      },
      NotFoundError,
    ],
    [
      "maintenance",
      {
        exception: "moodle_exception",
        errorcode: "sitemaintenance",
        message: "The site is undergoing maintenance",
      },
      PlatformDownError,
    ],
    [
      "bad argument",
      {
        exception: "invalid_parameter_exception",
        errorcode: "invalidparameter",
        message: "Invalid parameter value detected",
      },
      InvalidRequestError,
    ],
    [
      "token.php shape",
      {
        error: "Invalid login, please try again",
        errorcode: "invalidlogin",
        stacktrace: null,
        debuginfo: null,
        reproductionlink: null,
      },
      AuthFailedError,
    ],
  ];
  for (const [name, body, type] of cases) {
    // Only a platform that is down is worth asking again; the rest fail at once.
    const attempts = type === PlatformDownError ? 3 : 1;
    it(`maps a 200 error body (${name}) to ${type.name} after ${attempts} attempt(s), without the token`, async () => {
      const scope = nock(ORIGIN).get(PATH).query(true).times(attempts).reply(200, body);
      const c = client();
      const e = await failure(c.call("core_course_get_courses"));
      expect(e).to.be.instanceOf(type);
      expect(e.message).to.not.include(TOKEN);
      expect(e.detail).to.include("core_course_get_courses");
      expect(c.stats()).to.deep.equal({ requests: attempts, retries: attempts - 1 });
      scope.done();
    });
  }

  it("reads the error code case-insensitively from the table (unit)", () => {
    expect(moodleError("x", "InvalidToken", "")).to.be.instanceOf(AuthFailedError);
    expect(moodleError("x", "", "", "required_capability_exception")).to.be.instanceOf(NotPermittedError);
  });

  it("retries 503 and succeeds; 429 honours Retry-After", async () => {
    nock(ORIGIN).get(PATH).query(true).reply(503, "<html>down</html>", { "Content-Type": "text/html" });
    nock(ORIGIN).get(PATH).query(true).reply(429, "", { "Retry-After": "0" });
    nock(ORIGIN).get(PATH).query(true).reply(200, []);
    const c = client();
    expect(await c.call("core_course_get_courses")).to.deep.equal([]);
    expect(c.stats()).to.deep.equal({ requests: 3, retries: 2 });
  });

  it("gives up on a persistent 503 as PlatformDownError with the token redacted", async () => {
    nock(ORIGIN)
      .get(PATH)
      .query(true)
      .times(3)
      .reply(503, "<html>down</html>", { "Content-Type": "text/html" });
    const e = await failure(client(2).call("core_course_get_courses"));
    expect(e).to.be.instanceOf(PlatformDownError);
    expect(e.message).to.not.include(TOKEN);
  });

  it("gives up on 429 with a Retry-After beyond the cap", async () => {
    nock(ORIGIN).get(PATH).query(true).reply(429, "", { "Retry-After": "3600" });
    expect(await failure(client().call("core_course_get_courses"))).to.be.instanceOf(RateLimitedError);
  });

  it("treats an HTML page with 200 as a bad payload, and a maintenance page as the platform down", async () => {
    nock(ORIGIN)
      .get(PATH)
      .query(true)
      .reply(200, "<!DOCTYPE html><html><body>Login</body></html>", { "Content-Type": "text/html" });
    expect(await failure(client(0).call("core_course_get_courses"))).to.be.instanceOf(BadPayloadError);
    nock(ORIGIN)
      .get(PATH)
      .query(true)
      .reply(200, "<html><body>Site is under maintenance</body></html>", { "Content-Type": "text/html" });
    expect(await failure(client(0).call("core_course_get_courses"))).to.be.instanceOf(PlatformDownError);
  });
});
