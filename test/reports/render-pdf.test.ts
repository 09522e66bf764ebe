import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Report } from "../../src/reports/model.ts";
import { PdfWriter, renderPdf } from "../../src/reports/render-pdf.ts";
import { requireTool } from "../support/system-tools.ts";
import { countOf, type InspectedPage, inspectPdf } from "./pdf-inspect.ts";
import { CLASS_MARKS, classResultsReport, LONG_TEXT, registerReport } from "./sample-report.ts";

const MARGIN = 42;

/** Every text item lies on its page; horizontally inside the side margins. */
function expectInsideBox(pages: InspectedPage[]): void {
  for (const [p, page] of pages.entries()) {
    for (const item of page.items) {
      const where = `page ${p + 1} «${item.str}» at x=${item.x.toFixed(1)} w=${item.width.toFixed(1)}`;
      expect(item.x, where).to.be.at.least(MARGIN - 0.5);
      expect(item.x + item.width, where).to.be.at.most(page.width - MARGIN + 0.5);
      expect(item.y, where).to.be.at.least(0);
      expect(item.y + item.height, where).to.be.at.most(page.height);
    }
  }
}

const squash = (s: string) => s.replace(/\s+/g, "");

describe("reports/render-pdf", function () {
  this.timeout(30_000);

  let classPdf: Buffer;
  let classPages: InspectedPage[];
  before(async () => {
    classPdf = await renderPdf(classResultsReport());
    classPages = await inspectPdf(classPdf);
  });

  it("writes a PDF/A-1b file with PT Sans embedded and no standard fonts", () => {
    const raw = classPdf.toString("latin1");
    expect(raw.startsWith("%PDF-1.4")).to.equal(true);
    expect(raw).to.match(/<pdfaid:part>1<\/pdfaid:part>/);
    expect(raw).to.match(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).to.include("/OutputIntents");
    expect(raw).to.match(/\/BaseFont \/[A-Z]{6}\+PTSans-Regular/);
    expect(raw).to.match(/\/BaseFont \/[A-Z]{6}\+PTSans-Bold/);
    expect(raw).to.include("/FontFile2");
    expect(raw).not.to.match(/\/BaseFont \/Helvetica/);
  });

  it("prints the Cyrillic title, parameters, cell values and totals", () => {
    const text = classPages.map((p) => p.text).join("\n");
    expect(classPages[0].text).to.include("Итоги успеваемости класса за учебный период");
    expect(text).to.include("1 четверть 2026/2027 учебного года");
    expect(text).to.include("02.11.2026 14:30");
    for (const subject of Object.keys(CLASS_MARKS)) expect(text).to.include(subject);
    // Русский язык: n5=3, n4=4, n3=2, n2=1, N=10 → СОУ (300+256+72+16)/10 = 64,4 %; mean 39/10 = 3,90
    expect(text).to.include("64,4 %");
    expect(text).to.include("3,90");
    expect(text).to.include("Итого по классу");
  });

  it("keeps a section heading on the page of the chart under it", () => {
    const headingPage = classPages.findIndex((p) => p.items.some((i) => i.str === "Качество знаний"));
    const chartPage = classPages.findIndex((p) => p.text.includes("Качество и успеваемость по предметам"));
    expect(headingPage).to.be.at.least(0);
    expect(headingPage).to.equal(chartPage);
  });

  it("numbers every page «Стр. N из M»", () => {
    const m = classPages.length;
    expect(m).to.be.greaterThan(1);
    classPages.forEach((page, i) => {
      expect(countOf(page.text, `Стр. ${i + 1} из ${m}`), `page ${i + 1}`).to.equal(1);
    });
  });

  it("lays landscape reports on landscape A4 and portrait on portrait", async () => {
    expect(classPages[0].width).to.be.closeTo(841.89, 0.01);
    expect(classPages[0].height).to.be.closeTo(595.28, 0.01);
    const portrait = await inspectPdf(await renderPdf(registerReport(3, "portrait")));
    expect(portrait[0].width).to.be.closeTo(595.28, 0.01);
  });

  describe("a 300-row table", () => {
    let pages: InspectedPage[];
    before(async () => {
      pages = await inspectPdf(await renderPdf(registerReport(300)));
    });

    it("spans pages with the header on each of them, once", () => {
      expect(pages.length).to.be.greaterThan(4);
      pages.forEach((page, i) => {
        const headerCells = page.items.filter(
          (item) => item.str === "Фамилия, имя" || item.str === "Тема урока",
        );
        expect(headerCells, `page ${i + 1}`).to.have.length(2);
      });
    });

    it("loses and repeats no row at page breaks", () => {
      const seen = pages.flatMap((page) =>
        page.items.map((item) => /№(\d+)$/.exec(item.str)).flatMap((m) => (m ? [Number(m[1])] : [])),
      );
      expect(seen).to.deep.equal(Array.from({ length: 300 }, (_, i) => i + 1));
    });

    it("wraps long cell text inside the page, row growing, nothing cut", () => {
      expect(squash(pages[0].text)).to.include(squash(LONG_TEXT));
      const topicLines = new Set(
        pages[0].items
          .filter((item) => squash(LONG_TEXT).includes(squash(item.str)) && item.str.length > 10)
          .map((i) => i.y),
      );
      expect(topicLines.size).to.be.at.least(3);
      expectInsideBox(pages);
    });
  });

  it("continues a row taller than a page on the next page, keeping every word", async () => {
    const words = Array.from({ length: 1500 }, (_, i) => `слово${i}`);
    const report: Report = {
      kind: "tall-row",
      title: "Очень длинная запись",
      parameters: [],
      generatedAt: "2026-11-25T10:00:00+03:00",
      orientation: "portrait",
      sections: [
        {
          tables: [
            {
              columns: [
                { key: "n", title: "№", kind: "int" },
                { key: "text", title: "Текст", kind: "text" },
              ],
              rows: [
                { n: 1, text: words.join(" ") },
                { n: 2, text: "после" },
              ],
            },
          ],
        },
      ],
    };
    const pages = await inspectPdf(await renderPdf(report));
    expect(pages.length).to.be.at.least(2);
    const all = pages.flatMap((p) => p.items.map((i) => i.str)).join(" ");
    const found = all.split(/\s+/).filter((w) => w.startsWith("слово"));
    expect(found).to.deep.equal(words);
    expect(all).to.include("после");
    expectInsideBox(pages);
  });

  it("draws bar and line charts as vector graphics with titles, axes and legends", async () => {
    const base = classResultsReport();
    const chartOnly = (i: number): Report => ({ ...base, sections: [base.sections[i]] });
    const none = await inspectPdf(await renderPdf({ ...base, sections: [] }));
    const bar = await inspectPdf(await renderPdf(chartOnly(1)));
    const line = await inspectPdf(await renderPdf(chartOnly(2)));
    const paths = (pages: InspectedPage[]) => pages.reduce((a, p) => a + (p.ops.constructPath ?? 0), 0);
    // 4 categories × 2 series = 8 bars, plus grid, axes and legend swatches
    expect(paths(bar) - paths(none)).to.be.at.least(8 + 2 + 2);
    // 2 polylines + 8 point markers
    expect(paths(line) - paths(none)).to.be.at.least(2 + 8);
    const barText = bar.map((p) => p.text).join(" ");
    expect(barText).to.include("Качество и успеваемость по предметам");
    expect(barText).to.include("Иностранный язык (английский)");
    expect(barText).to.include("Успеваемость");
    const lineText = line.map((p) => p.text).join(" ");
    expect(lineText).to.include("Средний балл по месяцам");
    expect(lineText).to.include("Сентябрь");
    expect(lineText).to.include("4,2");
    expectInsideBox([...bar, ...line]);
  });

  it("keeps a crowded chart's labels whole and on the page", async () => {
    const days = Array.from({ length: 31 }, (_, i) => `${i + 1} октября`);
    const report: Report = {
      kind: "crowded",
      title: "Посещаемость",
      parameters: [],
      generatedAt: "2026-11-25T10:00:00+03:00",
      orientation: "portrait",
      sections: [
        {
          chart: {
            kind: "line",
            title: `Доля присутствующих на уроках по дням месяца, ${"очень подробный заголовок ".repeat(6)}`,
            categories: days,
            unit: "%",
            series: [
              { name: "5А", values: days.map((_, i) => 90 + (i % 7)) },
              { name: `6Б ${"длинное имя серии ".repeat(8)}`, values: days.map((_, i) => 85 + (i % 5)) },
            ],
          },
        },
      ],
    };
    const pages = await inspectPdf(await renderPdf(report));
    expectInsideBox(pages);
    const text = pages[0].text;
    expect(squash(text)).to.include(squash("очень подробный заголовок ".repeat(6)));
    // every category label printed is a whole category, and some are printed
    const shown = days.filter((d) => pages[0].items.some((i) => i.str === d));
    expect(shown.length).to.be.greaterThan(3);
    expect(shown[0]).to.equal("1 октября");
    const dayish = pages[0].items.filter((i) => /октя/.test(i.str));
    for (const item of dayish) expect(days).to.include(item.str);
  });

  it("composes other documents from PdfWriter pieces", async () => {
    const writer = new PdfWriter({
      orientation: "portrait",
      title: "Журнал 5А, 1 четверть",
      author: "Директор",
      subject: "Архив",
      keywords: ["архив", "журнал"],
    });
    writer
      .heading("Журнал 5А", 1)
      .paragraph("Первая страница")
      .keyValues([{ label: "Класс", value: "5А" }]);
    writer.table(
      [
        { key: "d", title: "Дата", kind: "date" },
        { key: "t", title: "Тема", kind: "text" },
      ],
      [{ d: "2026-09-01", t: "Введение" }],
      { caption: "Темы уроков" },
    );
    writer
      .pageBreak()
      .heading("Отметки", 2)
      .table([{ key: "a", title: "Ученик", kind: "text" }], []);
    const pdf = await writer.finish();
    const pages = await inspectPdf(pdf);
    expect(pages).to.have.length(2);
    expect(pages[0].text).to.include("01.09.2026");
    expect(pages[0].text).to.include("Темы уроков");
    expect(pages[1].text).to.include("Нет данных");
    expect(pages[1].text).to.include("Стр. 2 из 2");
    const raw = pdf.toString("latin1");
    expect(raw).to.include("<pdfaid:part>1</pdfaid:part>");
  });

  it("passes Apache PDFBox Preflight as PDF/A-1b", function () {
    const jars = [
      "pdfbox2.jar",
      "fontbox2.jar",
      "preflight.jar",
      "xmpbox.jar",
      "javax.activation.jar",
      "jaxb-api.jar",
      "commons-logging.jar",
    ].map((j) => `/usr/share/java/${j}`);
    requireTool(this, "preflight");
    const dir = mkdtempSync(join(tmpdir(), "reglament-pdfa-"));
    try {
      const file = join(dir, "report.pdf");
      writeFileSync(file, classPdf);
      const out = execFileSync(
        "java",
        ["-cp", jars.join(":"), "org.apache.pdfbox.preflight.Validator_A1b", file],
        {
          encoding: "utf8",
        },
      );
      expect(out).to.include("is a valid PDF/A-1b file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
