// The field shapes public working clients of Dnevnik.ru show (real-shapes.md §1, D1 and D5–D9), mapped:
// Mark.date is the entry time, `Pass` a plain absence, bell times full (UTC) date-times, work types keyed
// by `id_str`, `PeriodMark` works no ordinary works, marks of other systems no 5-point marks.
import { expect } from "chai";
import {
  bellSchedule,
  LessonIndex,
  mapFinalMarks,
  mapLogEntries,
  mapMarks,
  mapWorks,
  workTypeIndex,
} from "../../../src/connectors/dnevnik/mapping.ts";
import { parseJson } from "../../../src/connectors/http/safe-json.ts";
import { bigId, lesson, logEntry, mark, platformJson, work } from "../../fixtures/dnevnik/builders.ts";

const O = "GET /v2/test";
const ZONE = "Asia/Krasnoyarsk"; // +07:00
const wire = (v: unknown) => parseJson(platformJson(v), { bigIntsAsStrings: true });
const L1 = bigId(601).toString();

function index(...lessons: Record<string, unknown>[]): LessonIndex {
  const ix = new LessonIndex();
  ix.add(wire(lessons));
  return ix;
}

describe("Dnevnik real shapes (real-shapes.md §1)", () => {
  describe("Mark.date is «дата выставления», the entry time (D1)", () => {
    const ix = index(lesson(1, { date: "2026-09-14T00:00:00" }));
    const read = (date: unknown) =>
      mapMarks(wire([mark(1, { date })]), O, { zone: ZONE, lessons: ix, workTypes: new Map() });

    it("a date-time with fractional seconds is when the mark was entered, in the school's zone", () => {
      // a late mark for an old lesson: entered 18 days after it
      expect(read("2026-10-02T16:20:05.123").records[0].recordedAt).to.equal("2026-10-02T16:20:05.123+07:00");
      // seven digits, as .NET writes ticks
      expect(read("2026-09-14T10:05:00.1234567").records[0].recordedAt).to.equal(
        "2026-09-14T10:05:00.123+07:00",
      );
      expect(read("2026-09-14T03:05:00.5Z").records[0].recordedAt).to.equal("2026-09-14T03:05:00.500Z");
    });

    it("a time of day without a fraction is still an entry time; the lesson date stays the lesson's", () => {
      const out = read("2026-09-15T08:01:00");
      expect(out.records[0]).to.deep.include({
        recordedAt: "2026-09-15T08:01:00+07:00",
        lessonId: L1,
        subjectId: bigId(700).toString(),
      });
      expect(out.records[0]).to.not.have.property("date");
    });

    it("a bare day, or midnight without a fraction, proves no entry time", () => {
      for (const date of [
        "2026-09-14T00:00:00", // the lesson's own date, as the simulator used to write it
        "2026-09-20T00:00:00", // another day, but no time: when on that day is unknown
        "2026-09-20",
        "2026-09-20T00:00:00Z",
        "2026-09-20T00:00:00+03:00",
        null,
      ]) {
        const out = read(date);
        expect(out.rejected, String(date)).to.deep.equal([]);
        expect(out.records[0].recordedAt, String(date)).to.equal(undefined);
      }
    });

    it("a Mark.date equal to a lesson date that carries a time is the lesson's, not an entry time", () => {
      const timed = index(lesson(1, { date: "2026-09-14T08:30:00" }));
      const out = mapMarks(wire([mark(1, { date: "2026-09-14T08:30:00" })]), O, {
        zone: ZONE,
        lessons: timed,
        workTypes: new Map(),
      });
      expect(out.records[0].recordedAt).to.equal(undefined);
    });

    it("an impossible Mark.date quarantines the mark with the field to blame", () => {
      const out = read("2026-02-30T10:00:00.5");
      expect(out.records).to.deep.equal([]);
      expect(out.rejected[0]).to.deep.include({ field: "date" });
      expect(out.rejected[0].reason).to.match(/unreadable date-time/);
    });
  });

  describe("mark systems: `marks/values` keys (D9)", () => {
    const ix = index(lesson(1));
    const read = (over: Record<string, unknown>[]) =>
      mapMarks(wire(over.map((o, i) => mark(i + 1, o))), O, {
        zone: ZONE,
        lessons: ix,
        workTypes: new Map(),
      });

    it("mark5, markna, markdismiss and test values are journal marks", () => {
      const out = read([
        { type: "mark5", value: "4+", textValue: "4+" },
        { type: "markna", value: "Н/А", textValue: "Н/А" },
        { type: "markdismiss", value: "осв", textValue: "осв" },
        { type: "test", value: "зч", textValue: "зч" },
      ]);
      expect(out.rejected).to.deep.equal([]);
      expect(out.records.map((r) => r.value)).to.deep.equal(["4", "н/а", "осв", "зч"]);
    });

    it("a value of another system (mark10, mark100, …) is not read as a 5-point mark", () => {
      const out = read([
        { type: "mark10", value: "5", textValue: "5" },
        { type: "mark100", value: "4", textValue: "4" },
        { type: "mark5", value: "5", textValue: "5" },
      ]);
      expect(out.records.map((r) => r.value)).to.deep.equal(["5"]);
      expect(out.rejected.map((r) => [r.field, r.reason])).to.deep.equal([
        ["type", 'mark system "mark10" is not the 5-point scale'],
        ["type", 'mark system "mark100" is not the 5-point scale'],
      ]);
      const finals = mapFinalMarks(
        wire([
          {
            person_str: "301",
            reportingPeriod_str: "11",
            "per-subject-final-marks": [
              { subject_str: "700", "final-mark": { id_str: "1", type: "mark10", value: "5" } },
            ],
          },
        ]),
        O,
      );
      expect(finals.records).to.deep.equal([]);
      expect(finals.rejected.map((r) => r.field)).to.deep.equal(["final-mark.type"]);
    });
  });

  describe("PeriodMark works (D8)", () => {
    const periodWork = work(7, { type: "PeriodMark", workType: 1, text: "Четвертная" });
    const l = lesson(1, { works: [work(1), periodWork] });
    const workTypes = workTypeIndex(wire([{ id: 1, title: "Контрольная работа" }]), O);

    it("are not ordinary works", () => {
      const out = mapWorks(wire([l]), O, { zone: ZONE, groupId: "2", workTypes });
      expect(out.rejected).to.deep.equal([]);
      expect(out.records.map((w) => w.id)).to.deep.equal([bigId(501).toString()]);
    });

    it("their marks are period marks (final-marks), not marks of an ordinary work", () => {
      const out = mapMarks(
        wire([
          mark(1),
          mark(2, { work: bigId(507), work_str: bigId(507).toString(), lesson: null, lesson_str: null }),
        ]),
        O,
        { zone: ZONE, lessons: index(l), workTypes },
      );
      expect(out.rejected).to.deep.equal([]);
      expect(out.records.map((m) => m.id)).to.deep.equal([bigId(801).toString()]);
    });
  });

  it("work types are keyed by `id_str`, beyond 2^53 (D6)", () => {
    const id = bigId(900);
    const types = workTypeIndex(
      wire([
        { id_str: id.toString(), title: "Контрольная работа", weight: 2 },
        { id, id_str: bigId(901).toString(), title: "Тест" },
      ]),
      O,
    );
    expect([...types.keys()]).to.deep.equal([id.toString(), bigId(901).toString()]);
    const works = mapWorks(wire([lesson(1, { works: [work(1, { workType: id })] })]), O, {
      zone: ZONE,
      groupId: "2",
      workTypes: types,
    });
    expect(works.rejected).to.deep.equal([]);
    expect(works.records[0].kind).to.equal("control");
  });

  describe("attendance (D3, D5)", () => {
    it("`Pass` is a plain absence, not an excused one", () => {
      const out = mapLogEntries(
        wire([logEntry({ status: "Pass" }), logEntry({ status: "Absent" }), logEntry({ status: "Ill" })]),
        O,
        ZONE,
      );
      expect(out.records.map((r) => r.status)).to.deep.equal(["absent", "absent", "ill"]);
    });

    it("a pupil's read `{logEntries, lessons}`: entries carry the pupil, or the request names it", () => {
      const pupil = bigId(305).toString();
      const noPerson = logEntry({ createdDate: "2026-09-14T08:47:12.5730000", status: "Absent" });
      delete noPerson.person;
      delete noPerson.person_str;
      const body = wire({ logEntries: [logEntry({ status: "Late" }), noPerson], lessons: [lesson(1)] });
      const out = mapLogEntries(body, O, ZONE, pupil);
      expect(out.rejected).to.deep.equal([]);
      expect(out.records).to.deep.equal([
        {
          studentId: bigId(301).toString(),
          lessonId: L1,
          status: "late",
          recordedAt: "2026-09-14T08:47:12.573+07:00",
        },
        { studentId: pupil, lessonId: L1, status: "absent", recordedAt: "2026-09-14T08:47:12.573+07:00" },
      ]);
      const orphan = mapLogEntries(wire({ logEntries: [noPerson] }), O, ZONE);
      expect(orphan.rejected.map((r) => r.field)).to.deep.equal(["person_str"]);
    });
  });

  describe("bell times are full date-times, possibly UTC (D7)", () => {
    const item = (Start: string, Finish: string, LessonNumber = 1) => ({ Start, Finish, LessonNumber });

    it("a UTC value is converted to the school's wall clock", () => {
      const bells = bellSchedule(
        {
          Items: [
            item("2026-09-01T01:30:00Z", "2026-09-01T02:15:00Z"),
            item("2026-09-01T02:25:00.000Z", "2026-09-01T03:10:00Z", 2),
          ],
        },
        ZONE,
      );
      expect(bells.timesOf(1, 1, "2026-09-14")).to.deep.equal({ start: "08:30", end: "09:15" });
      expect(bells.timesOf(2, 1, "2026-09-14")).to.deep.equal({ start: "09:25", end: "10:10" });
    });

    it("naive date-times are wall time; a placeholder date with an offset takes the lesson's date", () => {
      const bells = bellSchedule(
        {
          Items: [
            item("2026-09-01T08:30:00", "2026-09-01T09:15:00"),
            item("0001-01-01T07:00:00Z", "0001-01-01T07:45:00Z", 2),
          ],
        },
        "Europe/Berlin",
      );
      expect(bells.timesOf(1, 1, "2026-12-14")).to.deep.equal({ start: "08:30", end: "09:15" });
      expect(bells.timesOf(2, 1, "2026-12-14")).to.deep.equal({ start: "08:00", end: "08:45" });
      expect(bells.timesOf(2, 1, "2026-07-14")).to.deep.equal({ start: "09:00", end: "09:45" });
    });
  });
});
