import { expect } from "chai";
import { journalFileName, renderJournal } from "../../src/archive/journal.ts";
import { loadJournalData } from "../../src/archive/journal-data.ts";
import { importDataset } from "../../src/dataset/import.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { writeDataset } from "../support/dataset-builder.ts";
import { journalSchool, pdfText, STUDENTS } from "./support/journal-school.ts";

describe("archive journal PDF", function () {
  this.timeout(180_000);
  let db: Db;
  let pdf: Buffer;
  let pages: Awaited<ReturnType<typeof pdfText>>;
  let rendered: Awaited<ReturnType<typeof renderJournal>>;

  before(async () => {
    db = await openStore({});
    await importDataset(db, writeDataset(journalSchool()));
    // a mark gone from the platform must not appear in the archived journal
    await db.query("UPDATE marks SET deleted_at = now() WHERE school_id = 'sch1' AND key = 'm1'");
    const data = await loadJournalData(db, "sch1", "5a", "q1");
    rendered = await renderJournal(data, { createdAt: new Date("2025-10-30T12:00:00Z") });
    pdf = rendered.pdf;
    pages = await pdfText(pdf);
  });
  after(() => db.close());

  it("is named <год>_<период>_<класс>.pdf", async () => {
    expect(rendered.fileName).to.equal("2025-2026_1_5А.pdf");
    const data = await loadJournalData(db, "sch1", "5a", "q1");
    expect(journalFileName(data, "{class}-{year}-{period}.pdf")).to.equal("5А-2025-2026-1.pdf");
  });

  it("has a title page with school, class, year, period and class teacher", () => {
    const title = pages[0].text;
    for (const s of [
      "МБОУ «Лицей № 7» г. Самары",
      "5А",
      "2025-2026",
      "1 четверть",
      "Иванова Мария Петровна",
    ]) {
      expect(title).to.include(s);
    }
    expect(rendered.pages).to.equal(pages.length);
  });

  it("holds every student name, subject, topic and homework of the store", async () => {
    const all = pages.map((p) => p.text).join("\n");
    for (const s of STUDENTS) expect(all).to.include(s.name);
    const lessons = await db.query<{ topic: string; homework: string | null }>(
      "SELECT topic, homework FROM lessons WHERE school_id = 'sch1' AND class_id = '5a' AND deleted_at IS NULL AND day BETWEEN '2025-09-01' AND '2025-10-24'",
    );
    expect(lessons.length).to.be.greaterThan(40);
    for (const l of lessons) {
      expect(all).to.include(l.topic);
      if (l.homework) expect(all).to.include(l.homework);
    }
    for (const name of ["Математика", "Русский язык", "История России. Всеобщая история"])
      expect(all).to.include(name);
  });

  it("splits a subject with many lessons over several grid parts, repeating the names", () => {
    const all = pages.map((p) => p.text).join("\n");
    const parts = [...all.matchAll(/часть (\d+) из (\d+)/g)];
    expect(parts.length, "math grid is split").to.be.greaterThanOrEqual(2);
    const grids = parts.length + 2; // the split math parts, Russian, history
    for (const s of STUDENTS) {
      expect(all.split(s.name).length - 1, s.name).to.be.greaterThanOrEqual(grids);
    }
  });

  it("shows marks and absence codes cell by cell as the store holds them", async () => {
    // The first lesson of math: its grid row for each student shows the live marks and the absence code.
    const data = await loadJournalData(db, "sch1", "5a", "q1");
    const math = data.subjects.find((s) => s.id === "math")!;
    const cells = math.lessons
      .flatMap((l) => STUDENTS.map((s) => (data.marks.get(l.id)?.get(s.id) ?? []).join(" ")))
      .filter(Boolean);
    expect(
      cells.some((c) => c.includes(" ")),
      "some cells hold two marks",
    ).to.equal(true);
    const items = pages.flatMap((p) => p.items.map((i) => i.str));
    const codes = new Set(items.flatMap((s) => s.split(" ")).filter((s) => /^[нбуо]$/.test(s)));
    expect([...codes].sort()).to.deep.equal(["б", "н", "о", "у"]);
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM marks m JOIN lessons l ON l.school_id = m.school_id AND l.id = m.lesson_id
        WHERE m.school_id = 'sch1' AND m.deleted_at IS NULL AND l.class_id = '5a'`,
    );
    expect(rendered.totals.reduce((a, t) => a + t.marks, 0)).to.equal(n);
    const [{ a }] = await db.query<{ a: number }>(
      "SELECT count(*)::int AS a FROM attendance WHERE school_id = 'sch1' AND deleted_at IS NULL AND status <> 'present'",
    );
    expect(rendered.totals.reduce((s, t) => s + t.absences, 0)).to.equal(a);
  });

  it("ends with a totals page matching the store", async () => {
    const last = pages[pages.length - 1].text;
    expect(last).to.include("Итоги за период");
    expect(last).to.include("Итого");
    const [{ lessons }] = await db.query<{ lessons: number }>(
      "SELECT count(*)::int AS lessons FROM lessons WHERE school_id = 'sch1' AND class_id = '5a' AND deleted_at IS NULL",
    );
    const total = rendered.totals.reduce((s, t) => s + t.lessons, 0);
    expect(total).to.equal(lessons);
    const marks = rendered.totals.reduce((s, t) => s + t.marks, 0);
    expect(last).to.include(String(total));
    expect(last).to.include(String(marks));
    expect(rendered.totals.every((t) => t.periodMarks === STUDENTS.length)).to.equal(true);
  });

  it("cuts nothing off: every text item lies inside the page margins", () => {
    for (const page of pages) {
      for (const item of page.items) {
        expect(item.x, item.str).to.be.at.least(30);
        expect(item.right, item.str).to.be.at.most(item.pageWidth - 30);
      }
    }
  });

  it("writes a PDF/A-1b header and metadata", () => {
    expect(pdf.subarray(0, 8).toString("latin1")).to.equal("%PDF-1.4");
    expect(pdf.toString("latin1")).to.match(/pdfaid:part>1<|pdfaid:part="1"/);
  });
});
