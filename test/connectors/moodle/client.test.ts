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

  it("POSTs wstoken, wsfunction, json format and PHP-style array arguments as a form under the site's sub-path", async () => {
    let seen: { url: string; type: string; form: Record<string, string> } | undefined;
    // nock 15 hands a reply function the fetch Request.
    nock(ORIGIN)
      .post(PATH)
      .reply(200, async (req: Request) => {
        const form = Object.fromEntries(new URLSearchParams(await req.text()));
        seen = { url: req.url, type: req.headers.get("content-type") ?? "", form };
        return { courses: [], warnings: [] };
      });
    const body = await client().call("mod_assign_get_assignments", {
      courseids: [12, 14],
      includenotenrolledcourses: true,
      options: [{ name: "limitnumber", value: 50 }],
    });
    expect(body).to.deep.equal({ courses: [], warnings: [] });
    expect(seen?.url).to.equal(`${ORIGIN}${PATH}`);
    expect(seen?.type).to.equal("application/x-www-form-urlencoded");
    expect(seen?.form).to.include({
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

  it("puts the token in no request URL, on retries and failures too, and names the function in errors", async () => {
    const urls: string[] = [];
    const scope = nock(ORIGIN)
      .post(PATH)
      .times(3)
      .reply((req: Request) => {
        urls.push(req.url);
        return [503, "<html>down</html>", { "Content-Type": "text/html" }];
      });
    const e = await failure(client(2).call("core_enrol_get_enrolled_users", { courseid: 7 }));
    scope.done();
    expect(e).to.be.instanceOf(PlatformDownError);
    expect(urls).to.deep.equal(Array(3).fill(`${ORIGIN}${PATH}`));
    for (const text of [e.message, e.detail, String(e.stack)]) {
      expect(text).to.not.include(TOKEN);
      expect(text).to.include("core_enrol_get_enrolled_users");
    }
    expect(e.cause).to.equal(undefined);
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
      const scope = nock(ORIGIN).post(PATH).times(attempts).reply(200, body);
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
    nock(ORIGIN).post(PATH).reply(503, "<html>down</html>", { "Content-Type": "text/html" });
    nock(ORIGIN).post(PATH).reply(429, "", { "Retry-After": "0" });
    nock(ORIGIN).post(PATH).reply(200, []);
    const c = client();
    expect(await c.call("core_course_get_courses")).to.deep.equal([]);
    expect(c.stats()).to.deep.equal({ requests: 3, retries: 2 });
  });

  it("gives up on a persistent 503 as PlatformDownError with the token redacted", async () => {
    nock(ORIGIN).post(PATH).times(3).reply(503, "<html>down</html>", { "Content-Type": "text/html" });
    const e = await failure(client(2).call("core_course_get_courses"));
    expect(e).to.be.instanceOf(PlatformDownError);
    expect(e.message).to.not.include(TOKEN);
  });

  it("gives up on 429 with a Retry-After beyond the cap", async () => {
    nock(ORIGIN).post(PATH).reply(429, "", { "Retry-After": "3600" });
    expect(await failure(client().call("core_course_get_courses"))).to.be.instanceOf(RateLimitedError);
  });

  it("treats an HTML page with 200 as a bad payload, and a maintenance page as the platform down", async () => {
    nock(ORIGIN)
      .post(PATH)
      .reply(200, "<!DOCTYPE html><html><body>Login</body></html>", { "Content-Type": "text/html" });
    expect(await failure(client(0).call("core_course_get_courses"))).to.be.instanceOf(BadPayloadError);
    nock(ORIGIN)
      .post(PATH)
      .reply(200, "<html><body>Site is under maintenance</body></html>", { "Content-Type": "text/html" });
    expect(await failure(client(0).call("core_course_get_courses"))).to.be.instanceOf(PlatformDownError);
  });
});
