import { expect } from "chai";
import { backoffDelay, parseRetryAfter } from "../../../src/connectors/http/backoff.ts";

describe("backoff", () => {
  const opts = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it("full jitter: uniform up to min(max, base·2^attempt)", () => {
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, opts, () => 0.999999))).to.deep.equal([
      99, 199, 399, 799, 999,
    ]);
    expect(backoffDelay(3, opts, () => 0)).to.equal(0);
    expect(backoffDelay(2, opts, () => 0.5)).to.equal(200);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(parseRetryAfter("120", now)).to.equal(120_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 10:00:30 GMT", now)).to.equal(30_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT", now)).to.equal(0);
    expect(parseRetryAfter("soon", now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
  });
});
