import { expect } from "chai";
import type { Lesson, Mark } from "../../src/model/records.ts";
import { requiredMarks, rule } from "../../src/rules/marks.accumulation.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, mark, Q1 } from "./support/school.ts";
import { weekly } from "./support/timetable.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const DUE = "2025-10-24T20:59:59.999Z";
const SEEN = "2025-11-20T09:00:00.000Z";
// Maths twice a week (Mon, Wed; the Monday 13.10 lost to a holiday), Russian three times (Mon, Wed, Fri).
const MATH = weekly("math", [1, 3], Q1.start, Q1.end, { skip: ["2025-10-13"] });
const RUS = weekly("rus", [1, 3, 5], Q1.start, Q1.end);
const GRADE1 = weekly("math", [2], Q1.start, Q1.end, { classId: "1a", teacherId: "t-ct1" });

let n = 0;
function marksOf(studentId: string, lessons: Lesson[], values: Mark["value"][]): Mark[] {
  return values.map((value, i) =>
    mark(`m${++n}`, { studentId, subjectId: lessons[i].subjectId, lessonId: lessons[i].id, value }),
  );
}
const full = (more: Mark[] = []) => [
  ...marksOf("s1", MATH, [5, 4, 3]),
  ...marksOf("s1", RUS, [5, 4, 3, 4, 5]),
  ...marksOf("s2", MATH, [4, 4, 4]),
  ...marksOf("s2", RUS, [3, 4, 3, 4, 4]),
  ...more,
];
const J = (marks: Mark[], more = {}) =>
  journal(AS_OF, { lessons: [...MATH, ...RUS, ...GRADE1], marks, ...more });

// 10–11 study in semesters: a short semester of 10А only is not 5А's term.
const S10 = {
  id: "s10",
  kind: "semester" as const,
  number: 1,
  start: "2025-10-01",
  end: "2025-10-24",
  classIds: ["10a"],
};

describe("marks.accumulation: the minimum for a weekly load", () => {
  it("uses the tightest row covering the load, the open row above", () => {
    const table = [{ maxHoursPerWeek: 1, marks: 3 }, { maxHoursPerWeek: 2, marks: 5 }, { marks: 7 }];
    expect(requiredMarks(1, table)).to.equal(3);
    expect(requiredMarks(2, table)).to.equal(5);
    expect(requiredMarks(3, table)).to.equal(7);
    expect(requiredMarks(5, [{ maxHoursPerWeek: 2, marks: 3 }, { marks: 5 }])).to.equal(5);
  });
});

ruleTester(rule, {
  valid: [
    {
      name: "a term of other classes (semesters of 10–11) is not judged for 5А",
      journal: J(full(), { periods: [{ ...Q1, classIds: ["5a", "1a"] }, S10] }),
      asOf: AS_OF,
    },
    {
      name: "a pupil first in the class on Mon 20.10 owes no marks for the weeks before",
      journal: J(
        full().filter((m) => m.studentId !== "s2"),
        {
          enrollments: [
            { studentId: "s1", classId: "5a" },
            { studentId: "s2", classId: "5a", from: "2025-10-20" },
          ],
        },
      ),
      asOf: AS_OF,
    },
    {
      name: "3 marks for 2 h/week, 5 for 3 h/week; a holiday week does not lower the load; grade 1 is not judged",
      journal: J(full()),
      asOf: AS_OF,
    },
    {
      name: "an exempt student («осв») is not counted",
      journal: J([
        ...full().filter((m) => !(m.studentId === "s2" && m.subjectId === "math")),
        mark("x1", { studentId: "s2", lessonId: MATH[0].id, value: "осв" }),
      ]),
      asOf: AS_OF,
    },
    {
      name: "no full read of the marks after the term: not judged",
      journal: J([], {
        observations: {
          marks: { lastObservedAt: "2025-10-24T18:00:00+03:00", lastFullReadAt: "2025-10-24T18:00:00+03:00" },
        },
      }),
      asOf: AS_OF,
    },
    { name: "the term is not over", journal: J([]), asOf: "2025-10-24T20:00:00+03:00" },
  ],
  invalid: [
    {
      name: "marks entered after the check's moment do not count as of it",
      journal: J(
        full().map((m, i) =>
          m.studentId === "s1" && m.subjectId === "math" && i > 0
            ? { ...m, recordedAt: "2025-11-25T10:00:00+03:00", firstSeenAt: "2025-11-25T10:00:00+03:00" }
            : m,
        ),
      ),
      asOf: AS_OF,
      findings: [
        {
          key: "s1|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 1, required: 3, observedAt: SEEN },
        },
      ],
    },
    {
      name: "a pupil first in the class on Mon 06.10 owes the minimum in proportion to the lessons since",
      journal: J(
        full().filter((m) => m.studentId !== "s2"),
        {
          enrollments: [
            { studentId: "s1", classId: "5a" },
            { studentId: "s2", classId: "5a", from: "2025-10-06" },
          ],
        },
      ),
      asOf: AS_OF,
      findings: [
        {
          key: "s2|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 0, required: 1, observedAt: SEEN },
        },
        {
          key: "s2|rus|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 0, required: 1, observedAt: SEEN },
        },
      ],
    },
    {
      name: "two marks in maths (2 h/week needs 3), four in Russian (3 h/week needs 5); codes do not count",
      journal: J([
        ...marksOf("s1", MATH, [5, 4, 3]),
        ...marksOf("s1", RUS, [5, 4, 3, 4, 5]),
        ...marksOf("s2", MATH, [4, 4, "н/а"]),
        ...marksOf("s2", RUS, [3, 4, 3, 4]),
      ]),
      asOf: AS_OF,
      findings: [
        {
          key: "s2|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 2, required: 3, observedAt: SEEN },
        },
        {
          key: "s2|rus|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 4, required: 5, observedAt: SEEN },
        },
      ],
    },
    {
      name: "a table of 3/5/7: maths (2 h) needs 5, Russian (3 h) needs 7",
      journal: J(full()),
      asOf: AS_OF,
      params: {
        minimums: [{ maxHoursPerWeek: 1, marks: 3 }, { maxHoursPerWeek: 2, marks: 5 }, { marks: 7 }],
      },
      findings: [
        {
          key: "s1|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 3, required: 5, observedAt: SEEN },
        },
        {
          key: "s1|rus|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 5, required: 7, observedAt: SEEN },
        },
        {
          key: "s2|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 3, required: 5, observedAt: SEEN },
        },
        {
          key: "s2|rus|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 5, required: 7, observedAt: SEEN },
        },
      ],
    },
    {
      name: "six-day week: maths on Mon, Wed and Sat is 3 h/week and needs 5",
      journal: journal(AS_OF, {
        lessons: weekly("math", [1, 3, 6], Q1.start, Q1.end),
        marks: [...marksOf("s1", weekly("math", [1, 3, 6], Q1.start, Q1.end), [5, 5, 5, 5, 5])],
      }),
      asOf: AS_OF,
      workweek: 6,
      findings: [
        {
          key: "s2|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "count", counted: 0, required: 5, observedAt: SEEN },
        },
      ],
    },
  ],
});
