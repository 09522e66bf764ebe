import { expect } from "chai";
import { monthOf, parseRussianDate, schoolYearOf } from "../../../src/connectors/sheet/russian-dates.ts";

describe("Russian journal dates", () => {
  it("reads full, short and day-month dates, the year from the school year", () => {
    expect(parseRussianDate("17.09.2025", 2025)).to.equal("2025-09-17");
    expect(parseRussianDate("17.09.25", 2025)).to.equal("2025-09-17");
    expect(parseRussianDate("17.09", 2025)).to.equal("2025-09-17");
    expect(parseRussianDate("14.01", 2025)).to.equal("2026-01-14");
    expect(parseRussianDate("17 сен", 2025)).to.equal("2025-09-17");
    expect(parseRussianDate("3 марта", 2025)).to.equal("2026-03-03");
    expect(parseRussianDate("5 мая 2026 г.", 2025)).to.equal("2026-05-05");
    expect(parseRussianDate("17.сен", 2025)).to.equal("2025-09-17");
  });

  it("refuses what is not a real date", () => {
    expect(parseRussianDate("31.09", 2025)).to.equal(null);
    expect(parseRussianDate("30 фев", 2025)).to.equal(null);
    expect(parseRussianDate("Ср. балл", 2025)).to.equal(null);
    expect(parseRussianDate("17 абв", 2025)).to.equal(null);
  });

  it("knows month names and the school year of an instant", () => {
    expect(["Сентябрь", "окт.", "НОЯБРЯ", "Май", "июня", "июль"].map(monthOf)).to.deep.equal([
      9, 10, 11, 5, 6, 7,
    ]);
    expect(monthOf("Итог")).to.equal(null);
    expect(schoolYearOf(new Date("2026-03-01T00:00:00Z"))).to.equal(2025);
    expect(schoolYearOf(new Date("2025-09-01T00:00:00Z"))).to.equal(2025);
  });
});
