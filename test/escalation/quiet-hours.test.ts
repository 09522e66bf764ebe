import { expect } from "chai";
import { type DeliveryWindow, nextDeliveryTime } from "../../src/escalation/quiet-hours.ts";
import { workingDays } from "./support/calendar.ts";

// 4 November is a public holiday (Day of National Unity); 2026-11-04 is a Wednesday.
const HOLIDAYS_2026 = ["2026-11-04", "2026-12-31"];
const HOLIDAYS_2027 = ["2027-01-01", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"];

function window(overrides: Partial<DeliveryWindow> = {}): DeliveryWindow {
  return {
    timezone: "Europe/Moscow",
    from: "08:00",
    to: "20:00",
    isWorkingDay: workingDays(5, [...HOLIDAYS_2026, ...HOLIDAYS_2027]),
    ...overrides,
  };
}

const next = (iso: string, w: DeliveryWindow = window()) => nextDeliveryTime(new Date(iso), w).toISOString();

describe("escalation/quiet-hours", () => {
  it("inside the window of a working day the answer is now itself", () => {
    const now = new Date("2026-11-25T09:00:00Z"); // Wednesday 12:00 in Moscow
    expect(nextDeliveryTime(now, window())).to.equal(now);
    expect(next("2026-11-25T05:00:00Z")).to.equal("2026-11-25T05:00:00.000Z"); // 08:00 sharp is open
    expect(next("2026-11-25T16:59:59.999Z")).to.equal("2026-11-25T16:59:59.999Z"); // 19:59:59.999
  });

  it("early morning waits for 08:00 the same day", () => {
    expect(next("2026-11-25T04:59:59Z")).to.equal("2026-11-25T05:00:00.000Z");
    expect(next("2026-11-24T21:00:00Z")).to.equal("2026-11-25T05:00:00.000Z"); // 00:00 local
  });

  it("across a night: from 20:00 sharp and later, the next morning", () => {
    expect(next("2026-11-25T17:00:00Z")).to.equal("2026-11-26T05:00:00.000Z"); // 20:00 local
    expect(next("2026-11-25T20:30:00Z")).to.equal("2026-11-26T05:00:00.000Z"); // 23:30 local
  });

  it("counts the window in the school's zone, not in UTC", () => {
    const vladivostok = window({ timezone: "Asia/Vladivostok" }); // UTC+10
    // 2026-11-25 22:30 UTC is Thursday 08:30 in Vladivostok: open.
    expect(next("2026-11-25T22:30:00Z", vladivostok)).to.equal("2026-11-25T22:30:00.000Z");
    // 2026-11-25 10:30 UTC is Wednesday 20:30 there: Thursday 08:00 local = 22:00 UTC Wednesday.
    expect(next("2026-11-25T10:30:00Z", vladivostok)).to.equal("2026-11-25T22:00:00.000Z");
  });

  it("a Friday evening on a five-day week waits for Monday; on a six-day week for Saturday", () => {
    const friday = "2026-11-27T18:00:00Z"; // Friday 21:00 in Moscow
    expect(next(friday)).to.equal("2026-11-30T05:00:00.000Z");
    expect(next(friday, window({ isWorkingDay: workingDays(6, HOLIDAYS_2026) }))).to.equal(
      "2026-11-28T05:00:00.000Z",
    );
    expect(next("2026-11-28T09:00:00Z")).to.equal("2026-11-30T05:00:00.000Z"); // Saturday noon
  });

  it("skips a holiday, and the whole New Year break", () => {
    expect(next("2026-11-03T18:00:00Z")).to.equal("2026-11-05T05:00:00.000Z"); // Tue 21:00 → Thu
    expect(next("2026-11-04T09:00:00Z")).to.equal("2026-11-05T05:00:00.000Z"); // the holiday's noon
    expect(next("2026-12-30T18:00:00Z")).to.equal("2027-01-11T05:00:00.000Z"); // Wed 30 Dec evening → 11 Jan
  });

  it("honours a configured window", () => {
    const w = window({ from: "09:30", to: "18:00" });
    expect(next("2026-11-25T06:00:00Z", w)).to.equal("2026-11-25T06:30:00.000Z");
    expect(next("2026-11-25T15:00:00Z", w)).to.equal("2026-11-26T06:30:00.000Z");
  });

  it("refuses a window that ends before it starts, an unknown zone, and a calendar with no working day", () => {
    expect(() => next("2026-11-25T09:00:00Z", window({ from: "20:00", to: "08:00" }))).to.throw(
      /before its end/,
    );
    expect(() => next("2026-11-25T09:00:00Z", window({ timezone: "Mars/Olympus" }))).to.throw(/time zone/);
    expect(() => next("2026-11-25T09:00:00Z", window({ isWorkingDay: () => false }))).to.throw(RangeError);
  });
});
