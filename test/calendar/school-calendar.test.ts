import { expect } from "chai";
import {
  ConflictingOverrideError,
  InvalidCalendarDateError,
  InvalidClockTimeError,
  InvalidTimezoneError,
  MissingProductionCalendarError,
  SchoolCalendar,
  type SchoolCalendarOptions,
} from "../../src/calendar/index.ts";

const school = (options: Partial<SchoolCalendarOptions> = {}) =>
  new SchoolCalendar({ timezone: "Europe/Moscow", workweek: 5, ...options });

describe("SchoolCalendar: working days", () => {
  const five = school();
  const six = school({ workweek: 6 });

  it("2026 holidays and transferred days off are off: 9 Jan, 23 Feb, 9 Mar, 31 Dec", () => {
    for (const d of ["2026-01-09", "2026-02-23", "2026-03-09", "2026-12-31", "2026-05-11", "2026-11-04"]) {
      expect(five.isWorkingDay(d), `${d} (5-day)`).to.equal(false);
      expect(six.isWorkingDay(d), `${d} (6-day)`).to.equal(false);
    }
    for (const d of ["2026-01-12", "2026-02-24", "2026-03-10", "2026-12-30"]) {
      expect(five.isWorkingDay(d), d).to.equal(true);
    }
  });

  it("a decree's working Saturday works for both weeks (2024-04-27, 2024-12-28, 2025-11-01)", () => {
    for (const d of ["2024-04-27", "2024-12-28", "2025-11-01"]) {
      expect(five.isWorkingDay(d), d).to.equal(true);
      expect(six.isWorkingDay(d), d).to.equal(true);
    }
    expect(five.isShortenedDay("2025-11-01")).to.equal(true);
    expect(five.isShortenedDay("2024-12-28")).to.equal(false);
  });

  it("a six-day week works on ordinary Saturdays, never on Sundays; a five-day week on neither", () => {
    expect(six.isWorkingDay("2026-03-14")).to.equal(true);
    expect(six.isWorkingDay("2026-03-15")).to.equal(false);
    expect(five.isWorkingDay("2026-03-14")).to.equal(false);
    expect(five.isWorkingDay("2026-03-15")).to.equal(false);
    // A holiday on a Saturday is off for the six-day week too.
    expect(six.isWorkingDay("2026-05-09")).to.equal(false);
    expect(six.isWorkingDay("2026-01-03")).to.equal(false);
  });

  it("school overrides win: vacation on a weekday is no school day, workday on a Sunday is on, holiday is off", () => {
    const cal = school({
      overrides: [
        { date: "2026-03-25", kind: "vacation" },
        { date: "2026-03-22", kind: "workday" },
        { date: "2026-04-15", kind: "holiday" },
        { date: "2026-03-09", kind: "workday" },
      ],
    });
    // Vacation is working time for teachers: a working day, but no lessons.
    expect(cal.isWorkingDay("2026-03-25")).to.equal(true);
    expect(cal.isSchoolDay("2026-03-25")).to.equal(false);
    expect(cal.isVacation("2026-03-25")).to.equal(true);
    expect(cal.isNationalWorkingDay("2026-03-25")).to.equal(true);
    expect(cal.isWorkingDay("2026-03-22")).to.equal(true);
    expect(cal.isWorkingDay("2026-04-15")).to.equal(false);
    expect(cal.isVacation("2026-04-15")).to.equal(false);
    expect(cal.isWorkingDay("2026-03-09")).to.equal(true);
    expect(cal.overrideOf("2026-03-26")).to.equal(undefined);
    expect(cal.isWorkingDay("2026-03-26")).to.equal(true);
  });

  it("refuses conflicting and malformed overrides, accepts a repeated identical one", () => {
    expect(() =>
      school({
        overrides: [
          { date: "2026-03-25", kind: "vacation" },
          { date: "2026-03-25", kind: "workday" },
        ],
      }),
    ).to.throw(ConflictingOverrideError, /2026-03-25/);
    expect(() =>
      school({
        overrides: [
          { date: "2026-03-25", kind: "vacation" },
          { date: "2026-03-25", kind: "vacation" },
        ],
      }),
    ).not.to.throw();
    expect(() => school({ overrides: [{ date: "2026-02-30", kind: "holiday" }] })).to.throw();
  });

  it("a year with no production calendar is an error, not a guess", () => {
    expect(() => five.isWorkingDay("2031-03-03")).to.throw(
      MissingProductionCalendarError,
      "no production calendar for 2031; add config/calendars/ru-2031.json",
    );
    // Even where the school's own override would answer.
    const cal = school({ overrides: [{ date: "2031-03-03", kind: "workday" }] });
    expect(() => cal.isWorkingDay("2031-03-03")).to.throw(MissingProductionCalendarError);
    // Counting past the last shipped year.
    expect(() => five.addWorkingDays("2027-12-29", 5)).to.throw(MissingProductionCalendarError, /2028/);
  });

  it("refuses a malformed date", () => {
    expect(() => five.isWorkingDay("2026-02-30")).to.throw(InvalidCalendarDateError);
    expect(() => five.isWorkingDay("09.03.2026")).to.throw(InvalidCalendarDateError);
  });
});

describe("SchoolCalendar: counting working days", () => {
  const five = school();
  const six = school({ workweek: 6 });

  // Spring vacation 28.03–05.04.2026 (Mon 30.03 – Fri 03.04 are national working days).
  const spring = Array.from({ length: 9 }, (_, i) => ({
    date: `2026-${i < 4 ? `03-${28 + i}` : `04-0${i - 3}`}`,
    kind: "vacation" as const,
  }));

  it("pupils' holidays are teachers' working time: counts run through them by default", () => {
    const cal = school({ overrides: spring });
    expect(cal.vacationIsWorkingTime).to.equal(true);
    expect(cal.isWorkingDay("2026-03-30")).to.equal(true);
    expect(cal.isSchoolDay("2026-03-30")).to.equal(false);
    expect(cal.addWorkingDays("2026-03-26", 5)).to.equal("2026-04-02");
    expect(cal.workingDaysBetween("2026-03-27", "2026-04-06")).to.equal(6);
    expect(cal.previousWorkingDay("2026-04-06")).to.equal("2026-04-03");
    // School days still skip the vacation.
    expect(cal.schoolDaysBetween("2026-03-27", "2026-04-06")).to.deep.equal(["2026-03-27", "2026-04-06"]);
  });

  it("a school whose act makes vacation days off counts without them", () => {
    const cal = school({ overrides: spring, vacationIsWorkingTime: false });
    expect(cal.isWorkingDay("2026-03-30")).to.equal(false);
    expect(cal.addWorkingDays("2026-03-26", 5)).to.equal("2026-04-09");
    expect(cal.workingDaysBetween("2026-03-27", "2026-04-06")).to.equal(1);
    expect(cal.previousWorkingDay("2026-04-06")).to.equal("2026-03-27");
  });

  it("addWorkingDays across the May holidays", () => {
    expect(five.addWorkingDays("2026-04-30", 1)).to.equal("2026-05-04");
    expect(five.addWorkingDays("2026-05-06", 5)).to.equal("2026-05-14");
    // Saturday 9 May is Victory Day: off for the six-day week as well.
    expect(six.addWorkingDays("2026-05-06", 5)).to.equal("2026-05-14");
    expect(six.addWorkingDays("2026-05-13", 3)).to.equal("2026-05-16");
    expect(five.addWorkingDays("2026-05-13", 3)).to.equal("2026-05-18");
  });

  it("addWorkingDays across New Year", () => {
    expect(five.addWorkingDays("2025-12-30", 1)).to.equal("2026-01-12");
    expect(five.addWorkingDays("2025-12-30", 2)).to.equal("2026-01-13");
    expect(five.addWorkingDays("2026-12-28", 5)).to.equal("2027-01-13");
  });

  it("addWorkingDays(date, 0) is the date itself; a negative or fractional n is refused", () => {
    expect(five.addWorkingDays("2026-01-09", 0)).to.equal("2026-01-09");
    expect(() => five.addWorkingDays("2026-01-09", -1)).to.throw(RangeError);
    expect(() => five.addWorkingDays("2026-01-09", 1.5)).to.throw(RangeError);
  });

  it("next and previous working day skip weekends and holidays", () => {
    expect(five.nextWorkingDay("2026-03-06")).to.equal("2026-03-10");
    expect(six.nextWorkingDay("2026-03-06")).to.equal("2026-03-07");
    expect(five.previousWorkingDay("2026-01-12")).to.equal("2025-12-30");
    expect(five.previousWorkingDay("2026-03-10")).to.equal("2026-03-06");
    expect(five.nextWorkingDay("2024-04-26")).to.equal("2024-04-27");
  });

  it("workingDaysBetween counts (a, b]", () => {
    expect(five.workingDaysBetween("2025-12-30", "2026-01-12")).to.equal(1);
    expect(five.workingDaysBetween("2026-03-02", "2026-03-02")).to.equal(0);
    expect(five.workingDaysBetween("2026-03-02", "2026-03-13")).to.equal(8);
    expect(five.workingDaysBetween("2026-03-13", "2026-03-02")).to.equal(-8);
    expect(six.workingDaysBetween("2026-03-02", "2026-03-14")).to.equal(10);
    // Consistent with addWorkingDays.
    expect(five.workingDaysBetween("2026-04-30", five.addWorkingDays("2026-04-30", 7))).to.equal(7);
  });

  it("schoolDaysBetween lists the working dates of [from, to]", () => {
    expect(five.schoolDaysBetween("2026-03-02", "2026-03-15")).to.deep.equal([
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-10",
      "2026-03-11",
      "2026-03-12",
      "2026-03-13",
    ]);
    expect(six.schoolDaysBetween("2026-03-02", "2026-03-15")).to.have.length(11);
    expect(six.schoolDaysBetween("2026-03-02", "2026-03-15")).to.include("2026-03-14");
    expect(five.schoolDaysBetween("2026-03-15", "2026-03-02")).to.deep.equal([]);
  });

  it("lastSchoolDayOfMonth steps back over a holiday at the month's end", () => {
    expect(five.lastSchoolDayOfMonth(2026, 12)).to.equal("2026-12-30");
    expect(five.lastSchoolDayOfMonth(2025, 12)).to.equal("2025-12-30");
    // December 2024: 30–31 off, 29 Sunday, 28 a working Saturday.
    expect(five.lastSchoolDayOfMonth(2024, 12)).to.equal("2024-12-28");
    expect(five.lastSchoolDayOfMonth(2026, 5)).to.equal("2026-05-29");
    expect(six.lastSchoolDayOfMonth(2026, 5)).to.equal("2026-05-30");
    const withVacation = school({ overrides: [{ date: "2026-03-31", kind: "vacation" }] });
    expect(withVacation.lastSchoolDayOfMonth(2026, 3)).to.equal("2026-03-30");
  });

  it("lastSchoolDayOfMonth is null when the whole month is vacation", () => {
    const overrides = Array.from({ length: 31 }, (_, i) => ({
      date: `2026-07-${String(i + 1).padStart(2, "0")}`,
      kind: "vacation" as const,
    }));
    expect(school({ overrides }).lastSchoolDayOfMonth(2026, 7)).to.equal(null);
    expect(() => school().lastSchoolDayOfMonth(2026, 0)).to.throw(RangeError);
  });
});

describe("SchoolCalendar: time zones", () => {
  const vladivostok = school({ timezone: "Asia/Vladivostok" });
  const kaliningrad = school({ timezone: "Europe/Kaliningrad" });
  const moscow = school();

  it("at() gives the UTC instant of a school-local clock time", () => {
    expect(vladivostok.at("2026-03-10", "15:00").toISOString()).to.equal("2026-03-10T05:00:00.000Z");
    expect(kaliningrad.at("2026-03-10", "15:00").toISOString()).to.equal("2026-03-10T13:00:00.000Z");
    expect(moscow.at("2026-03-10", "15:00").toISOString()).to.equal("2026-03-10T12:00:00.000Z");
    expect(vladivostok.at("2026-03-10", "00:00").toISOString()).to.equal("2026-03-09T14:00:00.000Z");
  });

  it("endOfDay() is 23:59:59.999 local", () => {
    expect(moscow.endOfDay("2026-03-10").toISOString()).to.equal("2026-03-10T20:59:59.999Z");
    expect(vladivostok.endOfDay("2026-03-10").toISOString()).to.equal("2026-03-10T13:59:59.999Z");
    expect(moscow.startOfDay("2026-03-10").toISOString()).to.equal("2026-03-09T21:00:00.000Z");
  });

  it("dateOf() gives the school-local date near midnight", () => {
    const instant = new Date("2026-03-09T14:30:00Z");
    expect(vladivostok.dateOf(instant)).to.equal("2026-03-10");
    expect(kaliningrad.dateOf(instant)).to.equal("2026-03-09");
    expect(moscow.dateOf("2026-03-10T00:30:00+10:00")).to.equal("2026-03-09");
    expect(moscow.dateOf(moscow.endOfDay("2026-03-10"))).to.equal("2026-03-10");
    expect(moscow.dateOf(new Date(moscow.endOfDay("2026-03-10").getTime() + 1))).to.equal("2026-03-11");
    expect(moscow.today(new Date("2026-12-31T21:00:00Z"))).to.equal("2027-01-01");
    expect(() => moscow.dateOf("not a time")).to.throw(InvalidCalendarDateError);
  });

  it("Russian zones keep one offset all year (no DST), unlike a European one", () => {
    const offsetHours = (cal: SchoolCalendar, date: string) =>
      (Date.parse(`${date}T15:00:00Z`) - cal.at(date, "15:00").getTime()) / 3_600_000;
    for (const [cal, hours] of [
      [moscow, 3],
      [vladivostok, 10],
      [kaliningrad, 2],
    ] as const) {
      expect(offsetHours(cal, "2026-01-15")).to.equal(hours);
      expect(offsetHours(cal, "2026-07-15")).to.equal(hours);
    }
    const berlin = school({ timezone: "Europe/Berlin" });
    expect(offsetHours(berlin, "2026-07-15") - offsetHours(berlin, "2026-01-15")).to.equal(1);
  });

  it("refuses an unknown zone and a malformed clock time", () => {
    expect(() => school({ timezone: "Mars/Olympus" })).to.throw(InvalidTimezoneError);
    for (const bad of ["24:00", "15:60", "9:00", "15:00:00", ""]) {
      expect(() => moscow.at("2026-03-10", bad), bad).to.throw(InvalidClockTimeError);
    }
  });
});
