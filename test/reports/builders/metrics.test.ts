// Metrics in the built reports against hand-computed cases on builderSchool() (5А, quarter q1):
// math period marks s1 5, s2 4, s3 3, s4 2, s5 н/а, s6 осв., s7 none → N = 5;
// russian s1 5, s2 5, s3 4, s4 4, s5 3, s6 5, s7 4 → N = 7.
import { expect } from "chai";
import { importDataset } from "../../../src/dataset/import.ts";
import { buildReport } from "../../../src/reports/catalog.ts";
import type { Report, Row, Table } from "../../../src/reports/model.ts";
import { renderReport } from "../../../src/reports/render.ts";
import { ReportParamsError } from "../../../src/reports/report-data.ts";
import type { Db } from "../../../src/store/db.ts";
import { writeDataset } from "../../support/dataset-builder.ts";
import { inspectPdf } from "../pdf-inspect.ts";
import { builderSchool } from "./builder-dataset.ts";
import { withSharedStore } from "./shared-store.ts";

function table(report: Report, heading: string, caption?: string): Table {
  const section = report.sections.find((s) => s.heading === heading);
  if (!section)
    throw new Error(`no section "${heading}" in ${report.sections.map((s) => s.heading).join(" | ")}`);
  const t = caption ? section.tables?.find((x) => x.caption === caption) : section.tables?.[0];
  if (!t) throw new Error(`no table in "${heading}"`);
  return t;
}

function row(t: Table, key: string, value: string): Row {
  const found = t.rows.find((r) => r[key] === value);
  if (!found) throw new Error(`no row ${key}=${value} among ${t.rows.map((r) => r[key]).join(", ")}`);
  return found;
}

function close(actual: unknown, expected: number): void {
  expect(actual).to.be.a("number");
  expect(actual as number).to.be.closeTo(expected, 1e-6);
}

withSharedStore(
  "report builders: metrics",
  async (db) => {
    await importDataset(db, writeDataset(builderSchool()));
  },
  (store) => {
    let db: Db;
    beforeEach(() => {
      db = store.db();
    });

    it("performance: N excludes осв. and no mark, н/а stays in N; by subject, class and teacher", async () => {
      const r = await buildReport(db, "sch1", "performance", { periodId: "q1" });
      const math = row(table(r, "По предметам"), "subject", "Математика");
      expect([
        math.students,
        math.counted,
        math.n5,
        math.n4,
        math.n3,
        math.n2,
        math.na,
        math.exempt,
        math.noMark,
      ]).to.deep.equal([7, 5, 1, 1, 1, 1, 1, 1, 1]);
      close(math.success, 60); // (1+1+1)·100/5
      close(math.quality, 40); // (1+1)·100/5
      close(math.sou, 44.6); // (100+64+36+16+7)/5
      close(math.mean, 3.5); // (5+4+3+2)/4, codes left out
      const rus = row(table(r, "По предметам"), "subject", "Русский язык");
      expect(rus.counted).to.equal(7);
      close(rus.success, 100);
      close(rus.quality, 600 / 7);
      close(rus.sou, (3 * 100 + 3 * 64 + 36) / 7);
      // By class, each student by the worst mark: 5,4,3,2,н/а, s6 5 (осв. ignored), s7 4.
      const cls = row(table(r, "По классам (учащиеся по худшей отметке за период)"), "class", "5А");
      expect([cls.counted, cls.n5, cls.n4, cls.n3, cls.n2, cls.na]).to.deep.equal([7, 2, 2, 1, 1, 1]);
      close(cls.success, 500 / 7);
      close(cls.quality, 400 / 7);
      close(cls.sou, (200 + 128 + 36 + 16 + 7) / 7);
      close(cls.mean, (5 + 4 + 3 + 2 + 5 + 5 + 4 + 4 + 3 + 5 + 4) / 11);
      const teacher = row(table(r, "По учителям"), "teacher", "Иванова Мария Петровна");
      expect(teacher.counted).to.equal(5);
      const chart = r.sections[0].chart;
      expect(chart?.categories).to.deep.equal(["5А"]);
      expect(chart?.series[0].values[0]).to.be.closeTo(57.1, 0.05);
    });

    it("school performance: отличники, хорошисты, one «3», неуспевающие", async () => {
      const r = await buildReport(db, "sch1", "school-performance", { periodId: "q1" });
      const c = row(table(r, "Итоги по классам"), "class", "5А");
      expect([c.students, c.excellent, c.good, c.oneThree, c.failing, c.na]).to.deep.equal([
        7, 2, 2, 1, 1, 1,
      ]);
      close(c.quality, 400 / 7);
      expect(table(r, "Итоги по уровням образования").rows.map((x) => x.students)).to.deep.equal([0, 7, 0]);
    });

    it("class results: the matrix holds the marks and codes, the per-subject metrics match", async () => {
      const r = await buildReport(db, "sch1", "class-results", { classId: "5a", periodId: "q1" });
      const matrix = table(r, "Отметки за период");
      const s5 = row(matrix, "student", "Волков Артём Денисович");
      expect(s5.s_math).to.equal("н/а");
      expect(s5.s_rus).to.equal(3);
      close(row(matrix, "student", "Петров Пётр Сергеевич").mean, 5);
      close(row(table(r, "Показатели по предметам"), "subject", "Математика").sou, 44.6);
    });

    it("mean vs period: plain and weighted means and the mark the school's cut-offs give", async () => {
      const r = await buildReport(db, "sch1", "mean-vs-period", { classId: "5a", periodId: "q1" });
      const s1 = r.sections[0].tables?.[0].rows.find(
        (x) => x.student === "Петров Пётр Сергеевич" && x.subject === "Математика",
      );
      expect(s1).to.not.equal(undefined);
      close(s1?.mean, 4); // (5+4+3)/3
      close(s1?.weighted, 4.25); // (5·2+4+3)/4
      expect(s1?.byCutoffs).to.equal(4);
      expect(s1?.periodMark).to.equal(5);
      expect(s1?.mismatch).to.equal("да");
      const lenient = await buildReport(db, "sch1", "mean-vs-period", {
        classId: "5a",
        periodId: "q1",
        cutoffs: "2.5/3.5/4.2",
      });
      const s1b = lenient.sections[0].tables?.[0].rows.find(
        (x) => x.student === "Петров Пётр Сергеевич" && x.subject === "Математика",
      );
      expect(s1b?.byCutoffs).to.equal(5);
      expect(s1b?.mismatch).to.equal("");
      expect(lenient.parameters).to.deep.include({
        label: "Пороги отметок (3/4/5)",
        value: "2,5 / 3,5 / 4,2",
      });
    });

    it("forecast: the reason names how many «5» lift the mark", async () => {
      const r = await buildReport(db, "sch1", "forecast", { studentId: "s1", periodId: "q1" });
      const rowMath = r.sections
        .flatMap((s) => s.tables ?? [])
        .flatMap((t) => t.rows)
        .find((x) => x.subject === "Математика");
      close(rowMath?.mean, 4.25);
      expect(rowMath?.forecast).to.equal(4);
      // (17 + 5k)/(4 + k) ≥ 4.5 ⇔ k ≥ 2
      expect(rowMath?.reason).to.contain("нужно ещё 2 отметки «5»");
    });

    it("control figures: students without marks, with one mark, topics and homework recorded", async () => {
      const r = await buildReport(db, "sch1", "control-figures", { periodId: "q1" });
      const t = table(r, "Отметки, темы и домашние задания по классам и предметам");
      const math = row(t, "subject", "Математика");
      close(math.noMarks, 500 / 7);
      close(math.oneMark, 100 / 7);
      expect(math.lessons).to.equal(2);
      close(math.topic, 50);
      close(math.homework, 50);
      close(row(t, "subject", "Русский язык").noMarks, 100);
      const part = table(r, "Участие в работе с журналом");
      close(row(part, "indicator", "Учителей работали в журнале").share, 50);
      close(row(part, "indicator", "Родителей открывали дневник").share, 50);
    });

    it("activity: logins and entries by teacher, parents' diary views by class", async () => {
      const r = await buildReport(db, "sch1", "activity", { month: "2025-10" });
      const t1 = row(table(r, "Учителя: входы и записи в журнале"), "teacher", "Иванова Мария Петровна");
      expect([t1.days, t1.logins, t1.entries]).to.deep.equal([2, 3, 8]);
      const parents = row(table(r, "Родители: просмотры электронного дневника по классам"), "class", "5А");
      expect([parents.parents, parents.active, parents.views]).to.deep.equal([2, 1, 3]); // September's 9 views are outside
    });

    it("attendance sheet: missed lessons by reason; a late arrival is not a missed lesson", async () => {
      const r = await buildReport(db, "sch1", "attendance-sheet", { classId: "5a", periodId: "q1" });
      const t = table(r, "Пропуски уроков по учащимся");
      const s2 = row(t, "student", "Сидорова Анна Олеговна");
      expect([s2.missed, s2.ill, s2.excused, s2.unexcused, s2.late]).to.deep.equal([2, 1, 1, 0, 0]);
      close(s2.share, 200 / 3);
      const s3 = row(t, "student", "Кузнецов Илья Андреевич");
      expect([s3.missed, s3.unexcused, s3.late]).to.deep.equal([1, 1, 1]);
      expect(t.totalsRow?.missed).to.equal(3);
    });

    it("lessons substituted: the substituted lesson with its substitute", async () => {
      const r = await buildReport(db, "sch1", "lessons-substituted", { periodId: "q1" });
      const t = table(r, "Замещённые уроки");
      expect(t.rows).to.have.length(1);
      expect(t.rows[0]).to.include({
        date: "2025-10-02",
        teacher: "Смирнов Олег Ильич",
        substitute: "Иванова Мария Петровна",
      });
    });

    it("parent weekly: a class gives printouts only for families that did not open the diary", async () => {
      const r = await buildReport(db, "sch1", "parent-weekly", { classId: "5a", week: "2025-10-01" });
      const headings = r.sections.map((s) => s.heading ?? "");
      expect(headings.some((h) => h.startsWith("Петров Пётр"))).to.equal(false); // p1 viewed the diary
      expect(headings.some((h) => h.startsWith("Сидорова Анна"))).to.equal(true);
      const one = await buildReport(db, "sch1", "parent-weekly", { studentId: "s1", week: "2025-10-01" });
      const marks = one.sections[0].tables?.[0].rows ?? [];
      expect(marks.map((x) => x.mark)).to.deep.equal([5]);
    });

    it("the performance PDF holds the names, metrics and totals the store holds", async () => {
      const r = await buildReport(db, "sch1", "performance", { periodId: "q1" });
      const text = (await inspectPdf(await renderReport(r, "pdf"))).map((p) => p.text).join(" ");
      for (const needle of [
        "Отчёт об успеваемости",
        "Математика",
        "Иванова Мария Петровна",
        "44,6",
        "60,0",
        "По школе",
        "МБОУ СОШ № 1",
      ])
        expect(text).to.contain(needle);
    });

    it("rejects unknown periods, classes, students and bad parameters with a clear error", async () => {
      for (const [kind, params, re] of [
        ["performance", { periodId: "q9" }, /no period "q9" \(periods: q1\)/],
        ["class-results", { classId: "9z", periodId: "q1" }, /no class "9z" \(classes: 5a\)/],
        ["student-extract", { studentId: "t1" }, /no student "t1"/],
        ["activity", { month: "2025-13" }, /month/],
        ["nope", {}, /unknown report "nope"/],
      ] as const) {
        let error: unknown;
        try {
          await buildReport(db, "sch1", kind, params);
        } catch (err) {
          error = err;
        }
        expect(error).to.be.instanceOf(ReportParamsError);
        expect((error as Error).message).to.match(re);
      }
    });
  },
);
