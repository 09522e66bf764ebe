import { expect } from "chai";
import { moodleConfigSchema } from "../../../src/connectors/moodle/config.ts";
import {
  compileMapping,
  groupsInAvailability,
  isValueRange,
  mapClassGroup,
  mapCourse,
  markFromLabel,
  markFromNumber,
  markFromText,
  personIdOf,
  plainText,
  unixToClock,
  unixToDate,
  unixToInstant,
  workKindOf,
} from "../../../src/connectors/moodle/mapping.ts";

const base = { url: "https://m.example", token: "t", school: { id: "s", timezone: "Europe/Moscow" } };
const perClass = compileMapping(moodleConfigSchema.parse(base));
const byGroups = compileMapping(moodleConfigSchema.parse({ ...base, courseMapping: "groups-as-classes" }));
const course = (fullname: string, idnumber = "") => ({ id: 9, shortname: "x", fullname, idnumber });

describe("moodle/mapping", () => {
  it("reads a course-per-class-subject course from its idnumber and name", () => {
    expect(mapCourse(course("Русский язык 5А", "c5a/rus"), perClass)).to.deep.equal({
      ok: true,
      value: {
        kind: "class-subject",
        classRef: { id: "c5a", grade: 5, letter: "А" },
        subject: { id: "rus", name: "Русский язык" },
      },
    });
    // Without an idnumber the ids come from the name.
    expect(mapCourse(course("Физика 11-б"), perClass)).to.deep.equal({
      ok: true,
      value: {
        kind: "class-subject",
        classRef: { id: "11Б", grade: 11, letter: "Б" },
        subject: { id: "subject:Физика", name: "Физика" },
      },
    });
    const bad = mapCourse(course("Физика 12А"), perClass);
    expect(bad.ok).to.equal(false);
    expect(mapCourse(course("Методическое объединение"), perClass).ok).to.equal(false);
  });

  it("reads a groups-as-classes course as a subject and its class groups", () => {
    expect(mapCourse(course("Математика 5 класс", "math/5"), byGroups)).to.deep.equal({
      ok: true,
      value: { kind: "subject", subject: { id: "math", name: "Математика" } },
    });
    const group = (name: string, idnumber = "") => ({ id: 1, courseid: 9, name, idnumber });
    expect(mapClassGroup(group("5А", "c5a"), byGroups)).to.deep.equal({ id: "c5a", grade: 5, letter: "А" });
    expect(mapClassGroup(group("7 в"), byGroups)).to.deep.equal({ id: "7В", grade: 7, letter: "В" });
    expect(mapClassGroup(group("Подгруппа 1"), byGroups)).to.equal(null);
  });

  it("takes a person's id from idnumber, else moodle-user-N", () => {
    expect(personIdOf({ id: 5, idnumber: "S-1" })).to.equal("S-1");
    expect(personIdOf({ id: 5, idnumber: "" })).to.equal("moodle-user-5");
    expect(personIdOf({ id: 5, idnumber: "with space" })).to.equal("moodle-user-5");
    // idSource "moodle": never the idnumber, so the id does not depend on the account's rights.
    expect(personIdOf({ id: 5, idnumber: "S-1" }, "moodle")).to.equal("moodle-user-5");
    const byMoodle = compileMapping(moodleConfigSchema.parse({ ...base, idSource: "moodle" }));
    expect(mapCourse(course("Русский язык 5А", "c5a/rus"), byMoodle)).to.deep.equal(
      mapCourse(course("Русский язык 5А"), perClass),
    );
  });

  it("reads a displayed grade label: codes, numbers with either separator, HTML stripped; else nothing", () => {
    const icon =
      '<i class="icon fa fa-check text-success fa-fw inline"  title="Pass" role="img" aria-label="Pass"></i>';
    expect(markFromLabel(`${icon}4.00`)).to.deep.equal({ ok: true, value: 4 });
    expect(markFromLabel("4,00")).to.deep.equal({ ok: true, value: 4 });
    expect(markFromLabel("н/а")).to.deep.equal({ ok: true, value: "н/а" });
    expect(markFromLabel("87,50")?.ok).to.equal(false);
    expect(markFromLabel("-")).to.equal(undefined);
    expect(markFromLabel("75.00 %")).to.equal(undefined);
    expect(isValueRange("1&ndash;5")).to.equal(true);
    expect(isValueRange("0,00–100,00")).to.equal(true);
    expect(isValueRange("нз&ndash;5")).to.equal(false);
    expect(isValueRange(undefined)).to.equal(false);
  });

  it("turns unix seconds into the school's local date, time and offset", () => {
    const ts = 1788215400; // 2026-08-31T22:30:00Z
    expect(unixToInstant(ts, "Europe/Moscow")).to.equal("2026-09-01T01:30:00+03:00");
    expect(unixToDate(ts, "Europe/Moscow")).to.equal("2026-09-01");
    expect(unixToDate(ts, "Europe/Kaliningrad")).to.equal("2026-09-01");
    expect(unixToDate(ts, "UTC")).to.equal("2026-08-31");
    expect(unixToClock(ts, "Asia/Vladivostok")).to.equal("08:30");
    expect(unixToInstant(ts, "Asia/Vladivostok")).to.equal("2026-09-01T08:30:00+10:00");
  });

  it("reads marks 1–5 and the journal codes, and refuses other grades", () => {
    expect(markFromText("4.00000")).to.deep.equal({ ok: true, value: 4 });
    expect(markFromText("Осв.")).to.deep.equal({ ok: true, value: "осв" });
    expect(markFromText("н/а")).to.deep.equal({ ok: true, value: "н/а" });
    expect(markFromText("4.50000").ok).to.equal(false);
    expect(markFromText("Отлично").ok).to.equal(false);
    expect(markFromNumber(0).ok).to.equal(false);
    expect(markFromNumber(5)).to.deep.equal({ ok: true, value: 5 });
  });

  it("reads a work kind from the assignment name, with a default", () => {
    expect(workKindOf("Контрольная работа № 2", perClass)).to.equal("control");
    expect(workKindOf("ВПР по математике", perClass)).to.equal("federal");
    expect(workKindOf("Диктант", perClass)).to.equal("written");
    expect(workKindOf("Доклад", perClass)).to.equal("written");
    const custom = compileMapping(
      moodleConfigSchema.parse({
        ...base,
        workKinds: [{ pattern: "доклад", kind: "oral" }],
        defaultWorkKind: "test",
      }),
    );
    expect(workKindOf("Доклад о Пушкине", custom)).to.equal("oral");
    expect(workKindOf("Контрольная", custom)).to.equal("test");
  });

  it("finds group restrictions at any depth of an availability tree", () => {
    const tree = {
      op: "|",
      c: [
        { type: "group", id: 4 },
        {
          op: "&",
          c: [
            { type: "date", d: ">=", t: 1 },
            { type: "group", id: 9 },
          ],
        },
      ],
    };
    expect(groupsInAvailability(JSON.stringify(tree))).to.deep.equal([4, 9]);
    expect(groupsInAvailability(null)).to.deep.equal([]);
    expect(groupsInAvailability("{broken")).to.deep.equal([]);
  });

  it("reads lesson, further-column and assignment item idnumbers with the default patterns", () => {
    const lesson = (id: string) => ({ ...perClass.lessonItem.exec(id)?.groups });
    expect(lesson("lesson:2026-09-15#2")).to.include({ date: "2026-09-15", number: "2" });
    expect(lesson("lesson:2026-09-15#2~3@c5a")).to.include({
      date: "2026-09-15",
      number: "2",
      seq: "3",
      classId: "c5a",
    });
    const work = (id: string) => ({ ...perClass.workItem.exec(id)?.groups });
    expect(work("assign:77~2")).to.include({ assignmentId: "77", seq: "2" });
    expect(work("assign:77~2@c5a")).to.include({ assignmentId: "77", seq: "2", classId: "c5a" });
    expect(perClass.workItem.test("lesson:2026-09-15#2~2")).to.equal(false);
    expect(perClass.lessonItem.test("assign:77~2")).to.equal(false);
  });

  it("validates configured periods with the canonical period schema", () => {
    const q1 = { id: "q1", kind: "quarter", number: 1, start: "2026-09-01", end: "2026-10-24" };
    expect(compileMapping(moodleConfigSchema.parse({ ...base, periods: [q1] })).periodIds).to.deep.equal(
      new Set(["q1"]),
    );
    expect(perClass.periodIds).to.equal(undefined);
    const bad = (periods: unknown) => moodleConfigSchema.safeParse({ ...base, periods }).success;
    expect(bad([{ ...q1, end: "2026-08-01" }])).to.equal(false);
    expect(bad([{ ...q1, kind: "month" }])).to.equal(false);
    expect(bad([q1, q1])).to.equal(false);
  });

  it("makes a topic plain text from session HTML", () => {
    expect(plainText("<p>Дроби &amp; &lt;проценты&gt;</p>")).to.equal("Дроби & <проценты>");
    expect(plainText("<p>Часть 1</p><p>Часть 2</p>")).to.equal("Часть 1\nЧасть 2");
  });
});
