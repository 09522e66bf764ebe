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
import { HttpClient, type HttpClientOptions } from "../../../src/connectors/http/http-client.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import nock from "../helpers/nock.ts";

const BASE = "http://platform.test";

function client(clock: FakeClock, over: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    baseUrl: `${BASE}/v2/`,
    timeoutMs: 2000,
    rateLimit: { requestsPerSecond: 1000, burst: 1000 },
    retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 100 },
    breaker: { failureThreshold: 5, cooldownMs: 1000 },
    clock,
    random: () => 0.5,
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a rejection");
}

describe("HttpClient", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("sends headers and repeated query keys, parses JSON keeping big integers exact", async () => {
    const scope = nock(BASE, { reqheaders: { "access-token": "t0k" } })
      .get("/v2/schools")
      .query("schools=1&schools=2&from=2026-09-01")
      .reply(200, '[{"id":1000002283077123456,"id_str":"1000002283077123456","small":7}]', {
        "Content-Type": "application/json",
      });
    const http = client(new FakeClock(), { headers: { "Access-Token": "t0k" } });
    const body = await http.get<{ id: unknown; small: unknown }[]>("schools", {
      params: { schools: ["1", "2"], from: "2026-09-01", skip: undefined },
    });
    expect(body[0].id).to.equal("1000002283077123456");
    expect(body[0].small).to.equal(7);
    expect(scope.isDone()).to.equal(true);
    expect(http.stats()).to.deep.equal({ requests: 1, retries: 0 });
  });

  it("posts a JSON body", async () => {
    nock(BASE)
      .post("/v2/lessons/many", ["1", "2"])
      .reply(200, [{ ok: true }]);
    expect(await client(new FakeClock()).post("lessons/many", ["1", "2"])).to.deep.equal([{ ok: true }]);
  });

  it("posts URLSearchParams as a form body, nothing in the query", async () => {
    let seen = { url: "", type: "", body: "" };
    // nock 15 hands a reply function the fetch Request.
    nock(BASE)
      .post("/v2/server.php")
      .reply(200, async (req: Request) => {
        seen = { url: req.url, type: req.headers.get("content-type") ?? "", body: await req.text() };
        return { ok: true };
      });
    const form = new URLSearchParams({ "ids[0]": "5", name: "а б" });
    expect(await client(new FakeClock()).post("server.php", form)).to.deep.equal({ ok: true });
    expect(seen.url).to.equal(`${BASE}/v2/server.php`);
    expect(seen.type).to.equal("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(seen.body))).to.deep.equal({ "ids[0]": "5", name: "а б" });
  });

  it("maps statuses to typed errors without retrying the final ones", async () => {
    const clock = new FakeClock();
    const http = client(clock);
    const cases: [number, new (...a: never[]) => ConnectorError][] = [
      [401, AuthFailedError],
      [403, NotPermittedError],
      [404, NotFoundError],
      [400, InvalidRequestError],
    ];
    for (const [status, type] of cases) {
      nock(BASE).get("/v2/x").reply(status, { type: "whatever" });
      const err = await failure(http.get("x"));
      expect(err).to.be.instanceOf(type);
      expect(err.status).to.equal(status);
      expect(err.retryable).to.equal(false);
      expect(err.userMessage).to.match(/[а-я]/);
    }
    expect(http.stats().retries).to.equal(0);
    expect(clock.sleeps).to.deep.equal([]);
  });

  it("retries 5xx with full-jitter exponential backoff, then throws PlatformDownError", async () => {
    const clock = new FakeClock();
    nock(BASE).get("/v2/x").times(4).reply(503, "down");
    const http = client(clock, { random: () => 1 });
    const err = await failure(http.get("x"));
    expect(err).to.be.instanceOf(PlatformDownError);
    expect(clock.sleeps).to.deep.equal([10, 20, 40]);
    expect(http.stats()).to.deep.equal({ requests: 4, retries: 3 });
  });

  it("recovers when a retry succeeds", async () => {
    nock(BASE).get("/v2/x").reply(502, "bad gateway").get("/v2/x").reply(200, { fine: 1 });
    const http = client(new FakeClock());
    expect(await http.get("x")).to.deep.equal({ fine: 1 });
    expect(http.stats()).to.deep.equal({ requests: 2, retries: 1 });
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    const clock = new FakeClock();
    const http = client(clock);
    nock(BASE).get("/v2/x").reply(429, "", { "Retry-After": "3" }).get("/v2/x").reply(200, { ok: 1 });
    await http.get("x");
    const date = new Date(clock.now() + 5000).toUTCString();
    nock(BASE).get("/v2/y").reply(429, "", { "Retry-After": date }).get("/v2/y").reply(200, { ok: 1 });
    await http.get("y");
    expect(clock.sleeps[0]).to.equal(3000);
    // HTTP dates have whole seconds: the wait is within a second of 5 s.
    expect(clock.sleeps[1]).to.be.within(4000, 5000);
  });

  it("gives a too-long Retry-After back to the caller as RateLimitedError", async () => {
    nock(BASE).get("/v2/x").reply(429, "", { "Retry-After": "3600" });
    const err = await failure(client(new FakeClock()).get("x"));
    expect(err).to.be.instanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).to.equal(3_600_000);
  });

  it("retries network errors and timeouts", async () => {
    const clock = new FakeClock();
    nock(BASE).get("/v2/x").replyWithError({ code: "ECONNRESET", message: "reset" });
    nock(BASE).get("/v2/x").delay(300).reply(200, { late: true });
    nock(BASE).get("/v2/x").reply(200, { ok: true });
    const http = client(clock, { timeoutMs: 100 });
    expect(await http.get("x")).to.deep.equal({ ok: true });
    expect(http.stats()).to.deep.equal({ requests: 3, retries: 2 });
  });

  it("uses the platform classifier before the status", async () => {
    nock(BASE).get("/v2/x").reply(200, { type: "apiRequestLimit", description: "limit" });
    const http = client(new FakeClock(), {
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      classify: (r) =>
        (r.json as { type?: string })?.type === "apiRequestLimit"
          ? new RateLimitedError({ detail: "limit", platformType: "apiRequestLimit" })
          : null,
    });
    const err = await failure(http.get("x"));
    expect(err).to.be.instanceOf(RateLimitedError);
    expect(err.platformType).to.equal("apiRequestLimit");
  });

  it("refuses a non-JSON success body as BadPayloadError", async () => {
    nock(BASE).get("/v2/x").reply(200, "<html>hello</html>", { "Content-Type": "text/html" });
    expect(await failure(client(new FakeClock()).get("x"))).to.be.instanceOf(BadPayloadError);
    nock(BASE).get("/v2/y").reply(200, '{"broken":', { "Content-Type": "application/json" });
    expect(await failure(client(new FakeClock()).get("y"))).to.be.instanceOf(BadPayloadError);
  });

  it("opens the breaker after N consecutive failures, fails fast, then half-opens", async () => {
    const clock = new FakeClock();
    const http = client(clock, {
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { failureThreshold: 3, cooldownMs: 1000 },
    });
    nock(BASE).get("/v2/x").times(3).reply(500, "boom");
    for (let i = 0; i < 3; i++) expect(await failure(http.get("x"))).to.be.instanceOf(PlatformDownError);
    expect(http.breakerState()).to.equal("open");
    const fast = await failure(http.get("x"));
    expect(fast).to.be.instanceOf(PlatformDownError);
    expect(fast.detail).to.match(/circuit open/);
    expect(http.stats().requests).to.equal(3);

    clock.advance(1000);
    expect(http.breakerState()).to.equal("half-open");
    nock(BASE).get("/v2/x").reply(500, "still");
    await failure(http.get("x"));
    expect(http.breakerState()).to.equal("open");

    clock.advance(1000);
    nock(BASE).get("/v2/x").reply(200, { back: true });
    expect(await http.get("x")).to.deep.equal({ back: true });
    expect(http.breakerState()).to.equal("closed");
  });

  it("rate-limits with a token bucket", async () => {
    const clock = new FakeClock();
    nock(BASE).get("/v2/x").times(4).reply(200, {});
    const http = client(clock, { rateLimit: { requestsPerSecond: 10, burst: 2 } });
    for (let i = 0; i < 4; i++) await http.get("x");
    // two from the burst, then one every 100 ms
    expect(clock.sleeps).to.deep.equal([100, 100]);
  });
});
