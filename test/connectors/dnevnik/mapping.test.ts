import { expect } from "chai";
import { dateChunks } from "../../../src/connectors/dnevnik/date-chunks.ts";
import {
  bellSchedule,
  mapClasses,
  mapFinalMarks,
  mapHolidays,
  mapPeriods,
  markValue,
  roleOfPosition,
  workKindOfTitle,
} from "../../../src/connectors/dnevnik/mapping.ts";
import {
  naiveLocal,
  platformDate,
  platformInstant,
  zoneFromOffsetHours,
} from "../../../src/connectors/dnevnik/time.ts";
import { BadPayloadError } from "../../../src/connectors/errors.ts";
import { parseJson } from "../../../src/connectors/http/safe-json.ts";
import { bigId, eduGroup, platformJson } from "../../fixtures/dnevnik/builders.ts";

const O = "GET /v2/test";
/** Platform JSON text parsed the way the client parses it. */
const wire = (v: unknown) => parseJson(platformJson(v), { bigIntsAsStrings: true });

describe("Dnevnik mapping", () => {
  it("reads mark values: digits with +/- suffixes and the journal's codes", () => {
    expect(["5", "4-", "3+", "2", "1"].map((v) => markValue(v))).to.deep.equal(["5", "4", "3", "2", "1"]);
    expect(["Н/А", "НА", "осв.", "ЗЧ", "нз"].map((v) => markValue(v))).to.deep.equal([
      "н/а",
      "н/а",
      "осв",
      "зч",
      "нз",
    ]);
    expect(markValue(null, "5")).to.equal("5");
    expect(markValue("6")).to.equal(null);
    expect(markValue("отл")).to.equal(null);
  });

  it("derives staff roles and work kinds from Russian titles", () => {
    expect(roleOfPosition("Заместитель директора по УВР")).to.equal("deputy");
    expect(roleOfPosition("Директор")).to.equal("director");
    expect(roleOfPosition("Учитель математики")).to.equal("teacher");
    expect(roleOfPosition(null)).to.equal("teacher");
    expect(workKindOfTitle("Промежуточная аттестация")).to.equal("intermediate"); // not «тест»
    expect(workKindOfTitle("Итоговая аттестация")).to.equal("final");
    expect(workKindOfTitle("ВПР")).to.equal("federal");
    expect(workKindOfTitle("Контрольная работа")).to.equal("control");
    expect(workKindOfTitle("Диктант")).to.equal("written");
    expect(workKindOfTitle("Тест")).to.equal("test");
    expect(workKindOfTitle("Ответ на уроке")).to.equal("oral");
    expect(workKindOfTitle("Зачёт по физкультуре", { "Зачёт по физкультуре": "practical" })).to.equal(
      "practical",
    );
  });

  it("interprets naive date-times in the school zone and respects explicit offsets", () => {
    expect(platformInstant("2026-03-02T15:00:00", "Asia/Vladivostok")).to.equal("2026-03-02T15:00:00+10:00");
    expect(platformInstant("2026-03-02 15:00:00", "Europe/Kaliningrad")).to.equal(
      "2026-03-02T15:00:00+02:00",
    );
    expect(platformInstant("2026-03-02T15:00:00.1234567", "Europe/Moscow")).to.equal(
      "2026-03-02T15:00:00.123+03:00",
    );
    expect(platformInstant("2026-03-02T15:00:00+05:00", "Europe/Moscow")).to.equal(
      "2026-03-02T15:00:00+05:00",
    );
    expect(platformInstant("garbage", "Europe/Moscow")).to.equal(null);
    expect(platformInstant("2026-02-30T10:00:00", "Europe/Moscow")).to.equal(null);
    expect(platformInstant("2026-09-01T24:00:00", "Europe/Moscow")).to.equal(null);
    // a zone with DST: winter and summer offsets, and the naive time written back unchanged
    expect(platformInstant("2026-01-15T09:00:00", "Europe/Berlin")).to.equal("2026-01-15T09:00:00+01:00");
    expect(platformInstant("2026-07-15T09:00:00", "Europe/Berlin")).to.equal("2026-07-15T09:00:00+02:00");
    expect(naiveLocal("2026-07-15T07:00:00Z", "Europe/Berlin")).to.equal("2026-07-15T09:00:00");
    expect(naiveLocal("2026-09-01T14:05:00+05:00", "Asia/Yekaterinburg")).to.equal("2026-09-01T14:05:00");
    // UTC evening is the next local day in Kamchatka
    expect(platformDate("2026-03-02T20:00:00Z", "Asia/Kamchatka")).to.equal("2026-03-03");
    expect(platformDate("2026-03-02T00:00:00", "Asia/Kamchatka")).to.equal("2026-03-02");
    expect(zoneFromOffsetHours(3)).to.equal("Europe/Moscow");
    expect(zoneFromOffsetHours(12)).to.equal("Asia/Kamchatka");
    expect(zoneFromOffsetHours(1)).to.equal("Etc/GMT-1");
  });

  it("splits a window into chunks of at most N days", () => {
    expect(dateChunks("2026-01-25", "2026-02-10", 7)).to.deep.equal([
      { from: "2026-01-25", to: "2026-01-31" },
      { from: "2026-02-01", to: "2026-02-07" },
      { from: "2026-02-08", to: "2026-02-10" },
    ]);
    expect(dateChunks("2026-02-10", "2026-02-10", 31)).to.deep.equal([
      { from: "2026-02-10", to: "2026-02-10" },
    ]);
    expect(dateChunks("2026-02-11", "2026-02-10", 31)).to.deep.equal([]);
  });

  it("classes: grade from parallel, letter from the name; subgroups skipped; bad ones rejected", () => {
    const groups = wire([
      eduGroup({ name: "10 Б", parallel: 10 }),
      eduGroup({ id: bigId(11), id_str: bigId(11).toString(), name: "7-В", parallel: null }),
      eduGroup({ id: bigId(12), id_str: bigId(12).toString(), name: "Английский (гр. 1)", type: "Subgroup" }),
      eduGroup({ id: bigId(13), id_str: bigId(13).toString(), name: "7", parallel: 7 }),
    ]);
    const out = mapClasses(groups, O, new Map([[bigId(2).toString(), bigId(101).toString()]]));
    expect(out.records).to.deep.equal([
      { id: bigId(2).toString(), grade: 10, letter: "Б", classTeacherId: bigId(101).toString() },
      { id: bigId(11).toString(), grade: 7, letter: "В", classTeacherId: undefined },
    ]);
    expect(out.rejected).to.have.length(1);
    expect(out.rejected[0]).to.deep.include({ field: "name", origin: `${O} [3]` });
  });

  it("periods and holidays of the reporting-period group: kinds, dates, calendar overrides", () => {
    const body = wire({
      id_str: "1",
      reportingPeriods: [
        {
          id_str: "11",
          start: "2026-09-01T00:00:00",
          finish: "2026-12-28T00:00:00",
          number: 1,
          type: "HalfYear",
        },
        {
          id_str: "12",
          start: "2027-01-09T00:00:00",
          finish: "2027-05-26T00:00:00",
          number: 2,
          type: "Module",
        },
      ],
      holidays: [
        { dateStart: "2026-10-26T00:00:00", dateFinish: "2026-10-28T00:00:00", name: "Осенние каникулы" },
        {
          dateStart: "2026-11-04T00:00:00",
          dateFinish: "2026-11-04T00:00:00",
          name: "День народного единства",
        },
        { dateStart: "2026-11-10T00:00:00", dateFinish: "2026-11-09T00:00:00", name: "Ошибка" },
      ],
    });
    const periods = mapPeriods(body, O, "Europe/Moscow");
    expect(periods.records).to.deep.equal([
      { id: "11", kind: "semester", number: 1, start: "2026-09-01", end: "2026-12-28" },
    ]);
    expect(periods.rejected.map((r) => r.field)).to.deep.equal(["type"]);
    const days = mapHolidays(body, O, "Europe/Moscow");
    expect(days.records).to.deep.equal([
      { date: "2026-10-26", kind: "vacation" },
      { date: "2026-10-27", kind: "vacation" },
      { date: "2026-10-28", kind: "vacation" },
      { date: "2026-11-04", kind: "holiday" },
    ]);
    expect(days.rejected.map((r) => r.reason)).to.deep.equal(["holiday ends before it starts"]);
    expect(() => mapPeriods([], O, "Europe/Moscow")).to.throw(BadPayloadError);
  });

  it("bell times by lesson number and weekday (names or .NET DayOfWeek numbers)", () => {
    const bells = bellSchedule(
      [
        {
          Items: [
            { Start: "08:30:00", Finish: "09:15:00", LessonNumber: 1, DaysOfWeek: ["Monday", "Tuesday"] },
            {
              Start: "0001-01-01T09:00:00",
              Finish: "0001-01-01T09:40:00",
              LessonNumber: 1,
              DaysOfWeek: [6],
            },
            { Start: "9:25", Finish: "10:10", LessonNumber: 2, DaysOfWeek: [] },
          ],
        },
      ],
      "Europe/Moscow",
    );
    const day = "2026-09-14";
    expect(bells.timesOf(1, 1, day)).to.deep.equal({ start: "08:30", end: "09:15" });
    expect(bells.timesOf(1, 6, day)).to.deep.equal({ start: "09:00", end: "09:40" });
    expect(bells.timesOf(2, 3, day)).to.deep.equal({ start: "09:25", end: "10:10" });
    expect(bells.timesOf(7, 3, day)).to.equal(null);
  });

  it("final marks: hyphenated keys; a missing mark is skipped, a bad one rejected, another shape kept whole", () => {
    const body = wire([
      {
        person_str: "301",
        group_str: "2",
        reportingPeriod_str: "11",
        "per-subject-final-marks": [
          { subject_str: "700", "final-mark": { id_str: "1", value: "4" } },
          { subject_str: "701", "final-mark": null },
          { subject_str: "702", "final-mark": { id_str: "2", value: "?" } },
        ],
      },
    ]);
    const out = mapFinalMarks(body, O);
    expect(out.records).to.deep.equal([{ studentId: "301", subjectId: "700", periodId: "11", value: "4" }]);
    expect(out.rejected.map((r) => r.field)).to.deep.equal(["final-mark.value"]);
    const other = mapFinalMarks({ marks: [], works: [] }, O);
    expect(other.records).to.deep.equal([]);
    expect(other.rejected[0].reason).to.match(/unsupported final-marks shape/);
  });
});
