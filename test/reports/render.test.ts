import { expect } from "chai";
import { parseReport, ReportModelError, reportSchema } from "../../src/reports/model.ts";
import { contentType, fileExtension, renderReport } from "../../src/reports/render.ts";
import { classResultsReport } from "./sample-report.ts";

describe("reports/render", () => {
  it("renders every format from the same model", async () => {
    const report = classResultsReport();
    const pdf = await renderReport(report, "pdf");
    const xlsx = await renderReport(report, "xlsx");
    const csv = await renderReport(report, "csv");
    const json = await renderReport(report, "json");
    expect(pdf.subarray(0, 5).toString()).to.equal("%PDF-");
    expect(xlsx.subarray(0, 2).toString()).to.equal("PK");
    expect(csv.toString("utf8")).to.include("Русский язык");
    const parsed = JSON.parse(json.toString("utf8"));
    expect(parsed).to.include({ format: "reglament-report", version: 1 });
    expect(reportSchema.parse(parsed.report)).to.deep.equal(report);
  });

  it("names extensions and content types", () => {
    expect(["pdf", "xlsx", "csv", "json"].map((f) => fileExtension(f as "pdf"))).to.deep.equal([
      "pdf",
      "xlsx",
      "csv",
      "json",
    ]);
    expect(contentType("csv")).to.equal("text/csv; charset=utf-8");
    expect(() => fileExtension("doc" as "pdf")).to.throw();
  });

  it("refuses a bad model with every problem named", async () => {
    const report = classResultsReport();
    const bad = {
      ...report,
      generatedAt: "2026-11-02 14:30",
      sections: [
        {
          chart: { kind: "bar", title: "Т", categories: ["а", "б"], series: [{ name: "x", values: [1] }] },
          tables: [
            {
              columns: [
                { key: "a", title: "А", kind: "text" },
                { key: "a", title: "Б", kind: "int" },
              ],
              rows: [],
            },
            { columns: [{ key: "s", title: "Сумма", kind: "money" }], rows: [] },
          ],
        },
      ],
    };
    let error: unknown;
    try {
      await renderReport(bad, "pdf");
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ReportModelError);
    const message = (error as Error).message;
    expect(message).to.include("generatedAt");
    expect(message).to.include('series "x" has 1 values for 2 categories');
    expect(message).to.include('duplicate column key "a"');
    expect(message).to.include("sections[0].tables[1].columns[0].kind");
    expect(() => parseReport(report)).not.to.throw();
  });
});
