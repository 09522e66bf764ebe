import { expect } from "chai";
import { parseCell } from "../../../src/connectors/sheet/cell-values.ts";

describe("journal cell values", () => {
  it("reads every mark and code", () => {
    const values = ["1", "2", "3", "4", "5", "н/а", "Н/А", "осв", "осв.", "зч", "зач", "нз"].map((t) =>
      parseCell(t),
    );
    expect(values.map((v) => ("entries" in v ? v.entries : v))).to.deep.equal(
      ["1", "2", "3", "4", "5", "н/а", "н/а", "осв", "осв", "зч", "зч", "нз"].map((value) => [
        { kind: "mark", value },
      ]),
    );
    expect(parseCell("Н")).to.deep.equal({ entries: [{ kind: "attendance", status: "absent" }] });
    expect(parseCell("б")).to.deep.equal({ entries: [{ kind: "attendance", status: "ill" }] });
  });

  it("reads two entries in one cell, and an empty cell as none", () => {
    expect(parseCell("5 4")).to.deep.equal({
      entries: [
        { kind: "mark", value: "5" },
        { kind: "mark", value: "4" },
      ],
    });
    expect(parseCell("н, 3")).to.deep.equal({
      entries: [
        { kind: "attendance", status: "absent" },
        { kind: "mark", value: "3" },
      ],
    });
    expect(parseCell("  ")).to.deep.equal({ entries: [] });
  });

  it("names the token that is neither a mark nor a code", () => {
    expect(parseCell("6")).to.deep.equal({ bad: "6" });
    expect(parseCell("5 x")).to.deep.equal({ bad: "x" });
    expect(parseCell("4-")).to.deep.equal({ bad: "4-" });
  });
});
