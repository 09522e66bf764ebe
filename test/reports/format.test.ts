import { expect } from "chai";
import { formatCell, formatDate, formatInstant, formatNumber } from "../../src/reports/format.ts";

describe("reports/format", () => {
  it("writes numbers the Russian way", () => {
    expect(formatNumber(4.256, 2)).to.equal("4,26");
    expect(formatNumber(12345.5, 1, true)).to.equal("12\u00a0345,5");
    expect(formatNumber(-0.001, 1)).to.equal("0,0");
    expect(formatNumber(-2.5, 1)).to.equal("-2,5");
  });

  it("writes dates and instants as ДД.ММ.ГГГГ [ЧЧ:ММ] in the instant's own offset", () => {
    expect(formatDate("2026-09-01")).to.equal("01.09.2026");
    expect(formatInstant("2026-11-25T23:30:00+07:00")).to.equal("25.11.2026 23:30");
  });

  it("formats cells by column kind", () => {
    expect(formatCell(87.54, { key: "q", title: "К", kind: "percent" }, { percentSign: true })).to.equal(
      "87,5\u00a0%",
    );
    expect(formatCell(87.54, { key: "q", title: "К", kind: "percent", digits: 0 })).to.equal("88");
    expect(formatCell(null, { key: "q", title: "К", kind: "int" })).to.equal("");
    expect(formatCell("н/а", { key: "q", title: "К", kind: "decimal" })).to.equal("н/а");
  });
});
