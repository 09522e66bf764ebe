// A first load by COPY stores exactly what the multi-row INSERT stores (values that need escaping,
// lists, evidence of time), falls back to the careful path on a key met twice, and a sync that loads by
// COPY still quarantines its bad records with their reason.
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import type { StreamName, StreamRecords } from "../../src/model/records.ts";
import type { Db } from "../../src/store/db.ts";
import { ENTITIES, type Entity } from "../../src/store/entities.ts";
import { type Observation, writeRecords } from "../../src/store/record-writer.ts";
import { tinySchool, writeDataset } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";

const obs: Observation = {
  schoolId: "s1",
  syncRunId: 7,
  observedAt: new Date("2025-10-06T15:00:00Z"),
  previousFullReadAt: new Date("2025-10-05T15:00:00Z"),
};

const awkward = 'tab\there, line\nbreak, cr\r, back\\slash, "quotes", {braces}, comma, \\N, Ёж';

const batches: { [S in StreamName]?: StreamRecords[S][] } = {
  persons: [
    { id: "s1", role: "student", name: awkward, classId: "5a" },
    {
      id: "p1",
      role: "parent",
      name: "Петрова",
      childIds: ["s1", 'a"b', "c,d", "{e}", "back\\slash", "NULL", ""],
    },
    { id: "p2", role: "parent", name: "Пустой список", childIds: [] },
  ],
  // The tiny school's lessons: one with a topic that needs escaping and an empty homework, one without.
  lessons: tinySchool().streams.lessons.map((l) => (l.topic ? { ...l, topic: awkward, homework: "" } : l)),
  marks: [
    {
      id: "m1",
      studentId: "s1",
      subjectId: "math",
      lessonId: "l1",
      value: 5,
      weight: 1.5,
      recordedAt: "2025-10-03T12:00:00+05:00",
    },
    { id: "m2", studentId: "s1", subjectId: "math", lessonId: "l1", value: "н/а" },
  ],
  activity: [{ personId: "p1", date: "2025-10-01", logins: 1, diaryViews: 3 }],
  periods: [
    { id: "q1", kind: "quarter", number: 1, start: "2025-09-01", end: "2025-10-24", classIds: ["5a", "5б"] },
  ],
  outages: [{ from: "2025-10-02T10:00:00+03:00", to: "2025-10-02T14:00:00+03:00", note: awkward }],
};

async function load(db: Db, firstLoad: "copy" | "insert"): Promise<void> {
  for (const [stream, records] of Object.entries(batches) as [StreamName, StreamRecords[StreamName][]][]) {
    const w = await db.transaction((tx) =>
      writeRecords(tx, ENTITIES[stream] as Entity, records, obs, { likelyNew: true, firstLoad }),
    );
    expect(w).to.deep.equal({ inserted: records.length, updated: 0, unchanged: 0 });
  }
}

forEachEngine("first load by COPY", (ctx) => {
  it("stores every column exactly as the INSERT path does", async () => {
    const byCopy = await ctx.open();
    const byInsert = await ctx.open();
    await load(byCopy, "copy");
    await load(byInsert, "insert");
    for (const stream of Object.keys(batches) as StreamName[]) {
      const sql = `SELECT * FROM ${ENTITIES[stream].table} ORDER BY key`;
      const rows = await byCopy.query(sql);
      expect(rows).to.have.length(batches[stream]?.length ?? 0);
      expect(rows, stream).to.deep.equal(await byInsert.query(sql));
    }
    const [l1] = await byCopy.query<{ topic: string; homework_first_seen_at: Date | null }>(
      "SELECT topic, homework_first_seen_at FROM lessons WHERE key = 'l1'",
    );
    expect(l1.topic).to.equal(awkward);
    expect(l1.homework_first_seen_at).to.deep.equal(obs.observedAt);
  });

  it("a key twice in one batch falls back to the careful path: the last record wins, nothing is doubled", async () => {
    const db = await ctx.open();
    const subjects = [
      { id: "math", name: "Матем." },
      { id: "rus", name: "Русский язык" },
      { id: "math", name: "Математика" },
    ];
    const w = await db.transaction((tx) =>
      writeRecords(tx, ENTITIES.subjects, subjects, obs, { likelyNew: true }),
    );
    expect(w).to.deep.equal({ inserted: 2, updated: 0, unchanged: 0 });
    const rows = await db.query<{ key: string; name: string }>("SELECT key, name FROM subjects ORDER BY key");
    expect(rows).to.deep.equal([
      { key: "math", name: "Математика" },
      { key: "rus", name: "Русский язык" },
    ]);
  });

  it("a first sync loads by COPY and still quarantines bad records with their reason", async () => {
    const db = await ctx.open();
    const ds = tinySchool();
    const dir = writeDataset(ds, {
      extraLines: {
        marks: [
          JSON.stringify({ id: "m9", studentId: "nobody", subjectId: "math", lessonId: "l1", value: "3" }),
          "{not json",
        ],
      },
    });
    const s = await importDataset(db, dir);
    expect(s.totals.quarantined).to.equal(2);
    const q = await db.query<{ stream: string; reason: string }>(
      "SELECT stream, reason FROM quarantine ORDER BY reason",
    );
    expect(q.map((r) => r.stream)).to.deep.equal(["marks", "marks"]);
    expect(q.some((r) => /nobody|student/i.test(r.reason))).to.equal(true);
    const marks = await db.query<{ key: string }>("SELECT key FROM marks ORDER BY key");
    expect(marks.map((m) => m.key)).to.deep.equal(ds.streams.marks.map((m) => m.id).sort());
    const again = await importDataset(db, dir);
    expect(again.totals.inserted + again.totals.updated + again.totals.deleted).to.equal(0);
  });
});
