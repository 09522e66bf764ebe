// End to end: a platform simulator → connector → sync engine → store, on PGlite and PostgreSQL.
import { expect } from "chai";
import { minimumRequests } from "../../src/connectors/dnevnik/request-budget.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import type { Db } from "../../src/store/db.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { addSource, connectorFor, getSource, listSources, maskSecrets } from "../../src/sync/sources.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";
import { type SimulatedSource, startSimulatedSource } from "./support/simulated-source.ts";

const WINDOW = { from: "2025-09-01", to: "2026-08-31" };
const SECRET = "test-secret-for-reglament-e2e-0123456789";

async function liveCount(db: Db, table: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE deleted_at IS NULL`,
  );
  return r.n;
}

async function totalRows(db: Db): Promise<string> {
  const tables = [
    "lessons",
    "marks",
    "attendance",
    "persons",
    "period_marks",
    "works",
    "record_versions",
    "quarantine",
  ];
  const parts = [];
  for (const t of tables) parts.push(JSON.stringify(await db.query(`SELECT * FROM ${t} ORDER BY 1, 2`)));
  return parts.join("\n");
}

for (const kind of ["dnevnik", "moodle"] as const) {
  forEachEngine(`sync from the ${kind} simulator`, (ctx) => {
    let sim: SimulatedSource;
    const ds = tinySchool();
    beforeEach(async () => {
      sim = await startSimulatedSource(kind, ds);
    });
    afterEach(async () => {
      await sim.close();
    });

    it("reads the school into the store, then a second sync with no change writes 0 rows", async () => {
      const db = await ctx.open();
      const connector = createConnector({ kind, ...sim.config });
      const first = await runSync(db, connector, { source: "s1", full: false, ...WINDOW });
      expect(first.schoolId).to.be.a("string");
      expect(await db.query("SELECT stream, reason FROM quarantine")).to.deep.equal([]);
      expect(first.requests).to.be.greaterThan(0);
      if (kind === "dnevnik") {
        // Each answer is read once and shared by the streams that need it: the run is at the API's minimum.
        const minimum = minimumRequests({
          classes: ds.streams.classes.length,
          pupils: ds.streams.persons.filter((p) => p.role === "student" && p.classId).length,
          ...WINDOW,
        });
        expect(first.requests).to.equal(minimum.total);
      }
      expect(await liveCount(db, "lessons")).to.equal(ds.streams.lessons.length);
      expect(await liveCount(db, "marks")).to.equal(ds.streams.marks.length);
      expect(await liveCount(db, "period_marks")).to.equal(ds.streams.periodMarks.length);
      const before = await totalRows(db);
      const again = await runSync(db, createConnector({ kind, ...sim.config }), {
        source: "s1",
        full: false,
        ...WINDOW,
      });
      expect(again.totals.inserted + again.totals.updated + again.totals.deleted).to.equal(0);
      expect(await totalRows(db)).to.equal(before);
    });

    it("a platform down for a sustained time opens an outage from its first failure; the next success closes it", async () => {
      const db = await ctx.open();
      const first = await runSync(db, createConnector({ kind, ...sim.config }), {
        source: "s1",
        full: false,
        ...WINDOW,
      });
      sim.setFaults(
        kind === "dnevnik" ? { serverError: { next: 1000, status: 503 } } : { unavailable: 1000 },
      );
      const t0 = new Date();
      const failAt = async (now: Date) => {
        let failed: Error | undefined;
        try {
          await runSync(db, createConnector({ kind, ...sim.config }), {
            source: "s1",
            full: false,
            knownSchoolId: first.schoolId,
            now,
            ...WINDOW,
          });
        } catch (err) {
          failed = err as Error;
        }
        expect(failed, "the sync must fail while the platform is down").to.not.equal(undefined);
      };
      const outages = () =>
        db.query<{ from_at: Date; to_at: Date | null }>(
          "SELECT from_at, to_at FROM platform_outages WHERE source = 's1'",
        );
      await failAt(t0);
      await failAt(new Date(t0.getTime() + 10 * 60_000));
      expect(await outages(), "10 minutes of failures are not yet an outage").to.deep.equal([]);
      await failAt(new Date(t0.getTime() + 20 * 60_000));
      const open = await outages();
      expect(open).to.have.length(1);
      expect(open[0].from_at.getTime()).to.equal(t0.getTime());
      expect(open[0].to_at).to.equal(null);
      sim.setFaults({});
      const back = new Date(t0.getTime() + 30 * 60_000);
      await runSync(db, createConnector({ kind, ...sim.config }), {
        source: "s1",
        full: false,
        now: back,
        ...WINDOW,
      });
      const closed = await outages();
      expect(closed[0].to_at?.getTime()).to.equal(back.getTime());
    });

    it("our own rate limit (429) for an hour is never an outage", async () => {
      const db = await ctx.open();
      const first = await runSync(db, createConnector({ kind, ...sim.config }), {
        source: "s1",
        full: false,
        ...WINDOW,
      });
      const t0 = Date.now();
      for (let i = 0; i <= 6; i++) {
        sim.setFaults(
          kind === "dnevnik"
            ? { rateLimit: { next: 1000, retryAfterSeconds: 3600 } }
            : { rateLimited: 1000, retryAfterSeconds: 3600 },
        );
        let failed: Error | undefined;
        try {
          await runSync(db, createConnector({ kind, ...sim.config }), {
            source: "s1",
            full: false,
            knownSchoolId: first.schoolId,
            now: new Date(t0 + i * 10 * 60_000),
            ...WINDOW,
          });
        } catch (err) {
          failed = err as Error;
        }
        expect(failed, "the sync must fail while throttled").to.not.equal(undefined);
      }
      expect(await db.query("SELECT * FROM platform_outages")).to.deep.equal([]);
    });

    it("keeps a source's token encrypted at rest and masks it when listed", async () => {
      const db = await ctx.open();
      const prev = process.env.REGLAMENT_SECRET;
      process.env.REGLAMENT_SECRET = SECRET;
      try {
        await addSource(db, { id: "school-1", kind, config: sim.config });
        const [raw] = await db.query<{ config: Record<string, unknown> }>("SELECT config FROM sources");
        expect(String(raw.config.token)).to.not.contain(String(sim.config.token));
        expect(JSON.stringify(raw.config)).to.not.contain(String(sim.config.token));
        expect(maskSecrets((await listSources(db))[0].config).token).to.equal("***");
        const s = await runSync(db, connectorFor(await getSource(db, "school-1")), {
          source: "school-1",
          full: false,
          ...WINDOW,
        });
        expect(s.totals.inserted).to.be.greaterThan(0);
      } finally {
        if (prev === undefined) delete process.env.REGLAMENT_SECRET;
        else process.env.REGLAMENT_SECRET = prev;
      }
    });
  });
}
