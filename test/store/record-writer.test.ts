// The batch writer's first-load path: inserts without a lookup, yet a key someone already wrote still
// takes the careful path (its old state kept as a version, the change counted).
import { expect } from "chai";
import type { Mark } from "../../src/model/records.ts";
import { StoreRuleData } from "../../src/rules/rule-data.ts";
import { ENTITIES } from "../../src/store/entities.ts";
import { type Observation, writeRecords } from "../../src/store/record-writer.ts";
import { forEachEngine } from "../support/engines.ts";

const obs = (runId: number, at: string): Observation => ({
  schoolId: "s1",
  syncRunId: runId,
  observedAt: new Date(at),
  previousFullReadAt: null,
});

forEachEngine("record writer", (ctx) => {
  it("a first load inserts every new record and writes no version", async () => {
    const db = await ctx.open();
    const subjects = [
      { id: "math", name: "Математика" },
      { id: "rus", name: "Русский язык" },
    ];
    const w = await db.transaction((tx) =>
      writeRecords(tx, ENTITIES.subjects, subjects, obs(1, "2025-09-01T10:00:00Z"), { likelyNew: true }),
    );
    expect(w).to.deep.equal({ inserted: 2, updated: 0, unchanged: 0 });
    const rows = await db.query<{ key: string; name: string }>("SELECT key, name FROM subjects ORDER BY key");
    expect(rows.map((r) => r.name)).to.deep.equal(["Математика", "Русский язык"]);
    const [v] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM record_versions");
    expect(v.n).to.equal(0);
  });

  it("a first load that meets existing keys keeps their history and counts them as changed or unchanged", async () => {
    const db = await ctx.open();
    await writeRecords(
      db,
      ENTITIES.subjects,
      [
        { id: "math", name: "Математика" },
        { id: "rus", name: "Русский" },
      ],
      obs(1, "2025-09-01T10:00:00Z"),
    );
    const w = await db.transaction((tx) =>
      writeRecords(
        tx,
        ENTITIES.subjects,
        [
          { id: "math", name: "Математика" },
          { id: "rus", name: "Русский язык" },
          { id: "phys", name: "Физика" },
        ],
        obs(2, "2025-09-02T10:00:00Z"),
        { likelyNew: true },
      ),
    );
    expect(w).to.deep.equal({ inserted: 1, updated: 1, unchanged: 1 });
    const versions = await db.query<{ key: string; data: { name: string } }>(
      "SELECT key, data FROM record_versions",
    );
    expect(versions).to.have.length(1);
    expect(versions[0].data.name).to.equal("Русский");
    const [rus] = await db.query<{ name: string; sync_run_id: string }>(
      "SELECT name, sync_run_id::text FROM subjects WHERE key = $1",
      [versions[0].key],
    );
    expect(rus).to.deep.equal({ name: "Русский язык", sync_run_id: "2" });
  });
});

forEachEngine("periods with a class scope", (ctx) => {
  it("keeps a term's class list, and a term for every class stays without one", async () => {
    const db = await ctx.open();
    const periods = [
      {
        id: "q1",
        kind: "quarter" as const,
        number: 1,
        start: "2025-09-01",
        end: "2025-10-24",
        classIds: ["5a", "9b"],
      },
      {
        id: "s1",
        kind: "semester" as const,
        number: 1,
        start: "2025-09-01",
        end: "2025-12-27",
        classIds: ["10a"],
      },
      { id: "y", kind: "year" as const, number: 1, start: "2025-09-01", end: "2026-05-26" },
    ];
    await writeRecords(db, ENTITIES.periods, periods, obs(1, "2025-09-01T10:00:00Z"));
    await db.query(
      "INSERT INTO schools (id, name, timezone, workweek) VALUES ('s1', 'Школа', 'Europe/Moscow', 5) ON CONFLICT DO NOTHING",
    );
    const stored = await new StoreRuleData(db, "s1").periods();
    expect(stored.sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal([
      periods[0],
      periods[1],
      periods[2],
    ]);
    // Unchanged on a second write: the class list is part of the record, not a new version each time.
    const again = await writeRecords(db, ENTITIES.periods, periods, obs(2, "2025-09-02T10:00:00Z"));
    expect(again).to.deep.equal({ inserted: 0, updated: 0, unchanged: 3 });
  });
});

forEachEngine("marks with only their lesson's day", (ctx) => {
  it("keeps lessonDate (Moodle without the Attendance plugin) and rewrites nothing on the same read", async () => {
    const db = await ctx.open();
    const marks: Mark[] = [
      {
        id: "m1",
        studentId: "s1",
        subjectId: "math",
        lessonDate: "2026-11-10",
        value: 5,
        recordedAt: "2026-11-12T07:00:00.000Z",
      },
      { id: "m2", studentId: "s1", subjectId: "math", lessonId: "l1", value: "н/а" },
    ];
    await writeRecords(db, ENTITIES.marks, marks, obs(1, "2026-11-13T10:00:00Z"));
    await db.query(
      "INSERT INTO schools (id, name, timezone, workweek) VALUES ('s1', 'Школа', 'Europe/Moscow', 5) ON CONFLICT DO NOTHING",
    );
    const stored = await new StoreRuleData(db, "s1").marks();
    expect(stored.map(({ firstSeenAt: _f, ...m }) => m)).to.deep.equal([
      { ...marks[0], value: "5" },
      marks[1],
    ]);
    const again = await writeRecords(db, ENTITIES.marks, marks, obs(2, "2026-11-14T10:00:00Z"));
    expect(again).to.deep.equal({ inserted: 0, updated: 0, unchanged: 2 });
  });
});
