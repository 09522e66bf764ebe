import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import {
  addDays,
  DEFAULT_CALENDAR_DIR,
  InvalidProductionCalendarError,
  isoWeekday,
  loadProductionCalendar,
  MissingProductionCalendarError,
  type ProductionCalendar,
  parseProductionCalendarYear,
  productionCalendarYearSchema,
} from "../../src/calendar/index.ts";

/** Working days and hours of a 40-hour five-day week over a year, as the calendar gives them. */
function norm(cal: ProductionCalendar, year: number): { days: number; hours: number } {
  let days = 0;
  let hours = 0;
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
    if (!cal.isWorkingDay(d, 5)) continue;
    days++;
    hours += cal.isShortenedDay(d) ? 7 : 8;
  }
  return { days, hours };
}

function shippedJson(year: number): Record<string, unknown> {
  return JSON.parse(readFileSync(join(DEFAULT_CALENDAR_DIR, `ru-${year}.json`), "utf8"));
}

describe("production calendar (shipped data)", () => {
  const cal = loadProductionCalendar();

  it("ships 2024–2027, each file valid and citing its decree", () => {
    expect(cal.years).to.deep.equal([2024, 2025, 2026, 2027]);
    for (const year of cal.years) {
      expect(cal.year(year).basis.decree).to.match(/Постановление Правительства РФ/);
      expect(cal.year(year).basis.source).to.contain(`ru/${year}/calendar.xml`);
    }
    expect(cal.year(2026).basis.decree).to.contain("№ 1466");
    expect(cal.year(2025).basis.decree).to.contain("№ 1335");
    expect(cal.year(2024).basis.decree).to.contain("№ 1314");
  });

  it("2026: the days off of decree № 1466 (ANCHORS §3)", () => {
    const offWeekdays: string[] = [];
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) {
      if (isoWeekday(d) <= 5 && !cal.isWorkingDay(d)) offWeekdays.push(d);
    }
    expect(offWeekdays).to.deep.equal([
      "2026-01-01",
      "2026-01-02",
      "2026-01-05",
      "2026-01-06",
      "2026-01-07",
      "2026-01-08",
      "2026-01-09",
      "2026-02-23",
      "2026-03-09",
      "2026-05-01",
      "2026-05-11",
      "2026-06-12",
      "2026-11-04",
      "2026-12-31",
    ]);
    expect(cal.year(2026).workingWeekendDays).to.deep.equal([]);
    expect(cal.year(2026).shortenedDays).to.deep.equal([
      "2026-04-30",
      "2026-05-08",
      "2026-06-11",
      "2026-11-03",
    ]);
    expect(cal.dayKind("2026-01-09")).to.equal("transfer");
    expect(cal.dayKind("2026-03-08")).to.equal("holiday");
    expect(cal.holidayTitle("2026-06-12")).to.equal("День России");
  });

  it("2027: Saturday 20 Feb is a shortened working day, 22 Feb and 5 Nov are off (ANCHORS §3)", () => {
    expect(cal.dayKind("2027-02-20")).to.equal("shortened");
    expect(cal.isWorkingWeekendDay("2027-02-20")).to.equal(true);
    for (const d of ["2027-02-22", "2027-05-03", "2027-05-10", "2027-06-14", "2027-11-05", "2027-12-31"]) {
      expect(cal.isWorkingDay(d), d).to.equal(false);
    }
    expect(cal.year(2027).basis.decreeVerified).to.equal(false);
  });

  it("2024 and 2025: the decrees' working Saturdays work, the days moved to them are off", () => {
    for (const d of ["2024-04-27", "2024-11-02", "2024-12-28", "2025-11-01"]) {
      expect(isoWeekday(d), d).to.equal(6);
      expect(cal.isWorkingDay(d, 5), d).to.equal(true);
    }
    for (const d of [
      "2024-04-29",
      "2024-04-30",
      "2024-05-10",
      "2024-12-30",
      "2024-12-31",
      "2025-05-02",
      "2025-11-03",
    ]) {
      expect(cal.isWorkingDay(d, 5), d).to.equal(false);
    }
    expect(cal.year(2024).workingWeekendDays.find((d) => d.date === "2024-04-27")?.dayOffMovedTo).to.equal(
      "2024-04-29",
    );
  });

  it("gives the official yearly norms of a 40-hour week (2024: 248 d / 1979 h; 2025–2026: 247 d / 1972 h)", () => {
    expect(norm(cal, 2024)).to.deep.equal({ days: 248, hours: 1979 });
    expect(norm(cal, 2025)).to.deep.equal({ days: 247, hours: 1972 });
    expect(norm(cal, 2026)).to.deep.equal({ days: 247, hours: 1972 });
  });

  it("refuses a year it does not have, naming the file to add", () => {
    expect(() => cal.isWorkingDay("2031-03-03")).to.throw(
      MissingProductionCalendarError,
      "no production calendar for 2031; add config/calendars/ru-2031.json",
    );
    try {
      cal.year(2023);
      expect.fail("expected an error");
    } catch (err) {
      expect(err).to.be.instanceOf(MissingProductionCalendarError);
      expect((err as MissingProductionCalendarError).year).to.equal(2023);
      expect((err as MissingProductionCalendarError).userMessage).to.contain("ru-2023.json");
    }
  });
});

describe("production calendar schema", () => {
  const base = () => shippedJson(2026);

  it("accepts every shipped file", () => {
    for (const year of [2024, 2025, 2026, 2027]) {
      expect(productionCalendarYearSchema.safeParse(shippedJson(year)).success, String(year)).to.equal(true);
    }
  });

  it("rejects a working weekend day that is a weekday", () => {
    const bad = { ...base(), workingWeekendDays: [{ date: "2026-03-10" }] };
    expect(() => parseProductionCalendarYear(JSON.stringify(bad), "ru-2026.json")).to.throw(
      InvalidProductionCalendarError,
      /not a Saturday or Sunday/,
    );
  });

  it("rejects a file missing an art. 112 holiday", () => {
    const data = base();
    const days = (data.nonWorkingDays as { date: string }[]).filter((d) => d.date !== "2026-11-04");
    expect(() =>
      parseProductionCalendarYear(JSON.stringify({ ...data, nonWorkingDays: days }), "x.json"),
    ).to.throw(/art\. 112 holiday 2026-11-04 is missing/);
  });

  it("rejects a date outside the year, a shortened day off, a duplicate and an unknown field", () => {
    const outside = { ...base(), shortenedDays: ["2025-04-30"] };
    expect(() => parseProductionCalendarYear(JSON.stringify(outside), "x.json")).to.throw(/outside 2026/);
    const shortenedOff = { ...base(), shortenedDays: ["2026-01-09"] };
    expect(() => parseProductionCalendarYear(JSON.stringify(shortenedOff), "x.json")).to.throw(
      /not a working day/,
    );
    const data = base();
    const dup = {
      ...data,
      nonWorkingDays: [
        ...(data.nonWorkingDays as object[]),
        { date: "2026-01-09", kind: "transfer", movedFrom: "2026-01-03" },
      ],
    };
    expect(() => parseProductionCalendarYear(JSON.stringify(dup), "x.json")).to.throw(
      /listed in nonWorkingDays and/,
    );
    expect(() => parseProductionCalendarYear(JSON.stringify({ ...base(), extra: 1 }), "x.json")).to.throw(
      InvalidProductionCalendarError,
    );
  });

  it("rejects a file whose name and year disagree, and text that is not JSON", () => {
    expect(() => parseProductionCalendarYear(JSON.stringify(base()), "/c/ru-2027.json")).to.throw(
      /file name says 2027/,
    );
    expect(() => parseProductionCalendarYear("{", "/c/ru-2026.json")).to.throw(/not JSON/);
  });
});

describe("loadProductionCalendar", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "reglament-cal-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the ru-<year>.json files of a folder once and caches them", () => {
    writeFileSync(join(dir, "ru-2026.json"), JSON.stringify(shippedJson(2026)));
    writeFileSync(join(dir, "README.txt"), "not a calendar");
    const first = loadProductionCalendar(dir);
    expect(first.years).to.deep.equal([2026]);
    expect(loadProductionCalendar(dir)).to.equal(first);
    writeFileSync(join(dir, "ru-2025.json"), JSON.stringify(shippedJson(2025)));
    expect(loadProductionCalendar(dir).years).to.deep.equal([2026]);
    expect(loadProductionCalendar(dir, { reload: true }).years).to.deep.equal([2025, 2026]);
    expect(() => loadProductionCalendar(dir).isWorkingDay("2024-05-06")).to.throw(
      MissingProductionCalendarError,
    );
  });

  it("the default is the shipped folder, whatever the working directory", () => {
    expect(loadProductionCalendar()).to.equal(loadProductionCalendar(DEFAULT_CALENDAR_DIR));
  });

  it("fails loudly on a broken file", () => {
    mkdirSync(join(dir, "bad"));
    writeFileSync(join(dir, "bad", "ru-2026.json"), JSON.stringify({ ...shippedJson(2026), country: "by" }));
    expect(() => loadProductionCalendar(join(dir, "bad"))).to.throw(
      InvalidProductionCalendarError,
      /ru-2026\.json/,
    );
  });
});
