// Each page of a Dnevnik read names what it read in full (class × 30-day window); a cursor resumes only
// its own window; without a window the read is the school year of the caller's clock.
import { expect } from "chai";
import { dnevnikConfigSchema } from "../../../src/connectors/dnevnik/config.ts";
import { DnevnikConnector } from "../../../src/connectors/dnevnik/connector.ts";
import { type DnevnikSimulator, startDnevnikSimulator } from "../../../src/connectors/dnevnik/simulator.ts";
import type { Page, ReadOptions } from "../../../src/connectors/types.ts";
import { tinyDataset } from "../../fixtures/dnevnik/tiny-dataset.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";

describe("Dnevnik read scopes", () => {
  let sim: DnevnikSimulator;
  before(async () => {
    sim = await startDnevnikSimulator({ dataset: tinyDataset(), token: TOKEN });
  });
  after(async () => {
    await sim.close();
  });
  const connector = () =>
    new DnevnikConnector(
      dnevnikConfigSchema.parse({ baseUrl: sim.url, token: TOKEN, schoolId: sim.schoolId }),
      {
        http: { rateLimit: { requestsPerSecond: 1000, burst: 1000 } },
      },
    );
  async function pages(stream: "lessons" | "persons", options: ReadOptions): Promise<Page[]> {
    const out: Page[] = [];
    for await (const p of connector().read(stream, options)) out.push(p);
    return out;
  }

  it("names each class × window of 30 days; a named window is not a full read", async () => {
    const got = await pages("lessons", { cursor: null, from: "2026-09-01", to: "2026-11-15" });
    const scopes = got.flatMap((p) => p.scope ?? []);
    const classes = [...new Set(scopes.map((s) => s.classId))];
    expect(classes.length).to.be.greaterThan(0);
    for (const c of classes) {
      expect(scopes.filter((s) => s.classId === c).map((s) => [s.from, s.to])).to.deep.equal([
        ["2026-09-01", "2026-09-30"],
        ["2026-10-01", "2026-10-30"],
        ["2026-10-31", "2026-11-15"],
      ]);
    }
    expect(got.at(-1)?.full).to.equal(false);
  });

  it("reads the school year of the caller's clock, in full, and resumes a cursor only in its window", async () => {
    const year = await pages("lessons", { cursor: null, now: new Date("2026-10-10T09:00:00Z") });
    const froms = year.flatMap((p) => p.scope ?? []).map((s) => s.from);
    expect(froms[0]).to.equal("2026-09-01");
    expect(year.flatMap((p) => p.scope ?? []).at(-1)?.to).to.equal("2027-08-31");
    expect(year.at(-1)?.full).to.equal(true);
    const cursor = year[1].cursor;
    // The same window resumes after the cursor; a read of another window starts at its beginning.
    const resumed = await pages("lessons", { cursor, now: new Date("2026-10-10T09:00:00Z") });
    expect(resumed.length).to.equal(year.length - 2);
    expect(resumed.at(-1)?.full).to.equal(false);
    const other = await pages("lessons", { cursor, from: "2026-09-01", to: "2026-09-30" });
    expect(other[0].scope?.[0]).to.deep.include({ from: "2026-09-01", to: "2026-09-30" });
    // An undated stream names the whole stream only when every unit was read.
    expect((await pages("persons", { cursor: null })).at(-1)?.scope).to.deep.equal([{}]);
  });
});
