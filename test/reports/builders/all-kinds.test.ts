// Every report kind built from the small demo school (cut to two classes to stay fast) and rendered
// in all four formats; the PDF text and the XLSX cells hold what the store holds.
import { expect } from "chai";
import ExcelJS from "exceljs";
import { buildReport, REPORTS } from "../../../src/reports/catalog.ts";
import { parseReport, type Report } from "../../../src/reports/model.ts";
import { type ReportFormat, renderReport } from "../../../src/reports/render.ts";
import type { Db } from "../../../src/store/db.ts";
import { inspectPdf } from "../pdf-inspect.ts";
import { openDemoStore } from "./demo-store.ts";

const FORMATS: ReportFormat[] = ["pdf", "xlsx", "csv", "json"];

describe("report builders: every kind from the demo school", function () {
  this.timeout(180_000);
  let db: Db;
  let schoolId: string;
  let classId: string;
  let studentId: string;
  const built = new Map<string, Report>();

  before(async function () {
    this.timeout(300_000);
    ({ db, schoolId } = await openDemoStore([7]));
    [{ key: classId }] = await db.query<{ key: string }>("SELECT key FROM classes WHERE deleted_at IS NULL");
    [{ key: studentId }] = await db.query<{ key: string }>(
      "SELECT key FROM persons WHERE role = 'student' AND class_id = $1 AND deleted_at IS NULL ORDER BY name LIMIT 1",
      [classId],
    );
  });
  after(async () => {
    await db?.close();
  });

  function paramsOf(kind: string, scope: string): Record<string, string> {
    switch (scope) {
      case "month":
        return { month: "2025-10" };
      case "period":
      case "period-or-month":
        return { periodId: "q1-2025" };
      case "class-period":
      case "class-period-or-month":
        return { classId, periodId: "q1-2025" };
      case "student":
        return { studentId };
      case "class-or-student":
        return kind === "parent-weekly"
          ? { studentId, week: "2025-10-15" }
          : { classId, periodId: "q2-2025" };
      default:
        return {};
    }
  }

  for (const def of REPORTS) {
    it(`${def.kind} renders as PDF, XLSX, CSV and JSON`, async () => {
      const report = await buildReport(db, schoolId, def.kind, paramsOf(def.kind, def.scope));
      built.set(def.kind, report);
      expect(report.title).to.equal(def.title);
      expect(report.parameters[0].label).to.equal("Школа");
      for (const format of FORMATS) {
        const bytes = await renderReport(report, format);
        expect(bytes.length, `${def.kind}.${format}`).to.be.greaterThan(100);
        if (format === "pdf") expect(bytes.subarray(0, 5).toString()).to.equal("%PDF-");
        if (format === "xlsx") expect(bytes.subarray(0, 2).toString()).to.equal("PK");
        if (format === "json")
          expect(parseReport(JSON.parse(bytes.toString("utf8")).report).kind).to.equal(def.kind);
        if (format === "csv") {
          const firstTable = report.sections.flatMap((x) => x.tables ?? [])[0];
          if (firstTable) expect(bytes.toString("utf8")).to.contain(firstTable.columns[0].title);
        }
      }
    });
  }

  it("the class results PDF holds the students' names and their period marks from the store", async () => {
    const report =
      built.get("class-results") ??
      (await buildReport(db, schoolId, "class-results", { classId, periodId: "q1-2025" }));
    const [student] = await db.query<{ name: string }>("SELECT name FROM persons WHERE key = $1", [
      studentId,
    ]);
    const marks = await db.query<{ value: string }>(
      "SELECT value FROM period_marks WHERE school_id = $1 AND student_id = $2 AND period_id = 'q1-2025' AND deleted_at IS NULL",
      [schoolId, studentId],
    );
    expect(marks.length).to.be.greaterThan(0);
    const pages = await inspectPdf(await renderReport(report, "pdf"));
    const text = pages.map((p) => p.text).join(" ");
    expect(text).to.contain(student.name.split(" ")[0]);
    // The student's row holds exactly the store's marks.
    const nameItem = pages
      .flatMap((p) => p.items.map((i) => ({ ...i, page: p })))
      .find((i) => i.str.startsWith(student.name.split(" ")[0]));
    expect(nameItem, "student row in the PDF").to.not.equal(undefined);
    const rowMarks = (nameItem?.page.items ?? [])
      .filter((i) => Math.abs(i.y - (nameItem?.y ?? 0)) < 2 && /^[2-5]$/.test(i.str))
      .map((i) => i.str)
      .sort();
    expect(rowMarks).to.deep.equal(
      marks
        .map((m) => m.value)
        .filter((v) => /^[2-5]$/.test(v))
        .sort(),
    );
    const [{ n }] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM persons WHERE school_id = $1 AND class_id = $2 AND role = 'student' AND deleted_at IS NULL",
      [schoolId, classId],
    );
    expect(text).to.contain("Итого");
    expect(pages[0].text).to.contain("Итоги успеваемости класса");
    const subjectTotals = report.sections[1].tables?.[0].totalsRow;
    expect(subjectTotals?.students).to.be.greaterThanOrEqual(n);
  });

  it("the performance XLSX has number cells that match the store", async () => {
    const report =
      built.get("performance") ?? (await buildReport(db, schoolId, "performance", { periodId: "q1-2025" }));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderReport(report, "xlsx")) as unknown as ArrayBuffer);
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM persons WHERE school_id = $1 AND class_id = $2 AND role = 'student' AND deleted_at IS NULL`,
      [schoolId, classId],
    );
    let found = false;
    let numbers = 0;
    workbook.eachSheet((sheet) => {
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          if (typeof cell.value === "number") numbers++;
        });
        const values = (row.values as unknown[]).slice(1);
        if (values[0] === "7А" && values[1] === n) found = true;
      });
    });
    expect(numbers).to.be.greaterThan(20);
    expect(found, "a class row with the class's student count as a number").to.equal(true);
  });
});
