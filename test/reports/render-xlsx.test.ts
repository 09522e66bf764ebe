import { expect } from "chai";
import ExcelJS from "exceljs";
import type { Report } from "../../src/reports/model.ts";
import { renderXlsx } from "../../src/reports/render-xlsx.ts";
import { classResultsReport, registerReport } from "./sample-report.ts";

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** The row number whose first cell holds `text`. */
function rowOf(sheet: ExcelJS.Worksheet, text: string): number {
  for (let r = 1; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === text) return r;
  throw new Error(`no row starting with ${text}`);
}

describe("reports/render-xlsx", () => {
  it("writes a sheet per table with title rows, a bold frozen header and real numbers", async () => {
    const workbook = await readBack(await renderXlsx(classResultsReport()));
    const names = workbook.worksheets.map((s) => s.name);
    // summary (paragraphs, totals), the table, each chart's data; names cut to Excel's 31 characters
    expect(names).to.deep.equal([
      "Сводка",
      "Успеваемость и качество по пред",
      "Качество и успеваемость по пред",
      "Средний балл по месяцам",
    ]);
    const chart = workbook.getWorksheet("Средний балл по месяцам")!;
    const chartHeader = rowOf(chart, "Категория");
    expect(chart.getCell(chartHeader, 2).value).to.equal("Русский язык, балл");
    expect(chart.getCell(chartHeader + 1, 2).value).to.equal(3.9);
    const sheet = workbook.getWorksheet("Успеваемость и качество по пред")!;
    expect(sheet.getCell(1, 1).value).to.equal("Итоги успеваемости класса за учебный период");
    expect(sheet.getCell(1, 1).font?.bold).to.equal(true);

    const header = rowOf(sheet, "Предмет");
    expect(sheet.getCell(header, 1).font?.bold).to.equal(true);
    expect(sheet.views[0]).to.include({ state: "frozen", ySplit: header });

    const russian = header + 1;
    expect(sheet.getCell(russian, 1).value).to.equal("Русский язык");
    // N = 10, n5 = 3 as ints; успеваемость 90 % stored as the fraction 0.9 with a % format
    expect(sheet.getCell(russian, 2).value).to.equal(10);
    expect(typeof sheet.getCell(russian, 3).value).to.equal("number");
    expect(sheet.getCell(russian, 8).value).to.be.closeTo(0.9, 1e-12);
    expect(sheet.getCell(russian, 8).numFmt).to.equal("0.0%");
    expect(sheet.getCell(russian, 11).value).to.be.closeTo(3.9, 1e-12);
    expect(sheet.getCell(russian, 11).numFmt).to.equal("#,##0.00");

    const totals = rowOf(sheet, "Итого по классу");
    expect(totals).to.equal(russian + 4);
    expect(sheet.getCell(totals, 1).font?.bold).to.equal(true);
    expect(sheet.getCell(totals, 2).value).to.equal(38);
    expect(sheet.getCell(totals, 11).value).to.equal(null);
  });

  it("sizes columns from their content", async () => {
    const workbook = await readBack(await renderXlsx(registerReport(20)));
    const sheet = workbook.worksheets.find((s) => s.name === "Ведомость")!;
    const width = (c: number) => sheet.getColumn(c).width ?? 0;
    // № (short numbers) narrower than names, names narrower than the long topic, capped at 60
    expect(width(1)).to.be.below(width(2));
    expect(width(2)).to.be.below(width(4));
    expect(width(4)).to.equal(60);
  });

  it("stores dates as dates and keeps text in numeric columns as text", async () => {
    const report: Report = {
      kind: "mixed",
      title: "Проверка",
      parameters: [],
      generatedAt: "2026-11-25T10:00:00+03:00",
      orientation: "portrait",
      sections: [
        {
          tables: [
            {
              columns: [
                { key: "d", title: "Дата", kind: "date" },
                { key: "m", title: "Балл", kind: "decimal", digits: 1 },
              ],
              rows: [
                { d: "2026-09-01", m: "н/а" },
                { d: null, m: 4.25 },
              ],
            },
          ],
        },
      ],
    };
    const sheet = (await readBack(await renderXlsx(report))).worksheets[0];
    const header = rowOf(sheet, "Дата");
    const date = sheet.getCell(header + 1, 1).value;
    expect(date).to.be.instanceOf(Date);
    expect((date as Date).toISOString().slice(0, 10)).to.equal("2026-09-01");
    expect(sheet.getCell(header + 1, 2).value).to.equal("н/а");
    expect(sheet.getCell(header + 2, 2).value).to.equal(4.25);
    expect(sheet.getCell(header + 2, 2).numFmt).to.equal("#,##0.0");
  });

  it("writes a summary sheet when the report has no tables", async () => {
    const report: Report = {
      kind: "note",
      title: "Справка",
      parameters: [{ label: "Месяц", value: "Ноябрь" }],
      generatedAt: "2026-11-25T10:00:00+03:00",
      orientation: "portrait",
      sections: [{ heading: "Выводы", paragraphs: ["Журналы заполняются своевременно."] }],
    };
    const workbook = await readBack(await renderXlsx(report));
    expect(workbook.worksheets).to.have.length(1);
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell(2, 1).value).to.equal("Месяц: Ноябрь");
    expect(rowOf(sheet, "Журналы заполняются своевременно.")).to.be.greaterThan(2);
  });
});
