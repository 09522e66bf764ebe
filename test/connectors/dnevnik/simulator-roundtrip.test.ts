import { expect } from "chai";
import { dnevnikConfigSchema } from "../../../src/connectors/dnevnik/config.ts";
import { DNEVNIK_STREAMS, DnevnikConnector } from "../../../src/connectors/dnevnik/connector.ts";
import { type DnevnikSimulator, startDnevnikSimulator } from "../../../src/connectors/dnevnik/simulator.ts";
import { AuthFailedError, PlatformDownError } from "../../../src/connectors/errors.ts";
import type { RejectedRecord } from "../../../src/connectors/types.ts";
import type { StreamName } from "../../../src/model/records.ts";
import { tinyDataset } from "../../fixtures/dnevnik/tiny-dataset.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { expectedRecords, normalise } from "./expected-records.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";

async function readAll(c: DnevnikConnector, stream: StreamName) {
  const records: object[] = [];
  const rejected: RejectedRecord[] = [];
  let cursor: string | null = "start";
  for await (const page of c.read(stream, { cursor: null, from: "2026-09-01", to: "2026-12-31" })) {
    records.push(...page.records);
    rejected.push(...page.rejected);
    cursor = page.cursor;
  }
  expect(cursor, `${stream}: the last page closes the stream`).to.equal(null);
  return { records, rejected };
}

describe("Dnevnik simulator → connector round trip", () => {
  let sim: DnevnikSimulator;
  const dataset = tinyDataset();
  const expected = expectedRecords(dataset);
  const connector = () =>
    new DnevnikConnector(
      dnevnikConfigSchema.parse({ baseUrl: sim.url, token: TOKEN, schoolId: sim.schoolId }),
      {
        http: {
          retry: { baseDelayMs: 1, maxDelayMs: 5 },
          rateLimit: { requestsPerSecond: 1000, burst: 1000 },
        },
      },
    );

  before(async () => {
    sim = await startDnevnikSimulator({ dataset, token: TOKEN });
  });
  after(() => sim.close());
  afterEach(() => sim.setFaults({}));

  it("check and discover see the school in its time zone", async () => {
    const c = connector();
    const check = await c.check();
    expect(check.ok, check.detail).to.equal(true);
    const d = await c.discover();
    expect(d.school).to.deep.equal({
      id: sim.schoolId,
      name: "МАОУ СОШ № 1",
      timezone: "Asia/Yekaterinburg",
      workweek: 5,
    });
    expect(d.streams).to.have.members([...DNEVNIK_STREAMS]);
  });

  for (const stream of DNEVNIK_STREAMS) {
    it(`reads ${stream} back equal to the canonical records, field by field`, async () => {
      const { records, rejected } = await readAll(connector(), stream);
      expect(rejected, JSON.stringify(rejected)).to.deep.equal([]);
      expect(normalise(records)).to.deep.equal(normalise(expected[stream] ?? []));
      expect(records.length).to.be.greaterThan(0);
    });
  }

  it("a malformed record in a stream is rejected with its reason while the rest maps", async () => {
    for (const [stream, field] of [
      ["lessons", "date"],
      ["marks", "value"],
      ["persons", "id_str"],
      ["attendance", "status"],
    ] as const) {
      sim.setFaults({ malformed: stream });
      const { records, rejected } = await readAll(connector(), stream);
      expect(rejected, stream).to.have.length(1);
      expect(rejected[0].stream).to.equal(stream);
      expect(rejected[0].field).to.equal(field);
      expect(rejected[0].reason).to.be.a("string").and.not.equal("");
      expect(rejected[0].origin).to.match(/^GET \/v2\//);
      expect(records.length).to.equal((expected[stream] ?? []).length - 1);
    }
  });

  it("resumes from a cursor without re-reading finished windows", async () => {
    const c = connector();
    const pages = [];
    for await (const p of c.read("lessons", { cursor: null, from: "2026-09-01", to: "2026-12-31" }))
      pages.push(p);
    expect(pages.length).to.be.greaterThan(2);
    const rest = [];
    for await (const p of c.read("lessons", {
      cursor: pages[0].cursor,
      from: "2026-09-01",
      to: "2026-12-31",
    })) {
      rest.push(p);
    }
    expect(rest.length).to.equal(pages.length - 1);
    expect(normalise(rest.flatMap((p) => p.records))).to.deep.equal(
      normalise(pages.slice(1).flatMap((p) => p.records)),
    );
  });

  it("rides out 429 with Retry-After, 5xx and an HTML error page; gives up on an expired token", async () => {
    const clock = new FakeClock();
    const c = new DnevnikConnector(
      dnevnikConfigSchema.parse({ baseUrl: sim.url, token: TOKEN, schoolId: sim.schoolId, retries: 6 }),
      { clock, random: () => 0, http: { rateLimit: { requestsPerSecond: 1000, burst: 1000 } } },
    );
    sim.setFaults({
      rateLimit: { next: 2, retryAfterSeconds: 3 },
      serverError: { next: 2 },
      htmlError: { next: 1 },
    });
    const { records } = await readAll(c, "subjects");
    expect(normalise(records)).to.deep.equal(normalise(expected.subjects ?? []));
    expect(clock.sleeps.filter((ms) => ms === 3000)).to.have.length(2);
    expect(c.stats().retries).to.equal(5);

    sim.setFaults({ expiredToken: true });
    const check = await c.check();
    expect(check.ok).to.equal(false);
    expect(check.detail).to.match(/^auth-failed/);
    try {
      await readAll(c, "lessons");
      expect.fail("expected AuthFailedError");
    } catch (e) {
      expect(e).to.be.instanceOf(AuthFailedError);
    }
  });

  it("a slow platform times out into PlatformDownError after the retries", async () => {
    sim.setFaults({ latencyMs: 200 });
    const c = new DnevnikConnector(
      dnevnikConfigSchema.parse({ baseUrl: sim.url, token: TOKEN, schoolId: sim.schoolId, retries: 1 }),
      { clock: new FakeClock(), http: { timeoutMs: 30 } },
    );
    try {
      await c.discover();
      expect.fail("expected PlatformDownError");
    } catch (e) {
      expect(e).to.be.instanceOf(PlatformDownError);
      expect((e as PlatformDownError).detail).to.match(/timed out/);
    }
    expect(c.stats()).to.deep.equal({ requests: 2, retries: 1 });
  });
});
