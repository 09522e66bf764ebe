// The compliance board on the checked demo school: the school-wide shares of this week / month / period
// agree with the board asked for each range; each teacher's and class's weekly trend agrees with the
// board asked for that one week; waiving a teacher's findings raises their share.
import { expect } from "chai";
import { DateTime } from "luxon";
import { buildCompliance } from "../../src/api/compliance-router.ts";
import { runCheck } from "../../src/rules/engine.ts";
import type { Db } from "../../src/store/db.ts";
import { openDemoStore } from "../reports/builders/demo-store.ts";

describe("compliance board (per teacher and class, trends, this week / month / period)", function () {
  this.timeout(300_000);
  let db: Db;
  let school: string;
  let now: Date;

  before(async () => {
    const store = await openDemoStore([7]);
    db = store.db;
    school = store.schoolId;
    const [{ observed }] = await db.query<{ observed: Date }>(
      "SELECT max(observed_at) AS observed FROM sync_runs",
    );
    now = new Date(observed);
    await runCheck(db, school, { preset: "default", asOf: now });
  });
  after(async () => {
    await db?.close();
  });

  const sum = (rows: { onTime: number; total: number }[]) => ({
    onTime: rows.reduce((a, r) => a + r.onTime, 0),
    total: rows.reduce((a, r) => a + r.total, 0),
  });

  it("the summary's week, month and period are the board of each range", async () => {
    const board = await buildCompliance(db, school, { range: "week" }, now);
    for (const range of ["week", "month", "period"] as const) {
      const one = await buildCompliance(db, school, { range }, now);
      expect(board.summary[range]).to.include(sum(one.byClass));
    }
    expect(board.summary.period.total).to.be.greaterThan(0);
    expect(board.summary.period.total).to.be.at.least(board.summary.month.total);
  });

  it("each teacher's and class's trend is their share week by week", async () => {
    const board = await buildCompliance(db, school, { range: "period" }, now);
    expect(board.trend.length).to.be.greaterThan(1);
    const zone = "Europe/Moscow";
    // two weeks with lessons: each row's point is what the board says for that week alone
    const withLessons = board.trend.map((t, i) => [t, i] as const).filter(([t]) => t.total > 0);
    for (const [week, i] of withLessons.slice(-2)) {
      const start = DateTime.fromISO(week.weekStart, { zone });
      const one = await buildCompliance(
        db,
        school,
        { range: "week", from: start.toISODate()!, to: start.plus({ days: 6 }).toISODate()! },
        now,
      );
      for (const [rows, weekly] of [
        [board.byTeacher, one.byTeacher],
        [board.byClass, one.byClass],
      ] as const) {
        for (const r of rows) {
          expect(r.trend).to.have.length(board.trend.length);
          expect(r.trend[i], `${r.id} week ${week.weekStart}`).to.equal(
            weekly.find((w) => w.id === r.id)?.share ?? null,
          );
        }
      }
    }
    expect(board.byTeacher.some((r) => r.trend.some((v) => v !== null && v < 100))).to.equal(true);
  });

  it("waiving a teacher's findings raises their share", async () => {
    const before = await buildCompliance(db, school, { range: "period" }, now);
    const worst = before.byTeacher.find((r) => r.share !== null && r.share < 100);
    expect(worst, "a teacher with late entries").to.not.equal(undefined);
    await db.query(
      `UPDATE violations SET status = 'waived' WHERE school_id = $1 AND responsible_id = $2 AND entity->>'lessonId' IS NOT NULL`,
      [school, worst?.id ?? ""],
    );
    const after = await buildCompliance(db, school, { range: "period" }, now);
    const row = after.byTeacher.find((r) => r.id === worst?.id);
    expect(row?.share).to.be.greaterThan(worst?.share ?? 100);
  });
});
