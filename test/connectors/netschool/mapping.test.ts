// Diary answers in the recorded field types (BN §B5, real-shapes.md §2.3) → canonical records.
import { expect } from "chai";
import {
  addDiary,
  emptyWindow,
  mapTerm,
  parseClassName,
  subjectIdOf,
  teacherSlotId,
  typeIndex,
} from "../../../src/connectors/netschool/mapping.ts";

const types = typeIndex(
  [
    { id: 1, name: "Ответ на уроке", abbr: "О", order: 1 },
    { id: 3, name: "Домашнее задание", abbr: "Д", order: 3 },
    { id: 4, name: "Контрольная работа", abbr: "К", order: 4 },
    { id: 9, name: "ВПР", abbr: "ВПР", order: 9 },
    { id: 12, name: "Зачётная работа", abbr: "З", order: 12 },
  ],
  "GET types",
  ["Домашнее задание"],
  { "Зачётная работа": "control" },
);

const diary = {
  weekStart: "2026-01-12T00:00:00",
  weekEnd: "2026-01-18T00:00:00",
  termName: "3 четверть",
  className: "5А",
  laAssigns: [],
  weekDays: [
    {
      date: "2026-01-12T00:00:00",
      lessons: [
        {
          classmeetingId: 501,
          day: "2026-01-12T00:00:00",
          number: 2,
          relay: 1,
          room: "12",
          startTime: "9:20",
          endTime: "10:05",
          subjectName: "Математика",
          isEaLesson: false,
          assignments: [
            {
              id: 9001,
              typeId: 4,
              assignmentName: "Дроби",
              weight: 2,
              dueDate: "2026-01-12T00:00:00",
              classMeetingId: 501,
              existsTestPlan: false,
              mark: { assignmentId: 9001, studentId: 77, mark: 4, resultScore: null, dutyMark: false },
            },
            {
              id: 9002,
              typeId: 1,
              assignmentName: "Дроби",
              weight: 1,
              dueDate: "2026-01-12T00:00:00",
              classMeetingId: 501,
              mark: { assignmentId: 9002, studentId: 77, mark: null, resultScore: null, dutyMark: true },
            },
            {
              id: 9003,
              typeId: 3,
              assignmentName: "№ 12, 14",
              weight: 0,
              dueDate: "2026-01-14T00:00:00",
              classMeetingId: 501,
            },
          ],
        },
      ],
    },
  ],
};

describe("netschool/mapping", () => {
  it("resolves typeId through the server's types: homework by name, kinds by keyword or override", () => {
    expect(types.get("3")).to.include({ homework: true });
    expect(types.get("4")).to.include({ homework: false, kind: "control" });
    expect(types.get("1")).to.include({ kind: "oral" });
    expect(types.get("9")).to.include({ kind: "federal" });
    expect(types.get("12")).to.include({ kind: "control" });
  });

  it("maps a diary lesson: topic from class work, homework from its type, a mark with its weight, a «точка» as no mark", () => {
    const w = emptyWindow();
    addDiary(w, diary, "GET diary", "77", { classId: "10", className: "5А", types });
    const subjectId = subjectIdOf("Математика");
    expect(w.subjects).to.deep.equal([{ id: subjectId, name: "Математика" }]);
    expect(w.lessons).to.deep.equal([
      {
        id: "501",
        classId: "10",
        subjectId,
        teacherId: teacherSlotId("10", subjectId),
        date: "2026-01-12",
        number: 2,
        start: "09:20",
        end: "10:05",
        topic: "Дроби",
        homework: "№ 12, 14",
      },
    ]);
    expect(w.works.map((x) => [x.id, x.kind])).to.deep.equal([
      ["9001", "control"],
      ["9002", "oral"],
    ]);
    expect(w.marks).to.deep.equal([
      { id: "9001-77", studentId: "77", subjectId, workId: "9001", lessonId: "501", value: 4, weight: 2 },
    ]);
    expect(w.rejected).to.deep.equal([]);
    // No record carries an entry time: the diary has none.
    expect(JSON.stringify(w)).not.to.match(/RecordedAt|recordedAt/);
  });

  it("a second pupil's diary adds marks, not the lesson again; a mark off the 5-point scale is quarantined", () => {
    const w = emptyWindow();
    addDiary(w, diary, "GET diary", "77", { classId: "10", className: "5А", types });
    const other = JSON.parse(JSON.stringify(diary));
    other.weekDays[0].lessons[0].assignments[0].mark = {
      assignmentId: 9001,
      studentId: 78,
      mark: 9,
      dutyMark: false,
    };
    addDiary(w, other, "GET diary 78", "78", { classId: "10", className: "5А", types });
    expect(w.lessons).to.have.length(1);
    expect(w.works).to.have.length(2);
    expect(w.rejected.map((r) => r.reason)).to.deep.equal(["mark 9 outside 1–5"]);
  });

  it("reads class names and terms", () => {
    expect(parseClassName("5А")).to.deep.equal({ grade: 5, letter: "А" });
    expect(parseClassName("10 Б")).to.deep.equal({ grade: 10, letter: "Б" });
    expect(parseClassName("Выпуск")).to.equal(null);
    expect(
      mapTerm({ title: "3 четверть", value: "33" }, { start: "2026-01-12", end: "2026-03-27" }),
    ).to.deep.equal({
      id: "33",
      kind: "quarter",
      number: 3,
      start: "2026-01-12",
      end: "2026-03-27",
    });
    expect(
      mapTerm({ title: "2 полугодие", value: "8" }, { start: "2026-01-12", end: "2026-05-26" })?.kind,
    ).to.equal("semester");
  });
});
