import { expect } from "chai";
import { LocalClock } from "../../src/demo/local-time.ts";

describe("demo/local-time", () => {
  it("writes school-local times with the zone's fixed offset", () => {
    const novosibirsk = new LocalClock("Asia/Novosibirsk", "2025-09-01", "2026-05-31");
    expect(novosibirsk.offset).to.equal("+07:00");
    const day = LocalClock.dayOf("2025-11-18");
    const local = LocalClock.at(day, 15 * 60);
    expect(novosibirsk.iso(local)).to.equal("2025-11-18T15:00:00+07:00");
    expect(Date.parse(novosibirsk.iso(local))).to.equal(Date.parse("2025-11-18T08:00:00Z"));
    expect(novosibirsk.localOf(new Date("2025-11-18T08:00:00Z"))).to.equal(local);
    expect(novosibirsk.isoOf(new Date("2025-11-18T16:59:59.999Z"))).to.equal("2025-11-18T23:59:59.999+07:00");
  });

  it("refuses a zone whose offset changes inside the span (DST)", () => {
    expect(() => new LocalClock("Europe/Berlin", "2026-01-10", "2026-07-10")).to.throw(
      /changes its UTC offset/,
    );
  });

  it("counts days and weekdays without a zone", () => {
    const d = LocalClock.dayOf("2025-09-01");
    expect(LocalClock.dateOf(d)).to.equal("2025-09-01");
    expect(LocalClock.weekday(d)).to.equal(1);
    expect(LocalClock.weekday(d + 6)).to.equal(7);
    expect(LocalClock.dateOf(d + 122)).to.equal("2026-01-01");
  });
});
