// Failures become an outage (which moves deadlines) only when sustained, from the first failure on.
import { expect } from "chai";
import type { Db } from "../../src/store/db.ts";
import { platformAnswered, platformFailed } from "../../src/sync/outages.ts";
import { forEachEngine } from "../support/engines.ts";

const T = Date.parse("2025-10-06T09:00:00Z");
const at = (minutes: number) => new Date(T + minutes * 60_000);

async function outages(db: Db): Promise<{ from: string; to: string | null }[]> {
  const rows = await db.query<{ from_at: Date; to_at: Date | null }>(
    "SELECT from_at, to_at FROM platform_outages ORDER BY id",
  );
  return rows.map((r) => ({ from: r.from_at.toISOString(), to: r.to_at?.toISOString() ?? null }));
}

forEachEngine("platform outages", (ctx) => {
  it("a short failure answered in time is no outage; a sustained one is, from its first failure", async () => {
    const db = await ctx.open();
    expect(await platformFailed(db, "sch1", "s1", "HTTP 503", at(0))).to.equal(false);
    expect(await platformFailed(db, "sch1", "s1", "HTTP 503", at(10))).to.equal(false);
    await platformAnswered(db, "sch1", "s1", at(12));
    expect(await platformFailed(db, "sch1", "s1", "HTTP 503", at(20))).to.equal(false);
    expect(await outages(db), "the answer at 12 minutes ended the first run of failures").to.deep.equal([]);
    expect(await platformFailed(db, "sch1", "s1", "HTTP 503", at(35))).to.equal(true);
    expect(await outages(db)).to.deep.equal([{ from: at(20).toISOString(), to: null }]);
    await platformAnswered(db, "sch1", "s1", at(50));
    expect(await outages(db)).to.deep.equal([{ from: at(20).toISOString(), to: at(50).toISOString() }]);
  });

  it("failures hours apart say nothing about the time between: no outage from them", async () => {
    const db = await ctx.open();
    await platformFailed(db, "sch1", "s1", "HTTP 503", at(0));
    expect(await platformFailed(db, "sch1", "s1", "HTTP 503", at(9 * 60))).to.equal(false);
    expect(await outages(db)).to.deep.equal([]);
    expect(await platformFailed(db, "sch1", "s1", "HTTP 503", at(9 * 60 + 30))).to.equal(true);
    expect(await outages(db)).to.deep.equal([{ from: at(9 * 60).toISOString(), to: null }]);
  });
});
