import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { exportDataset } from "../../src/dataset/export.ts";
import { importDataset, nothingUsable } from "../../src/dataset/import.ts";
import type { Db } from "../../src/store/db.ts";
import { evidenceOf, recordsAt } from "../../src/store/read-records.ts";
import { clone, tinySchool, writeDataset } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";

/** Every row of every table that a sync can write, so "writes 0 rows" is checked, not assumed. */
async function dataFingerprint(db: Db): Promise<string> {
  const tables = [
    "periods",
    "calendar_overrides",
    "subjects",
    "classes",
    "persons",
    "lessons",
    "works",
    "marks",
    "attendance",
    "period_marks",
    "activity",
    "outages",
    "record_versions",
    "quarantine",
    "stream_state",
  ];
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await db.query(`SELECT * FROM ${t} ORDER BY 1, 2`);
    parts.push(`${t}:${JSON.stringify(rows)}`);
  }
  return parts.join("\n");
}

forEachEngine("dataset import", (ctx) => {
  it("imports every stream and counts what it inserted", async () => {
    const db = await ctx.open();
    const s = await importDataset(db, writeDataset(tinySchool()));
    expect(s.totals.quarantined).to.equal(0);
    expect(s.streams.marks).to.include({ read: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect(s.streams.persons?.inserted).to.equal(5);
    expect(s.streams.outages?.inserted).to.equal(1);
    const [{ n }] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM lessons WHERE school_id = 'sch1'",
    );
    expect(n).to.equal(2);
    const [row] = await db.query<{ child_ids: string[] }>("SELECT child_ids FROM persons WHERE key = 'p1'");
    expect(row.child_ids).to.deep.equal(["s1"]);
  });

  it("re-importing the same folder writes 0 rows", async () => {
    const db = await ctx.open();
    const dir = writeDataset(tinySchool(), { extraLines: { marks: ["{broken json"] } });
    await importDataset(db, dir);
    const before = await dataFingerprint(db);
    const s = await importDataset(db, dir);
    expect(s.totals.inserted + s.totals.updated + s.totals.deleted).to.equal(0);
    expect(s.totals.unchanged).to.be.greaterThan(10);
    expect(await dataFingerprint(db)).to.equal(before);
  });

  it("exports a dataset that re-imports with 0 writes and the same content", async () => {
    const db = await ctx.open();
    await importDataset(db, writeDataset(tinySchool()));
    const out = mkdtempSync(join(tmpdir(), "reglament-export-"));
    const counts = await exportDataset(db, "sch1", out);
    expect(counts.marks).to.equal(2);
    const marks = readFileSync(join(out, "marks.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(marks[0]).to.deep.include({
      id: "m1",
      value: "5",
      weight: 2,
      recordedAt: "2025-10-03T09:00:00.000Z",
    });
    const before = await dataFingerprint(db);
    const s = await importDataset(db, out);
    expect(s.totals.inserted + s.totals.updated + s.totals.deleted).to.equal(0);
    expect(await dataFingerprint(db)).to.equal(before);
  });

  it("keeps a mark's lessonDate (a lesson day without a lesson record) through import and export", async () => {
    const db = await ctx.open();
    const ds = tinySchool();
    ds.streams.marks.push({
      id: "m3",
      studentId: "s2",
      subjectId: "math",
      lessonDate: "2025-10-02",
      value: 3,
      recordedAt: "2025-10-04T09:00:00+03:00",
    });
    const first = await importDataset(db, writeDataset(ds));
    expect(first.streams.marks).to.include({ read: 3, inserted: 3 });
    const out = mkdtempSync(join(tmpdir(), "reglament-export-"));
    await exportDataset(db, "sch1", out);
    const m3 = readFileSync(join(out, "marks.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((m) => m.id === "m3");
    expect(m3).to.deep.equal({
      id: "m3",
      studentId: "s2",
      subjectId: "math",
      lessonDate: "2025-10-02",
      value: "3",
      recordedAt: "2025-10-04T06:00:00.000Z",
    });
    const again = await importDataset(db, out);
    expect(again.totals.inserted + again.totals.updated + again.totals.deleted).to.equal(0);
  });

  it("quarantines broken JSON, wrong types, unknown ids and impossible dates with file:line and goes on", async () => {
    const db = await ctx.open();
    const dir = writeDataset(tinySchool(), {
      extraLines: {
        marks: [
          "{not json",
          JSON.stringify({ id: "m9", studentId: "s1", subjectId: "math", value: 7 }),
          JSON.stringify({ id: "m10", studentId: "ghost", subjectId: "math", value: "4" }),
        ],
        lessons: [
          JSON.stringify({
            id: "l9",
            classId: "5a",
            subjectId: "math",
            teacherId: "t1",
            date: "2025-02-30",
            number: 1,
            start: "08:30",
            end: "09:15",
          }),
          JSON.stringify({
            id: "l10",
            classId: "5a",
            subjectId: "math",
            teacherId: "t1",
            date: "2025-10-03",
            number: "one",
            start: "08:30",
            end: "09:15",
          }),
        ],
      },
    });
    const s = await importDataset(db, dir);
    expect(s.streams.marks).to.include({ inserted: 2, quarantined: 3 });
    expect(s.streams.lessons).to.include({ inserted: 2, quarantined: 2 });
    const q = await db.query<{ origin: string; field: string | null; reason: string }>(
      "SELECT origin, field, reason FROM quarantine ORDER BY origin",
    );
    const byOrigin = Object.fromEntries(q.map((r) => [r.origin, r]));
    expect(byOrigin["marks.jsonl:3"].reason).to.match(/invalid JSON/);
    expect(byOrigin["marks.jsonl:4"].field).to.equal("value");
    expect(byOrigin["lessons.jsonl:3"].reason).to.match(/not a real calendar date/);
    expect(byOrigin["lessons.jsonl:4"].field).to.equal("number");
    const unknown = q.find((r) => r.field === "studentId");
    expect(unknown?.reason).to.match(/unknown studentId "ghost"/);
    expect(nothingUsable(s)).to.equal(false);
  });

  it("quarantines lines with binary garbage (NUL bytes), escaped, and imports the rest", async () => {
    const db = await ctx.open();
    const good = JSON.stringify({ id: "m9", studentId: "s2", subjectId: "math", value: "4" });
    const dir = writeDataset(tinySchool(), {
      extraLines: {
        // Raw NUL bytes and other binary in a line; valid JSON whose string holds an escaped NUL.
        marks: [`{"id":"m7","stud\u0000\u0000\u0001\u00ffentId":"s1"}`, good],
        subjects: ["\u0000\u0000\u0000\u0000", JSON.stringify({ id: "bio", name: "Био\u0000логия" })],
      },
    });
    const s = await importDataset(db, dir);
    expect(s.streams.marks).to.include({ inserted: 3, quarantined: 1 });
    expect(s.streams.subjects).to.include({ inserted: 2, quarantined: 2 });
    const q = await db.query<{ origin: string; field: string | null; reason: string; raw: string }>(
      "SELECT origin, field, reason, raw FROM quarantine ORDER BY origin",
    );
    const byOrigin = Object.fromEntries(q.map((r) => [r.origin, r]));
    expect(byOrigin["marks.jsonl:3"].reason).to.match(/NUL byte/);
    expect(byOrigin["marks.jsonl:3"].raw).to.equal('{"id":"m7","stud\\u0000\\u0000\u0001\u00ffentId":"s1"}');
    expect(byOrigin["subjects.jsonl:4"].field).to.equal("name");
    expect(byOrigin["subjects.jsonl:4"].reason).to.match(/NUL character/);
    expect(byOrigin["subjects.jsonl:3"].raw).to.equal("\\u0000".repeat(4));
    for (const r of q) expect(r.raw + r.reason + r.origin).to.not.contain("\u0000");
    const marks = await db.query<{ key: string }>("SELECT key FROM marks ORDER BY key");
    expect(marks.map((m) => m.key)).to.deep.equal(["m1", "m2", "m9"]);
  });

  it("a file of nothing but bad lines is 'nothing usable'", async () => {
    const db = await ctx.open();
    const ds = tinySchool();
    for (const k of Object.keys(ds.streams) as (keyof typeof ds.streams)[]) ds.streams[k] = [];
    const s = await importDataset(db, writeDataset(ds, { extraLines: { subjects: ["nope"] } }));
    expect(nothingUsable(s)).to.equal(true);
    expect(s.totals.quarantined).to.equal(1);
  });

  it("a later observation dates new entries, marks disappeared ones deleted and keeps history", async () => {
    const db = await ctx.open();
    const first = tinySchool("2025-10-02T18:00:00+03:00");
    await importDataset(db, writeDataset(first));
    const second = clone(first);
    second.manifest.observedAt = "2025-10-03T18:00:00+03:00";
    second.streams.lessons[1].topic = "Орфограммы";
    second.streams.marks = second.streams.marks.filter((m) => m.id !== "m2");
    second.streams.marks.push({ id: "m3", studentId: "s2", subjectId: "rus", lessonId: "l2", value: "3" });
    second.streams.subjects[0].name = "Математика (углубл.)";
    const s = await importDataset(db, writeDataset(second));
    expect(s.streams.marks).to.include({ inserted: 1, deleted: 1, unchanged: 1 });
    expect(s.streams.lessons).to.include({ updated: 1 });

    const topic = await evidenceOf(db, "sch1", "lessons", "l2", "topic");
    expect(topic).to.deep.equal({
      recordedAt: null,
      firstSeenAt: "2025-10-03T15:00:00.000Z",
      lastAbsentAt: "2025-10-02T15:00:00.000Z",
      deletedAt: null,
    });
    const m3 = await evidenceOf(db, "sch1", "marks", "m3");
    expect(m3?.lastAbsentAt).to.equal("2025-10-02T15:00:00.000Z");
    const m1 = await evidenceOf(db, "sch1", "marks", "m1");
    expect(m1?.lastAbsentAt, "seen in the first observation: nothing proves when it was made").to.equal(null);
    expect(m1?.recordedAt).to.equal("2025-10-03T09:00:00.000Z");
    const m2 = await evidenceOf(db, "sch1", "marks", "m2");
    expect(m2?.deletedAt).to.equal("2025-10-03T15:00:00.000Z");

    // The journal as it was between the two observations, and after the second.
    const then = await recordsAt(db, "sch1", "marks", new Date("2025-10-03T00:00:00Z"));
    expect(then.map((m) => m.id)).to.deep.equal(["m1", "m2"]);
    const now = await recordsAt(db, "sch1", "marks", new Date("2025-10-04T00:00:00Z"));
    expect(now.map((m) => m.id)).to.deep.equal(["m1", "m3"]);
    const subjectsThen = await recordsAt(db, "sch1", "subjects", new Date("2025-10-03T00:00:00Z"));
    expect(subjectsThen.find((x) => x.id === "math")?.name).to.equal("Математика");
    const lessonsThen = await recordsAt(db, "sch1", "lessons", new Date("2025-10-03T00:00:00Z"));
    expect(lessonsThen.find((l) => l.id === "l2")?.topic).to.equal(undefined);
  });

  it("keeps enrollments with dates: a student moving class closes one and opens the next", async () => {
    const db = await ctx.open();
    const a = tinySchool("2025-10-02T18:00:00+03:00");
    await importDataset(db, writeDataset(a));
    const b = clone(a);
    b.manifest.observedAt = "2025-10-06T09:00:00+03:00";
    b.streams.classes.push({ id: "5b", grade: 5, letter: "Б" });
    const s1 = b.streams.persons.find((p) => p.id === "s1");
    if (s1) s1.classId = "5b";
    b.streams.persons = b.streams.persons.filter((p) => p.id !== "s2");
    await importDataset(db, writeDataset(b));
    const rows = await db.query<{
      student_id: string;
      class_id: string;
      from_date: string | null;
      to_date: string | null;
    }>("SELECT student_id, class_id, from_date, to_date FROM enrollments ORDER BY student_id, id");
    expect(rows).to.deep.equal([
      { student_id: "s1", class_id: "5a", from_date: null, to_date: "2025-10-06" },
      { student_id: "s1", class_id: "5b", from_date: "2025-10-06", to_date: null },
      { student_id: "s2", class_id: "5a", from_date: null, to_date: "2025-10-06" },
    ]);
    const again = await importDataset(db, writeDataset(b));
    expect(again.totals.inserted + again.totals.updated).to.equal(0);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM enrollments");
    expect(n).to.equal(3);
  });

  it("a record that comes back after deletion is live again", async () => {
    const db = await ctx.open();
    const a = tinySchool("2025-10-02T18:00:00+03:00");
    await importDataset(db, writeDataset(a));
    const b = clone(a);
    b.manifest.observedAt = "2025-10-03T18:00:00+03:00";
    b.streams.marks = b.streams.marks.slice(0, 1);
    await importDataset(db, writeDataset(b));
    const c = clone(a);
    c.manifest.observedAt = "2025-10-04T18:00:00+03:00";
    const s = await importDataset(db, writeDataset(c));
    expect(s.streams.marks).to.include({ updated: 1 });
    const m2 = await evidenceOf(db, "sch1", "marks", "m2");
    expect(m2?.deletedAt).to.equal(null);
    const mid = await recordsAt(db, "sch1", "marks", new Date("2025-10-04T00:00:00Z"));
    expect(mid.map((m) => m.id)).to.deep.equal(["m1"]);
  });

  it("a missing stream file deletes nothing; an older observation is refused", async () => {
    const db = await ctx.open();
    await importDataset(db, writeDataset(tinySchool("2025-10-02T18:00:00+03:00")));
    const later = tinySchool("2025-10-03T18:00:00+03:00");
    const s = await importDataset(db, writeDataset(later, { omit: ["marks"] }));
    expect(s.streams.marks).to.equal(undefined);
    const [{ n }] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM marks WHERE deleted_at IS NULL",
    );
    expect(n).to.equal(2);
    let error: Error | undefined;
    try {
      await importDataset(db, writeDataset(tinySchool("2025-10-01T18:00:00+03:00")));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/older than what the store already has/);
  });

  it("a bad manifest is one clear error naming the file and key", async () => {
    const db = await ctx.open();
    const ds = tinySchool();
    (ds.manifest.school as { timezone: string }).timezone = "Mars/Olympus";
    let error: Error | undefined;
    try {
      await importDataset(db, writeDataset(ds));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/manifest\.json: key "school\.timezone": not an IANA time zone/);
  });
});
