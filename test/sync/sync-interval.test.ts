// A source's own sync interval: the fan-out of a scheduled sync skips a source whose last good sync is
// younger than its `syncEveryMinutes`; a full sync and a source without an interval always run.
import { expect } from "chai";
import type { SourceRow } from "../../src/sync/sources.ts";
import { syncDue } from "../../src/sync/sync-interval.ts";
import { forEachEngine } from "../support/engines.ts";

const source = (config: Record<string, unknown>): SourceRow => ({
  id: "ns",
  kind: "netschool",
  config,
  schoolId: "s1",
  paused: false,
});

forEachEngine("per-source sync interval", ({ open }) => {
  it("is due with no run yet, not within the interval, due again once it has passed", async function () {
    this.timeout(300_000); // a fresh store on a loaded machine
    const db = await open();
    await db.query(
      "INSERT INTO schools (id, name, timezone, workweek) VALUES ('s1', 'Школа', 'Europe/Moscow', 5)",
    );
    const every30 = source({ syncEveryMinutes: 30 });
    const t0 = new Date("2026-12-02T11:00:00Z"); // 14:00 in Moscow
    expect(await syncDue(db, every30, t0)).to.equal(true);
    await db.query(
      "INSERT INTO sync_runs (school_id, source, mode, status, observed_at, started_at) VALUES ('s1', 'ns', 'incremental', 'ok', $1, $1)",
      [t0.toISOString()],
    );
    expect(await syncDue(db, every30, new Date("2026-12-02T11:15:00Z"))).to.equal(false);
    // The next half-hour slot fires a few seconds early: still due (a minute of slack).
    expect(await syncDue(db, every30, new Date("2026-12-02T11:29:30Z"))).to.equal(true);
    expect(await syncDue(db, source({}), new Date("2026-12-02T11:01:00Z"))).to.equal(true);
    // A failed run does not count as the last sync.
    await db.query(
      "INSERT INTO sync_runs (school_id, source, mode, status, observed_at, started_at) VALUES ('s1', 'ns', 'incremental', 'failed', $1, $1)",
      ["2026-12-02T11:40:00Z"],
    );
    expect(await syncDue(db, every30, new Date("2026-12-02T11:45:00Z"))).to.equal(true);
  });
});
