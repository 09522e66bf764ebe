import { expect } from "chai";
import {
  AuthFailedError,
  type ConnectorError,
  InvalidRequestError,
  NotFoundError,
  NotPermittedError,
  PlatformDownError,
  RateLimitedError,
} from "../../../src/connectors/errors.ts";
import { platformJson, SCHOOL_ID, school } from "../../fixtures/dnevnik/builders.ts";
import nock from "../helpers/nock.ts";
import { HOST, testConnector } from "./helpers.ts";

const S = SCHOOL_ID.toString();
const PATH = `/v2/schools/${S}`;
type ErrorClass = new (...args: never[]) => ConnectorError;

const htmlPage = (message: string) =>
  `<!DOCTYPE html><html><body><div class="error"><div class="error__description">${message}</div></div></body></html>`;

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a rejection");
}

describe("Dnevnik errors → typed errors", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const finalCases: [number, string, ErrorClass][] = [
    [401, "authorizationInvalidToken", AuthFailedError],
    [401, "invalidToken", AuthFailedError],
    [401, "authorizationTokenRequired", AuthFailedError],
    [403, "authorizationOutOfScope", NotPermittedError],
    [403, "outOfScope", NotPermittedError],
    [403, "authorizationNotOwner", NotPermittedError],
    [403, "ownerForbidden", NotPermittedError],
    [403, "authorizationSystemForbidden", NotPermittedError],
    [404, "apiResourceUnavailable", NotFoundError],
    [400, "parameterInvalid", InvalidRequestError],
    [400, "invalidRequest", InvalidRequestError],
    [405, "apiMethodNotSupported", InvalidRequestError],
    [403, "apiHttpsRequired", InvalidRequestError],
    [200, "authorizationFailed", AuthFailedError],
  ];
  for (const [status, type, kind] of finalCases) {
    it(`${status} ${type} → ${kind.name}, not retried`, async () => {
      nock(HOST).get(PATH).reply(status, { type, description: "описание ошибки" });
      const { connector, clock } = testConnector();
      const err = await failure(connector.discover());
      expect(err).to.be.instanceOf(kind);
      expect(err.platformType).to.equal(type);
      expect(err.detail).to.contain(type);
      expect(err.userMessage).to.match(/[А-Яа-я]/);
      expect(clock.sleeps).to.deep.equal([]);
      expect(connector.stats()).to.deep.equal({ requests: 1, retries: 0 });
    });
  }

  it("an expired token makes check() report auth-failed instead of throwing", async () => {
    nock(HOST)
      .get("/v2/users/me")
      .reply(401, { type: "authorizationInvalidToken", description: "Token expired" });
    const result = await testConnector().connector.check();
    expect(result.ok).to.equal(false);
    expect(result.detail).to.match(/^auth-failed: .*authorizationInvalidToken/);
  });

  it("429 apiRequestLimit waits for Retry-After, then succeeds", async () => {
    nock(HOST)
      .get(PATH)
      .reply(429, { type: "apiRequestLimit", description: "Превышен лимит запросов" }, { "Retry-After": "2" })
      .get(PATH)
      .reply(200, platformJson(school()), { "Content-Type": "application/json" });
    const { connector, clock } = testConnector();
    expect((await connector.discover()).school.id).to.equal(S);
    expect(clock.sleeps).to.deep.equal([2000]);
    expect(connector.stats()).to.deep.equal({ requests: 2, retries: 1 });
  });

  it("a Retry-After too long to wait is handed back as RateLimitedError", async () => {
    nock(HOST).get(PATH).reply(429, { type: "requestLimit" }, { "Retry-After": "7200" });
    const err = await failure(testConnector().connector.discover());
    expect(err).to.be.instanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).to.equal(7_200_000);
  });

  it("5xx apiServerError is retried with backoff, then PlatformDownError", async () => {
    nock(HOST).get(PATH).times(4).reply(500, { type: "apiServerError", description: "boom" });
    const { connector, clock } = testConnector();
    const err = await failure(connector.discover());
    expect(err).to.be.instanceOf(PlatformDownError);
    expect(err.retryable).to.equal(true);
    expect(clock.sleeps).to.deep.equal([10, 20, 40]);
    expect(connector.stats()).to.deep.equal({ requests: 4, retries: 3 });
  });

  it("550 maintenance and HTML 502 pages are PlatformDownError with the page's message", async () => {
    nock(HOST).get(PATH).times(4).reply(550, "");
    expect(await failure(testConnector().connector.discover())).to.be.instanceOf(PlatformDownError);

    nock(HOST)
      .get(PATH)
      .times(4)
      .reply(502, htmlPage("Сервис временно <b>недоступен</b>"), { "Content-Type": "text/html" });
    const err = await failure(testConnector().connector.discover());
    expect(err).to.be.instanceOf(PlatformDownError);
    expect(err.detail).to.contain("HTML page: Сервис временно недоступен");
  });

  it("HTML pages on 401/403/404 and a 200 HTML error page map by status", async () => {
    const cases: [number, ErrorClass][] = [
      [401, AuthFailedError],
      [403, NotPermittedError],
      [404, NotFoundError],
    ];
    for (const [status, kind] of cases) {
      nock(HOST).get(PATH).reply(status, htmlPage("Доступ запрещён"), { "Content-Type": "text/html" });
      const err = await failure(testConnector({ retries: 0 }).connector.discover());
      expect(err, String(status)).to.be.instanceOf(kind);
      expect(err.detail).to.contain("Доступ запрещён");
    }
    nock(HOST).get(PATH).reply(200, htmlPage("Технические работы"), { "Content-Type": "text/html" });
    const err = await failure(testConnector({ retries: 0 }).connector.discover());
    expect(err).to.be.instanceOf(PlatformDownError);
  });

  it("the breaker opens after consecutive failures, fails fast, then half-opens and closes", async () => {
    const { connector, clock } = testConnector();
    nock(HOST).get(PATH).times(4).reply(503, { type: "serverError" });
    expect(await failure(connector.discover())).to.be.instanceOf(PlatformDownError); // 4 attempts → open
    const fast = await failure(connector.discover());
    expect(fast).to.be.instanceOf(PlatformDownError);
    expect(fast.detail).to.contain("circuit open");
    expect(connector.stats().requests).to.equal(4);

    clock.advance(5000); // cooldown over: one trial goes out
    nock(HOST).get(PATH).reply(200, platformJson(school()), { "Content-Type": "application/json" });
    expect((await connector.discover()).school.id).to.equal(S);
    expect(connector.stats().requests).to.equal(5);
  });
});
