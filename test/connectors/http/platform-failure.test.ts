// Which failures of the shared HTTP client are the platform's own (they may become an outage that moves
// deadlines) and which are our client's (throttling, timeouts, DNS, resets): never an outage.
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { expect } from "chai";
import { classifyDnevnikResponse } from "../../../src/connectors/dnevnik/classify.ts";
import type { ConnectorError } from "../../../src/connectors/errors.ts";
import { HttpClient, type HttpClientOptions } from "../../../src/connectors/http/http-client.ts";
import { classifyMoodleResponse } from "../../../src/connectors/moodle/client.ts";
import { isPlatformFailure } from "../../../src/sync/outages.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import nock from "../helpers/nock.ts";

const BASE = "http://platform.test";

function client(over: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    baseUrl: `${BASE}/v2/`,
    timeoutMs: 2000,
    rateLimit: { requestsPerSecond: 1000, burst: 1000 },
    retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 100 },
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    clock: new FakeClock(),
    random: () => 0.5,
    ...over,
  });
}

/** A local TCP server doing `onSocket` with each connection; its base URL. */
async function tcpServer(
  onSocket: (s: import("node:net").Socket) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(onSocket);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    return e as ConnectorError;
  }
  throw new Error("expected a rejection");
}

describe("platform failures vs our client's failures", () => {
  beforeEach(() => {
    nock.disableNetConnect();
    // Real sockets for the transport cases: a refused port, a reset, a name that does not resolve.
    nock.enableNetConnect(/127\.0\.0\.1|\.invalid/);
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("5xx and a refused connection are the platform's failures", async () => {
    nock(BASE).get("/v2/a").times(2).reply(503, "Service Unavailable");
    const e503 = await failure(client().get("a"));
    expect(e503.kind).to.equal("platform-down");
    expect(isPlatformFailure(e503)).to.equal(true);
    // A port nobody listens on: the host refuses the connection.
    const { url, server } = await tcpServer(() => {});
    server.close();
    await once(server, "close");
    const refused = await failure(client({ baseUrl: url }).get("b"));
    expect(refused.message).to.match(/ECONNREFUSED/);
    expect(refused.kind).to.equal("platform-down");
    expect(isPlatformFailure(refused)).to.equal(true);
  });

  it("maintenance pages are the platform's failures, on Dnevnik.ru and Moodle", async () => {
    nock(BASE)
      .get("/v2/d")
      .times(2)
      .reply(
        200,
        '<!DOCTYPE html><html><div class="error__description">Ведутся технические работы</div></html>',
        { "Content-Type": "text/html" },
      );
    const dnevnik = await failure(client({ classify: classifyDnevnikResponse }).get("d"));
    expect(isPlatformFailure(dnevnik), dnevnik.message).to.equal(true);
    nock(BASE)
      .get("/v2/m")
      .times(2)
      .reply(200, "<html><body>Site is under maintenance</body></html>", { "Content-Type": "text/html" });
    const moodle = await failure(client({ classify: (i) => classifyMoodleResponse(i, "tok") }).get("m"));
    expect(isPlatformFailure(moodle), moodle.message).to.equal(true);
  });

  it("our own 429s, 408s, timeouts, resets and DNS failures are not", async () => {
    nock(BASE).get("/v2/limit").times(2).reply(429, "Too Many Requests");
    const limited = await failure(client().get("limit"));
    expect(limited.kind).to.equal("rate-limited");
    expect(isPlatformFailure(limited)).to.equal(false);
    nock(BASE).get("/v2/slow").times(2).reply(408, "Request Timeout");
    expect(isPlatformFailure(await failure(client().get("slow")))).to.equal(false);
    // A connection reset mid-request, a name that does not resolve, an answer that never comes.
    const reset = await tcpServer((s) => s.resetAndDestroy());
    const hang = await tcpServer(() => {});
    try {
      const cases: [string, HttpClient, RegExp][] = [
        ["reset", client({ baseUrl: reset.url }), /ECONNRESET|socket hang up/],
        ["dns", client({ baseUrl: "http://platform.invalid/" }), /ENOTFOUND|EAI_AGAIN/],
        ["timeout", client({ baseUrl: hang.url, timeoutMs: 100 }), /timed out/],
      ];
      for (const [what, http, re] of cases) {
        const e = await failure(http.get("net"));
        expect(e.kind, what).to.equal("platform-down");
        expect(e.message, what).to.match(re);
        expect(isPlatformFailure(e), what).to.equal(false);
      }
    } finally {
      reset.server.close();
      hang.server.close();
    }
  });

  it("an open circuit is as much evidence as the failures that opened it", async () => {
    const down = client();
    nock(BASE).get("/v2/x").times(2).reply(502, "Bad Gateway");
    await failure(down.get("x"));
    const open = await failure(down.get("x"));
    expect(open.message).to.match(/circuit open/);
    expect(isPlatformFailure(open)).to.equal(true);
    const ours = client({ baseUrl: "http://platform.invalid/" });
    await failure(ours.get("y"));
    const openOurs = await failure(ours.get("y"));
    expect(openOurs.message).to.match(/circuit open/);
    expect(isPlatformFailure(openOurs)).to.equal(false);
  });
});
