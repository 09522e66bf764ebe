import { expect } from "chai";
import {
  addDays,
  assertCalendarDate,
  InvalidCalendarDateError,
  isoWeekday,
  lastDayOfMonth,
} from "../../src/calendar/index.ts";

describe("calendar dates", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-12-31", 1)).to.equal("2027-01-01");
    expect(addDays("2024-02-28", 1)).to.equal("2024-02-29");
    expect(addDays("2025-02-28", 1)).to.equal("2025-03-01");
    expect(addDays("2026-03-01", -1)).to.equal("2026-02-28");
    // The last Sunday of March: DST elsewhere must not matter.
    expect(addDays("2026-03-28", 2)).to.equal("2026-03-30");
  });

  it("knows the ISO weekday", () => {
    expect(isoWeekday("2026-03-09")).to.equal(1);
    expect(isoWeekday("2026-03-14")).to.equal(6);
    expect(isoWeekday("2026-03-15")).to.equal(7);
  });

  it("knows the last day of a month", () => {
    expect(lastDayOfMonth(2024, 2)).to.equal("2024-02-29");
    expect(lastDayOfMonth(2026, 2)).to.equal("2026-02-28");
    expect(lastDayOfMonth(2026, 12)).to.equal("2026-12-31");
    expect(() => lastDayOfMonth(2026, 13)).to.throw(RangeError);
  });

  it("refuses malformed and unreal dates", () => {
    for (const bad of ["2026-02-30", "2026-3-1", "26-03-01", "2026-03-01T00:00", ""]) {
      expect(() => assertCalendarDate(bad), bad).to.throw(InvalidCalendarDateError);
    }
    expect(() => assertCalendarDate("2026-03-01")).not.to.throw();
  });
});
