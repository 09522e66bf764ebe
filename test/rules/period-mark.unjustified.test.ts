import { expect } from "chai";
import type { Mark, PeriodMark } from "../../src/model/records.ts";
import { acceptedMarks, markForMean, rule } from "../../src/rules/period-mark.unjustified.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson, mark } from "./support/school.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const DUE = "2025-10-28T20:59:59.999Z";
const DATES = ["2025-09-08", "2025-09-15", "2025-09-22", "2025-09-29", "2025-10-06", "2025-10-13"];
const LESSONS = DATES.map((d, i) => lesson(`l${i}`, d));

/** Current marks of s1 in maths in Q1, one a lesson; `[value, weight]`. */
function marks(...values: (number | "осв" | [number, number])[]): Mark[] {
  return values.map((v, i) => {
    const [value, weight] = Array.isArray(v) ? v : [v, undefined];
    return mark(`m${i}`, { lessonId: `l${i}`, value, ...(weight ? { weight } : {}) });
  });
}
const pm = (value: PeriodMark["value"], periodId = "q1"): PeriodMark => ({
  studentId: "s1",
  subjectId: "math",
  periodId,
  value,
});
const J = (current: Mark[], periodMarks: PeriodMark[]) =>
  journal(AS_OF, { lessons: LESSONS, marks: current, periodMarks });

describe("period-mark.unjustified: the mean → mark cut-off", () => {
  const p = { cutoffs: [2.5, 3.5, 4.5] as [number, number, number], rounding: "in-favour" as const };
  it("gives 5 at exactly 4.5 in the student's favour, 4 when strict", () => {
    expect(markForMean(4.5, p)).to.equal(5);
    expect(markForMean(4.5, { ...p, rounding: "strict" })).to.equal(4);
    expect(markForMean(4.4999, p)).to.equal(4);
  });
  it("follows other cut-offs: 3.6 → 4 with 2.6/3.6/4.6, → 3 with 2.65/3.65/4.65", () => {
    expect(markForMean(3.6, { ...p, cutoffs: [2.6, 3.6, 4.6] })).to.equal(4);
    expect(markForMean(3.6, { ...p, cutoffs: [2.65, 3.65, 4.65] })).to.equal(3);
    expect(markForMean(2.49, p)).to.equal(2);
    // Marks 3, 2, 4, 5 of weight 0.1 average to 3.4999999999999996 in floating point: still 4.
    expect(markForMean((3 * 0.1 + 2 * 0.1 + 4 * 0.1 + 5 * 0.1) / (4 * 0.1), p)).to.equal(4);
  });
  it("accepts the marks of any mean within the tolerance", () => {
    expect(acceptedMarks(4.2, { ...p, meanTolerance: 0.3 })).to.deep.equal([4, 5]);
    expect(acceptedMarks(4.2, { ...p, meanTolerance: 0.2 })).to.deep.equal([4, 4]);
  });
  it("refuses cut-offs that do not rise", () => {
    expect(() => rule.params.parse({ cutoffs: [3.5, 2.5, 4.5] })).to.throw();
  });
});

ruleTester(rule, {
  valid: [
    // 5·2 + 4 + 3 + 4 = 21 over weight 5 → 4.2 → 4.
    { name: "weighted mean 4.2 → 4", journal: J(marks([5, 2], 4, 3, 4), [pm(4)]), asOf: AS_OF },
    // 5·2 + 4 + 4 = 18 over 4 → 4.5 → 5 (unweighted 13/3 = 4.33 would give 4).
    {
      name: "the weight counts: 4.5 → 5 in the student's favour",
      journal: J(marks([5, 2], 4, 4), [pm(5)]),
      asOf: AS_OF,
    },
    // 4+4+4+3+3 = 18/5 = 3.6 → 4 with 2.6/3.6/4.6.
    {
      name: "cut-offs 2.6/3.6/4.6: 3.6 → 4",
      journal: J(marks(4, 4, 4, 3, 3), [pm(4)]),
      asOf: AS_OF,
      params: { cutoffs: [2.6, 3.6, 4.6] },
    },
    {
      name: "a tolerance of 0.3 accepts 5 for 4.2",
      journal: J(marks([5, 2], 4, 3, 4), [pm(5)]),
      asOf: AS_OF,
      params: { meanTolerance: 0.3 },
    },
    { name: "codes are not judged: н/а", journal: J(marks(2, 2), [pm("н/а")]), asOf: AS_OF },
    {
      name: "«осв» marks are not averaged: 5, 5, осв → 5",
      journal: J(marks(5, 5, "осв"), [pm(5)]),
      asOf: AS_OF,
    },
    { name: "no current marks: nothing to compare with", journal: J([], [pm(5)]), asOf: AS_OF },
    { name: "the period is not over", journal: J(marks(3, 3), [pm(5)]), asOf: "2025-10-24T12:00:00+03:00" },
  ],
  invalid: [
    {
      name: "4.2 but 5",
      journal: J(marks([5, 2], 4, 3, 4), [pm(5)]),
      asOf: AS_OF,
      findings: [
        {
          key: "s1|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: {
            kind: "value",
            expected: "4",
            actual: "5",
            basis:
              "weighted mean of the term's current marks: 4.20 of 4 mark(s); cut-offs 2.5/3.5/4.5, in-favour, tolerance 0",
          },
        },
      ],
    },
    {
      name: "strict rounding: exactly 4.5 is 4, so 5 is unjustified",
      journal: J(marks(5, 4), [pm(5)]),
      asOf: AS_OF,
      params: { rounding: "strict" },
      findings: [{ key: "s1|math|q1", responsibleId: "t-math", deadline: DUE, evidence: "value" }],
    },
    {
      name: "cut-offs 2.65/3.65/4.65: 3.6 → 3, so 4 is unjustified",
      journal: J(marks(4, 4, 4, 3, 3), [pm(4)]),
      asOf: AS_OF,
      params: { cutoffs: [2.65, 3.65, 4.65] },
      findings: [{ key: "s1|math|q1", responsibleId: "t-math", deadline: DUE, evidence: "value" }],
    },
    {
      name: "a tolerance of 0.2 does not reach 4.5",
      journal: J(marks([5, 2], 4, 3, 4), [pm(5)]),
      asOf: AS_OF,
      params: { meanTolerance: 0.2 },
      findings: [{ key: "s1|math|q1", responsibleId: "t-math", deadline: DUE, evidence: "value" }],
    },
    {
      name: "a mark below the mean is as unjustified as one above: 4.8 → 5 but 3",
      journal: J(marks(5, 5, 5, 5, 4), [pm(3)]),
      asOf: AS_OF,
      findings: [{ key: "s1|math|q1", responsibleId: "t-math", deadline: DUE, evidence: "value" }],
    },
    {
      name: "a year mark follows the term marks: 5 and 4 → 4.5 → 5, not 4",
      journal: J([], [pm(5, "q1"), pm(4, "q2"), pm(4, "y2025")]),
      asOf: "2026-06-10T12:00:00+03:00",
      findings: [
        {
          key: "s1|math|y2025",
          responsibleId: "t-math",
          deadline: "2026-05-30T20:59:59.999Z",
          evidence: {
            kind: "value",
            expected: "5",
            actual: "4",
            basis:
              "mean of the year's term marks: 4.50 of 2 mark(s); cut-offs 2.5/3.5/4.5, in-favour, tolerance 0",
          },
        },
      ],
    },
  ],
});
