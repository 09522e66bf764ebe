// A read proves absence only where it looked (issue 9 §1): through the Dnevnik and Moodle simulators,
// on both engines, a windowed sync deletes and dates nothing outside its window.
import { expect } from "chai";
import { createConnector } from "../../src/connectors/registry.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { Lesson } from "../../src/model/records.ts";
import { checkSchool } from "../../src/rules/engine.ts";
import type { Db } from "../../src/store/db.ts";
import { runSync, type SyncOptions } from "../../src/sync/run-sync.ts";
import { tinySchool } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";
import { type SimulatedSource, startSimulatedSource } from "./support/simulated-source.ts";

const YEAR = { from: "2025-09-01", to: "2026-08-31" };
const SEPTEMBER = { from: "2025-09-01", to: "2025-09-30" };
const OCTOBER = { from: "2025-10-01", to: "2025-10-31" };
// Both syncs long after every lesson's deadline: what they prove decides the findings.
const T1 = new Date("2025-11-10T12:00:00Z");
const T2 = new Date("2025-11-11T12:00:00Z");
const T3 = new Date("2025-11-12T12:00:00Z");

const lesson = (id: string, date: string, subjectId: string, topic?: string): Lesson => ({
  id,
  classId: "5a",
  subjectId,
  teacherId: subjectId === "math" ? "t1" : "t2",
  date,
  number: 3,
  start: "10:20",
  end: "11:05",
  ...(topic ? { topic } : {}),
});

/** The tiny school with lessons, a mark and attendance in September as well as October. */
function twoMonths(): Dataset {
  const ds = tinySchool();
  ds.streams.lessons.push(
    lesson("sep1", "2025-09-15", "math", "Натуральные числа"),
    lesson("sep2", "2025-09-16", "rus", "Звуки и буквы"),
    lesson("oct3", "2025-10-08", "math", "Десятичные дроби"),
    lesson("oct4", "2025-10-09", "rus"),
    // Last in the dataset, so that the simulators keep every other id when it is removed.
    lesson("sep9", "2025-09-22", "math", "Округление"),
  );
  ds.streams.marks.push({ id: "msep", studentId: "s1", subjectId: "math", lessonId: "sep1", value: "4" });
  ds.streams.attendance.push({ studentId: "s1", lessonId: "sep1", status: "absent" });
  return ds;
}

async function deletedKeys(db: Db, table: string): Promise<string[]> {
  const rows = await db.query<{ key: string }>(
    `SELECT key FROM ${table} WHERE deleted_at IS NOT NULL ORDER BY key`,
  );
  return rows.map((r) => r.key);
}

async function lessonKey(db: Db, day: string): Promise<string> {
  const [r] = await db.query<{ key: string }>("SELECT key FROM lessons WHERE day = $1", [day]);
  return r.key;
}

for (const kind of ["dnevnik", "moodle"] as const) {
  forEachEngine(`a ${kind} read proves absence only inside its scope`, (ctx) => {
    const sims: SimulatedSource[] = [];
    afterEach(async () => {
      await Promise.all(sims.splice(0).map((s) => s.close()));
    });
    async function platform(ds: Dataset): Promise<SimulatedSource> {
      const sim = await startSimulatedSource(kind, ds);
      sims.push(sim);
      return sim;
    }
    const sync = (db: Db, sim: SimulatedSource, options: Partial<SyncOptions>) =>
      runSync(db, createConnector({ kind, ...sim.config }), { source: "s1", full: false, ...options });

    it("a whole-year sync then a one-month window deletes nothing outside the month", async () => {
      const db = await ctx.open();
      const sim = await platform(twoMonths());
      const year = await sync(db, sim, { ...YEAR, now: T1 });
      expect(year.totals.inserted).to.be.greaterThan(0);
      const october = await sync(db, sim, { ...OCTOBER, now: T2 });
      expect(october.totals.deleted).to.equal(0);
      for (const t of ["lessons", "works", "marks", "attendance", "persons", "period_marks"]) {
        expect(await deletedKeys(db, t), t).to.deep.equal([]);
      }
    });

    it("a lesson deleted on the platform is marked deleted by a read of its month, not of another", async () => {
      const db = await ctx.open();
      await sync(db, await platform(twoMonths()), { ...YEAR, now: T1 });
      const gone = await lessonKey(db, "2025-09-22");
      const ds = twoMonths();
      ds.streams.lessons = ds.streams.lessons.filter((l) => l.id !== "sep9");
      const after = await platform(ds);
      const october = await sync(db, after, { ...OCTOBER, now: T2 });
      expect(october.totals.deleted).to.equal(0);
      expect(await deletedKeys(db, "lessons")).to.deep.equal([]);
      const september = await sync(db, after, { ...SEPTEMBER, now: T3 });
      expect(september.streams.lessons?.deleted).to.equal(1);
      expect(await deletedKeys(db, "lessons")).to.deep.equal([gone]);
      for (const t of ["works", "marks", "attendance"]) expect(await deletedKeys(db, t), t).to.deep.equal([]);
    });

    it("September then October: no October finding the data does not prove; a topic seen late is", async () => {
      const db = await ctx.open();
      const sim = await platform(twoMonths());
      const sept = await sync(db, sim, { ...SEPTEMBER, now: T1 });
      await sync(db, sim, { ...OCTOBER, now: T2 });
      // The September read never looked at October: it dates no October entry.
      const dated = await db.query(
        `SELECT key FROM lessons WHERE day >= '2025-10-01'
           AND (last_absent_at IS NOT NULL OR topic_last_absent_at IS NOT NULL)`,
      );
      expect(dated).to.deep.equal([]);
      const october = new Set(
        (await db.query<{ key: string }>("SELECT key FROM lessons WHERE day >= $1", [OCTOBER.from])).map(
          (r) => r.key,
        ),
      );
      expect(october.size).to.equal(4);
      const octoberFindings = async (asOf: Date) =>
        (await checkSchool(db, sept.schoolId, { asOf, rules: ["lesson.topic.late"] })).filter((f) =>
          october.has(f.entity.lessonId ?? ""),
        );
      expect(await octoberFindings(T2)).to.deep.equal([]);

      // The topic of 9 October typed in after the October read at T2: the next October read proves it late.
      const ds = twoMonths();
      const oct4 = ds.streams.lessons.find((l) => l.id === "oct4")!;
      oct4.topic = "Имя существительное";
      await sync(db, await platform(ds), { ...OCTOBER, now: T3 });
      const findings = await octoberFindings(T3);
      expect(findings.map((f) => [f.entity.lessonId, f.evidence])).to.deep.equal([
        [
          await lessonKey(db, "2025-10-09"),
          { kind: "observed-late", lastAbsentAt: T2.toISOString(), firstSeenAt: T3.toISOString() },
        ],
      ]);
    });
  });
}

forEachEngine("the dnevnik read window", (ctx) => {
  const sims: SimulatedSource[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });
  async function platform(ds: Dataset): Promise<SimulatedSource> {
    const sim = await startSimulatedSource("dnevnik", ds);
    sims.push(sim);
    return sim;
  }
  const sync = (db: Db, sim: SimulatedSource, options: Partial<SyncOptions>, config = {}) =>
    runSync(db, createConnector({ kind: "dnevnik", ...sim.config, ...config }), {
      source: "s1",
      full: false,
      ...options,
    });
  const live = async (db: Db, table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE deleted_at IS NULL`))[0].n;

  it("follows the sync's clock, and a new school year deletes nothing of the last", async () => {
    const db = await ctx.open();
    const ds = twoMonths();
    const sim = await platform(ds);
    const first = await sync(db, sim, { now: T1 });
    expect(await live(db, "lessons")).to.equal(ds.streams.lessons.length);
    expect(first.streams.marks?.inserted).to.equal(ds.streams.marks.length);
    const scopes = await db.query<{ from: string; to: string }>(
      "SELECT DISTINCT to_char(date_from, 'YYYY-MM-DD') AS from, to_char(date_to, 'YYYY-MM-DD') AS to FROM read_scopes WHERE stream = 'lessons'",
    );
    expect(scopes).to.deep.equal([{ from: "2025-09-01", to: "2026-08-31" }]);
    const nextYear = await sync(db, sim, { now: new Date("2026-09-05T09:00:00Z") });
    expect(nextYear.totals.deleted).to.equal(0);
    expect(await live(db, "lessons")).to.equal(ds.streams.lessons.length);
    expect(await live(db, "marks")).to.equal(ds.streams.marks.length);
  });

  it("an incremental sync re-reads the trailing span and sees a late mark for an old lesson", async () => {
    const db = await ctx.open();
    const config = { rereadDays: 60 };
    const first = await sync(db, await platform(twoMonths()), { now: T1 }, config);
    // A mark for the lesson of 15 September, entered after the first sync.
    const ds = twoMonths();
    ds.streams.marks.push({ id: "late", studentId: "s2", subjectId: "math", lessonId: "sep1", value: "3" });
    const sim = await platform(ds);
    const again = await sync(db, sim, { now: T2 }, config);
    expect(again.streams.marks?.inserted).to.equal(1);
    expect(again.totals.deleted).to.equal(0);
    // 60 days before the last read (10 November): from 11 September, not the whole year.
    const [scope] = await db.query<{ from: string }>(
      "SELECT to_char(min(date_from), 'YYYY-MM-DD') AS from FROM read_scopes WHERE stream = 'marks' AND sync_run_id = $1",
      [again.runId],
    );
    expect(scope.from).to.equal("2025-09-11");
    expect(again.requests).to.be.lessThan(first.requests);
    // --full reads the whole year again.
    const full = await sync(db, sim, { now: T3, full: true }, config);
    expect(full.requests).to.equal(first.requests);
  });
});
