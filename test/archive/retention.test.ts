import { expect } from "chai";
import { ArchiveConfigError } from "../../src/archive/errors.ts";
import { dueForDisposal, retentionUntil } from "../../src/archive/retention.ts";

describe("archive/retention: 5 years for journal copies, 25 for summary sheets", () => {
  it("counts from 1 January of the year after the document was closed", () => {
    expect(retentionUntil("journal", "2026-05-31")).to.equal("2031-12-31");
    expect(retentionUntil("journal", "2026-12-31")).to.equal("2031-12-31");
    expect(retentionUntil("journal", "2027-01-01")).to.equal("2032-12-31");
    expect(retentionUntil("summary", "2026-06-30")).to.equal("2051-12-31");
  });

  it("takes the numbers from the school's policy (000 §6.5: 5 and 2 years)", () => {
    expect(retentionUntil("summary", "2026-06-30", { summaryYears: 2 })).to.equal("2028-12-31");
    expect(retentionUntil("journal", "2026-06-30", { journalYears: 10 })).to.equal("2036-12-31");
    expect(() => retentionUntil("journal", "2026-06-30", { journalYears: 0 })).to.throw(ArchiveConfigError);
    expect(() => retentionUntil("journal", "30.06.2026")).to.throw(ArchiveConfigError);
  });

  it("lists only entries whose retention ended before today", () => {
    const entries = [
      { file: "a.pdf", retentionUntil: "2031-12-31" },
      { file: "b.pdf", retentionUntil: "2030-12-31" },
      { file: "c.pdf", retentionUntil: "2051-12-31" },
    ];
    expect(dueForDisposal(entries, "2031-12-31").map((e) => e.file)).to.deep.equal(["b.pdf"]);
    expect(dueForDisposal(entries, "2032-01-01").map((e) => e.file)).to.deep.equal(["a.pdf", "b.pdf"]);
    expect(dueForDisposal(entries, "2026-01-01")).to.deep.equal([]);
    expect(() => dueForDisposal([{ retentionUntil: "someday" }], "2032-01-01")).to.throw(ArchiveConfigError);
  });
});
