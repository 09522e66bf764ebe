// The spreadsheet import end to end into the store, on PGlite and PostgreSQL: files built here with
// exceljs and as CSV bytes, read through the presets, synced like a platform.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { importSheets } from "../../../src/connectors/sheet/import-sheets.ts";
import { pupilId } from "../../../src/connectors/sheet/journal-sheet.ts";
import { loadMapping, type SheetMapping } from "../../../src/connectors/sheet/mapping.ts";
import type { Period, School } from "../../../src/model/records.ts";
import type { Db } from "../../../src/store/db.ts";
import { forEachEngine } from "../../support/engines.ts";
import {
  type Pupil,
  tempDir,
  writeCsv,
  writeDatesXlsx,
  writeMonthDaysXlsx,
  writeSummaryXlsx,
} from "./support/journal-files.ts";

const SCHOOL: School = { id: "sch1", name: "Школа № 1", timezone: "Europe/Moscow", workweek: 5 };
const preset = (name: string): SheetMapping => ({ ...loadMapping(name).mapping, school: SCHOOL });
const monthDays = preset("journal-month-days");
const dates = preset("journal-dates");
const summaryPreset = preset("summary-periods");
/** The school's periods, as a mapping lists them (an export has no period dates). */
const PERIODS: Period[] = [
  { id: "2025-q1", kind: "quarter", number: 1, start: "2025-09-01", end: "2025-10-24" },
  { id: "2025-q2", kind: "quarter", number: 2, start: "2025-11-05", end: "2025-12-30" },
  { id: "2025-y", kind: "year", number: 1, start: "2025-09-01", end: "2026-05-26" },
];
const T1 = "2025-10-10T18:00:00+03:00";
const T2 = "2025-10-20T18:00:00+03:00";

interface MarkRow {
  key: string;
  student_id: string;
  subject_id: string;
  value: string;
  lesson_date: string;
  first_seen_at: Date;
  last_absent_at: Date | null;
  deleted_at: Date | null;
}

async function marks(db: Db): Promise<MarkRow[]> {
  return db.query<MarkRow>(
    `SELECT key, student_id, subject_id, value, to_char(lesson_date, 'YYYY-MM-DD') AS lesson_date,
            first_seen_at, last_absent_at, deleted_at FROM marks ORDER BY key`,
  );
}

/** Period marks as [pupil, subject, period, value], sorted. */
async function periodMarks(db: Db): Promise<string[][]> {
  const rows = await db.query<{ student_id: string; subject_id: string; period_id: string; value: string }>(
    "SELECT student_id, subject_id, period_id, value FROM period_marks WHERE deleted_at IS NULL",
  );
  return rows.map((r) => [r.student_id, r.subject_id, r.period_id, r.value]).sort();
}

/** Every row a sync can write, so "writes 0 rows" is checked, not assumed. */
async function fingerprint(db: Db): Promise<string> {
  const parts: string[] = [];
  for (const t of [
    "subjects",
    "classes",
    "persons",
    "marks",
    "periods",
    "period_marks",
    "record_versions",
    "quarantine",
    "read_scopes",
  ]) {
    parts.push(`${t}:${JSON.stringify(await db.query(`SELECT * FROM ${t} ORDER BY 1, 2`))}`);
  }
  return parts.join("\n");
}

const ivanov: Pupil = { name: "Иванов Иван", cells: ["5", "н", "4 5", "н/а", "осв"] };
const petrova: Pupil = { name: "Петрова Анна", cells: ["зч", "нз", "3", "", "2"] };
const mathSept = (pupils: Pupil[]) => ({
  name: "7А Математика",
  months: [
    { name: "Сентябрь", days: [2, 5, 9] },
    { name: "Октябрь", days: [3, 7] },
  ],
  trailing: ["I четв"],
  pupils,
});

describe("spreadsheet import", function () {
  // Cloning a migrated store and writing workbooks is slow on a loaded machine; nothing here is timed.
  this.timeout(300_000);
  forEachEngine("into the store", (ctx) => {
    it("reads a month row merged over day numbers, every mark and code, into the store", async () => {
      const db = await ctx.open();
      const file = await writeMonthDaysXlsx(join(tempDir(), "journal.xlsx"), [mathSept([ivanov, petrova])]);
      const { summary, contents } = await importSheets(db, [file], monthDays, { observedAt: T1 });
      expect(summary.totals.quarantined).to.equal(0);
      expect(summary.streams.marks).to.include({ read: 9, inserted: 9 });
      expect(contents).to.deep.include({ sheets: 1, attendanceCodes: 1 });
      const iv = pupilId("7А", "Иванов Иван");
      const rows = (await marks(db)).filter((m) => m.student_id === iv);
      expect(rows.map((m) => [m.lesson_date, m.value, m.key])).to.deep.equal([
        ["2025-09-02", "5", `sheet:7А:математика:2025-09-02#1:${iv}`],
        ["2025-09-09", "4", `sheet:7А:математика:2025-09-09#1:${iv}`],
        ["2025-09-09", "5", `sheet:7А:математика:2025-09-09#1:${iv}~2`],
        ["2025-10-03", "н/а", `sheet:7А:математика:2025-10-03#1:${iv}`],
        ["2025-10-07", "осв", `sheet:7А:математика:2025-10-07#1:${iv}`],
      ]);
      const pv = (await marks(db)).filter((m) => m.student_id !== iv).map((m) => [m.lesson_date, m.value]);
      expect(pv).to.deep.equal([
        ["2025-09-02", "зч"],
        ["2025-09-05", "нз"],
        ["2025-09-09", "3"],
        ["2025-10-07", "2"],
      ]);
      expect(await db.query("SELECT key, grade, letter FROM classes")).to.deep.equal([
        { key: "7А", grade: 7, letter: "А" },
      ]);
      expect(await db.query("SELECT key, name FROM subjects")).to.deep.equal([
        { key: "математика", name: "Математика" },
      ]);
      const persons = await db.query<{ name: string; class_id: string; role: string }>(
        "SELECT name, class_id, role FROM persons ORDER BY name",
      );
      expect(persons).to.deep.equal([
        { name: "Иванов Иван", class_id: "7А", role: "student" },
        { name: "Петрова Анна", class_id: "7А", role: "student" },
      ]);
    });

    it("quarantines a bad cell with file:sheet!cell and its reason, and imports the rest", async () => {
      const db = await ctx.open();
      const bad: Pupil = { name: "Иванов Иван", cells: ["6", "н", "4", "", "5+"] };
      const file = await writeMonthDaysXlsx(join(tempDir(), "journal.xlsx"), [mathSept([bad, petrova])]);
      const { summary } = await importSheets(db, [file], monthDays, { observedAt: T1 });
      expect(summary.streams.marks).to.include({ inserted: 5, quarantined: 2 });
      const q = await db.query<{ origin: string; reason: string; raw: string }>(
        "SELECT origin, reason, raw FROM quarantine ORDER BY origin",
      );
      expect(q.map((r) => [r.origin, r.raw])).to.deep.equal([
        ["journal.xlsx:7А Математика!C3", "6"],
        ["journal.xlsx:7А Математика!G3", "5+"],
      ]);
      expect(q[0].reason).to.match(/not a mark \(1-5\) or a journal code/);
      expect(q[0].reason).not.to.include("6");
    });

    it("reads the period-mark columns after the lessons into the mapping's periods", async () => {
      const db = await ctx.open();
      const sheet = {
        ...mathSept([
          { name: "Иванов Иван", cells: ["5", "", "4", "", "", "4", "5"] },
          { name: "Петрова Анна", cells: ["3", "", "", "", "", "н/а", ""] },
        ]),
        trailing: ["I четв", "Итоговая"],
      };
      const file = await writeMonthDaysXlsx(join(tempDir(), "journal.xlsx"), [sheet]);
      const { summary } = await importSheets(
        db,
        [file],
        { ...monthDays, periods: PERIODS },
        { observedAt: T1 },
      );
      expect(summary.totals.quarantined).to.equal(0);
      expect(summary.streams.marks).to.include({ inserted: 3 });
      const iv = pupilId("7А", "Иванов Иван");
      const pv = pupilId("7А", "Петрова Анна");
      // «Итоговая» without a year column is the year's mark.
      expect(await periodMarks(db)).to.deep.equal(
        [
          [iv, "математика", "2025-q1", "4"],
          [iv, "математика", "2025-y", "5"],
          [pv, "математика", "2025-q1", "н/а"],
        ].sort(),
      );
      expect((await db.query("SELECT key FROM periods ORDER BY key")).map((r) => r.key)).to.deep.equal([
        "2025-q1",
        "2025-q2",
        "2025-y",
      ]);

      // Without the school's periods the period marks cannot be stored: quarantined, nothing lost.
      const other = await ctx.open();
      const again = await importSheets(other, [file], monthDays, { observedAt: T1 });
      expect(again.summary.streams.periodMarks).to.include({ quarantined: 3 });
      const q = await other.query<{ origin: string; reason: string }>(
        "SELECT origin, reason FROM quarantine WHERE stream = 'periodMarks' ORDER BY origin",
      );
      expect(q.map((r) => r.origin)).to.deep.equal([
        "journal.xlsx:7А Математика!H3",
        "journal.xlsx:7А Математика!H4",
        "journal.xlsx:7А Математика!I3",
      ]);
      expect(q[0].reason).to.equal(`period-mark column "I четв": the mapping's periods list no such period`);
    });

    it("reads a «Сводная ведомость» (summary-periods): period marks per subject, bad cells quarantined, a re-import writes 0 rows", async () => {
      const db = await ctx.open();
      const mapping = { ...summaryPreset, periods: PERIODS };
      const file = await writeSummaryXlsx(join(tempDir(), "svodnaya.xlsx"), [
        {
          name: "7А",
          subjects: [
            { name: "Русский язык", periods: ["I четв", "II четв", "год", "итог"] },
            { name: "Математика", periods: ["I четв", "II четв"] },
            { name: "Средний балл", periods: ["I четв"] },
          ],
          pupils: [
            { name: "Иванов Иван", cells: ["5", "4", "5", "5", "3", "6", "4,3"] },
            { name: "Петрова Анна", cells: ["осв", "", "", "", "4 5", "4", "4,5"] },
          ],
        },
      ]);
      const { summary } = await importSheets(db, [file], mapping, { observedAt: T1 });
      const iv = pupilId("7А", "Иванов Иван");
      const pv = pupilId("7А", "Петрова Анна");
      expect(await periodMarks(db)).to.deep.equal(
        [
          [iv, "русский-язык", "2025-q1", "5"],
          [iv, "русский-язык", "2025-q2", "4"],
          [iv, "русский-язык", "2025-y", "5"],
          [iv, "математика", "2025-q1", "3"],
          [pv, "русский-язык", "2025-q1", "осв"],
          [pv, "математика", "2025-q2", "4"],
        ].sort(),
      );
      expect(summary.streams.periodMarks).to.include({ inserted: 6, quarantined: 3 });
      const q = await db.query<{ origin: string; reason: string; raw: string }>(
        "SELECT origin, reason, raw FROM quarantine ORDER BY origin",
      );
      expect(q.map((r) => [r.origin, r.raw])).to.deep.equal([
        ["svodnaya.xlsx:7А!F3", "5"],
        ["svodnaya.xlsx:7А!G4", "4 5"],
        ["svodnaya.xlsx:7А!H3", "6"],
      ]);
      expect(q[0].reason).to.match(/a final mark beside the year's/);
      expect(q[1].reason).to.match(/one mark \(1-5\) or code/);
      expect(await db.query("SELECT key, name FROM subjects ORDER BY key")).to.deep.equal([
        { key: "математика", name: "Математика" },
        { key: "русский-язык", name: "Русский язык" },
      ]);

      const before = await fingerprint(db);
      const second = await importSheets(db, [file], mapping, { observedAt: T2 });
      expect(
        second.summary.totals.inserted + second.summary.totals.updated + second.summary.totals.deleted,
      ).to.equal(0);
      expect(await fingerprint(db)).to.equal(before);
    });

    it("re-importing the same file writes 0 rows", async () => {
      const db = await ctx.open();
      const bad: Pupil = { name: "Иванов Иван", cells: ["6", "н", "4", "", "5"] };
      const file = await writeMonthDaysXlsx(join(tempDir(), "journal.xlsx"), [mathSept([bad, petrova])]);
      await importSheets(db, [file], monthDays, { observedAt: T1 });
      const before = await fingerprint(db);
      const { summary } = await importSheets(db, [file], monthDays, { observedAt: T2 });
      expect(summary.totals.inserted + summary.totals.updated + summary.totals.deleted).to.equal(0);
      expect(summary.totals.unchanged).to.be.greaterThan(5);
      // The run's own bookkeeping (sync_runs, stream_state, read_scopes of T2) moves; the journal does not.
      const after = (await fingerprint(db)).replace(/\nread_scopes:.*$/s, "");
      expect(after).to.equal(before.replace(/\nread_scopes:.*$/s, ""));
    });

    it("a later file is a later observation: it changes and deletes only inside its class × subject × days", async () => {
      const db = await ctx.open();
      const dir = tempDir();
      const russian = {
        name: "7А Русский язык",
        months: [{ name: "Сентябрь", days: [3, 4] }],
        pupils: [{ name: "Иванов Иван", cells: ["4", "5"] }],
      };
      const first = await writeMonthDaysXlsx(join(dir, "september.xlsx"), [
        mathSept([{ name: "Иванов Иван", cells: ["5", "4", "3", "", ""] }]),
        russian,
      ]);
      await importSheets(db, [first], monthDays, { observedAt: T1 });
      // Later: the math sheet of September only. 2 Sep changed, 5 Sep gone, 9 Sep unreadable, 12 Sep new.
      const later = await writeMonthDaysXlsx(join(dir, "math-later.xlsx"), [
        {
          name: "7А Математика",
          months: [{ name: "Сентябрь", days: [2, 5, 9, 12] }],
          pupils: [{ name: "Иванов Иван", cells: ["4", "", "7", "5"] }],
        },
      ]);
      const { summary } = await importSheets(db, [later], monthDays, { observedAt: T2 });
      expect(summary.streams.marks).to.include({ inserted: 1, updated: 1, deleted: 1, quarantined: 1 });
      const rows = await marks(db);
      const at = (subject: string, day: string) =>
        rows.find((m) => m.subject_id === subject && m.lesson_date === day)!;
      expect(at("математика", "2025-09-02").value).to.equal("4");
      expect(at("математика", "2025-09-05").deleted_at?.toISOString()).to.equal(new Date(T2).toISOString());
      // The unreadable cell's day is outside what the later file proves: its mark stays.
      expect(at("математика", "2025-09-09")).to.include({ value: "3", deleted_at: null });
      // A new mark: first seen by the later file; the earlier one covered 2 Sep – 7 Oct without it.
      expect(at("математика", "2025-09-12").first_seen_at.toISOString()).to.equal(new Date(T2).toISOString());
      expect(at("математика", "2025-09-12").last_absent_at?.toISOString()).to.equal(
        new Date(T1).toISOString(),
      );
      for (const day of ["2025-09-03", "2025-09-04"])
        expect(at("русский-язык", day).deleted_at).to.equal(null);
      expect(await db.query("SELECT key FROM subjects ORDER BY key")).to.have.length(2);
    });

    it("dates a mark that appears inside a day an earlier file covered by that file's absence", async () => {
      const db = await ctx.open();
      const dir = tempDir();
      const one = await writeMonthDaysXlsx(join(dir, "a.xlsx"), [
        mathSept([{ name: "Иванов Иван", cells: ["5", "", "", "", ""] }]),
      ]);
      await importSheets(db, [one], monthDays, { observedAt: T1 });
      const two = await writeMonthDaysXlsx(join(dir, "b.xlsx"), [
        mathSept([{ name: "Иванов Иван", cells: ["5", "4", "", "", ""] }]),
      ]);
      const { summary } = await importSheets(db, [two], monthDays, { observedAt: T2 });
      expect(summary.streams.marks).to.include({ inserted: 1, unchanged: 1 });
      const m = (await marks(db)).find((r) => r.lesson_date === "2025-09-05")!;
      expect(m.first_seen_at.toISOString()).to.equal(new Date(T2).toISOString());
      expect(m.last_absent_at?.toISOString()).to.equal(new Date(T1).toISOString());
    });

    it("reads CSV in UTF-8 and windows-1251, dates as dd.mm.yyyy, «17 сен» and dd.mm", async () => {
      const db = await ctx.open();
      const dir = tempDir();
      const header = ["№", "ФИО", "02.09.2025", "17 сен", "03.10", "Ср. балл"];
      const utf = writeCsv(
        join(dir, "7Б Русский язык.csv"),
        [header, ["1", "Ёлкина Мария", "5", "н/а", "4", "4,5"]],
        "utf-8-bom",
      );
      const cp = writeCsv(
        join(dir, "8В История.csv"),
        [header, ["1", "Щукин Юрий", "зч", "", "Н 3", "3"]],
        "windows-1251",
      );
      const { summary, contents } = await importSheets(db, [utf, cp], dates, { observedAt: T1 });
      expect(contents.encodings).to.deep.equal({
        "7Б Русский язык.csv": "utf-8",
        "8В История.csv": "windows-1251",
      });
      expect(summary.totals.quarantined).to.equal(0);
      expect(contents.attendanceCodes).to.equal(1);
      const rows = await marks(db);
      expect(rows.map((m) => [m.subject_id, m.lesson_date, m.value])).to.have.deep.members([
        ["русский-язык", "2025-09-02", "5"],
        ["русский-язык", "2025-09-17", "н/а"],
        ["русский-язык", "2025-10-03", "4"],
        ["история", "2025-09-02", "зч"],
        ["история", "2025-10-03", "3"],
      ]);
      expect(await db.query("SELECT name, class_id FROM persons ORDER BY name")).to.deep.equal([
        { name: "Ёлкина Мария", class_id: "7Б" },
        { name: "Щукин Юрий", class_id: "8В" },
      ]);
    });

    it("reads a date merged over two columns as two lessons of that day, and real date cells", async () => {
      const db = await ctx.open();
      const file = await writeDatesXlsx(join(tempDir(), "dates.xlsx"), [
        {
          name: "9А Физика",
          headers: [new Date(Date.UTC(2025, 8, 2)), "", "05.09.2025", "31.09"],
          merges: [{ from: 0, to: 1 }],
          pupils: [{ name: "Сидоров Пётр", cells: ["5", "4", "3", "2"] }],
        },
      ]);
      const { summary } = await importSheets(db, [file], dates, { observedAt: T1 });
      const id = pupilId("9А", "Сидоров Пётр");
      expect((await marks(db)).map((m) => m.key)).to.deep.equal([
        `sheet:9А:физика:2025-09-02#1:${id}`,
        `sheet:9А:физика:2025-09-02#2:${id}`,
        `sheet:9А:физика:2025-09-05#1:${id}`,
      ]);
      // A header that is not a date: its cells are quarantined and the sheet proves nothing absent.
      const q = await db.query<{ origin: string; reason: string }>("SELECT origin, reason FROM quarantine");
      expect(q).to.deep.equal([
        {
          origin: "dates.xlsx:9А Физика!F2",
          reason: "column F: its header is not a date, so its marks were not read",
        },
      ]);
      expect(summary.streams.marks?.quarantined).to.equal(1);
      expect(await db.query("SELECT 1 FROM read_scopes WHERE stream = 'marks'")).to.have.length(0);
    });

    it("quarantines a sheet whose class it cannot find, and a pupil listed twice", async () => {
      const db = await ctx.open();
      const file = await writeMonthDaysXlsx(join(tempDir(), "j.xlsx"), [
        { name: "Лист1", months: [{ name: "Сентябрь", days: [1] }], pupils: [{ name: "А Б", cells: ["5"] }] },
        mathSept([ivanov, { name: "Иванов  Иван", cells: ["3"] }]),
      ]);
      const { summary } = await importSheets(db, [file], monthDays, { observedAt: T1 });
      const q = await db.query<{ origin: string; reason: string }>(
        "SELECT origin, reason FROM quarantine ORDER BY origin",
      );
      expect(q.map((r) => r.origin)).to.deep.equal(["j.xlsx:7А Математика!B4", "j.xlsx:Лист1"]);
      expect(q[0].reason).to.equal("the same pupil as row 3: row not read");
      expect(summary.streams.marks?.inserted).to.equal(5);
    });
  });
});

describe("sheet mappings", () => {
  it("starts a mapping file from a preset and changes its keys", () => {
    const file = join(tempDir(), "mine.yaml");
    writeFileSync(
      file,
      'preset: journal-dates\nclass: "5Г"\nsubject: { cell: B1, pattern: "Предмет: (.+)" }\nfirstRow: 3\n',
    );
    const { mapping } = loadMapping(file);
    expect(mapping).to.deep.include({
      class: "5Г",
      firstRow: 3,
      dateRow: 1,
      nameColumn: 2,
      firstDateColumn: 3,
    });
  });

  it("names the file and the key of a mistake, and the presets of an unknown one", () => {
    const file = join(tempDir(), "bad.yaml");
    writeFileSync(file, "preset: journal-dates\nnameColumn: 2\n");
    expect(() => loadMapping(file)).to.throw(`${file}: key "nameColumn": expected column letters, e.g. B`);
    writeFileSync(file, "preset: journal-dates\ncolour: red\n");
    expect(() => loadMapping(file)).to.throw(/key "\(root\)"|colour/);
    expect(() => loadMapping("no-such")).to.throw(
      'no sheet preset "no-such" (presets: journal-dates, journal-month-days, summary-periods)',
    );
  });
});
