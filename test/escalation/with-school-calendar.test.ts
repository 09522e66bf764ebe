// The real calendar module plugs into quiet hours and the ladder as plain functions.
import { expect } from "chai";
import { SchoolCalendar } from "../../src/calendar/school-calendar.ts";
import { escalationLevel, LEVEL } from "../../src/escalation/ladder.ts";
import { nextDeliveryTime } from "../../src/escalation/quiet-hours.ts";

describe("escalation with the SchoolCalendar", () => {
  const calendar = new SchoolCalendar({ timezone: "Asia/Yekaterinburg", workweek: 5 });

  it("waits over the 4 November holiday in the school's zone", () => {
    const tuesdayEvening = new Date("2026-11-03T16:00:00Z"); // 21:00 in Yekaterinburg (UTC+5)
    const at = nextDeliveryTime(tuesdayEvening, {
      timezone: calendar.timezone,
      from: "08:00",
      to: "20:00",
      isWorkingDay: (date) => calendar.isWorkingDay(date),
    });
    expect(at.toISOString()).to.equal("2026-11-05T03:00:00.000Z");
  });

  it("counts ladder steps in working days of the production calendar", () => {
    const between = (a: string, b: string) => calendar.workingDaysBetween(a, b);
    expect(escalationLevel("2026-11-02", "2026-11-04", [2, 3, 5], between)).to.equal(LEVEL.teacher);
    expect(escalationLevel("2026-11-02", "2026-11-05", [2, 3, 5], between)).to.equal(LEVEL.classTeacher);
  });
});
