// Period-mark column headers as journals and ведомости write them.
import { expect } from "chai";
import { periodHeader } from "../../../src/connectors/sheet/period-columns.ts";

describe("period-mark column headers", () => {
  it("names the period of quarter, trimester, semester, year and final columns", () => {
    const cases: [string, ReturnType<typeof periodHeader>][] = [
      ["I четв", { kind: "quarter", number: 1 }],
      ["2 четверть", { kind: "quarter", number: 2 }],
      ["III четв.", { kind: "quarter", number: 3 }],
      ["1-я четверть", { kind: "quarter", number: 1 }],
      ["Четверть 4", { kind: "quarter", number: 4 }],
      ["2 триместр", { kind: "trimester", number: 2 }],
      ["II полуг.", { kind: "semester", number: 2 }],
      ["1 пол.", { kind: "semester", number: 1 }],
      ["Год", { kind: "year", number: 1 }],
      ["Годовая", { kind: "year", number: 1 }],
      ["Итоговая", { kind: "final" }],
      ["итог", { kind: "final" }],
    ];
    for (const [text, want] of cases) expect(periodHeader(text), text).to.deep.equal(want);
  });

  it("names no period for dates, day numbers, averages and absences", () => {
    for (const text of ["17.09", "3 окт", "12", "1 сен", "Ср. балл", "Пропущено уроков", "Годы", "5 четв"])
      expect(periodHeader(text), text).to.equal(null);
  });
});
