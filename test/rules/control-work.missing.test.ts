import { rule } from "../../src/rules/control-work.missing.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, Q1, work } from "./support/school.ts";
import { weekly } from "./support/timetable.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const DUE = "2025-10-24T20:59:59.999Z";
const LESSONS = [
  ...weekly("math", [1, 3], Q1.start, Q1.end),
  ...weekly("rus", [2, 4], Q1.start, Q1.end, { teacherId: "t-ct" }),
  ...weekly("math", [2], Q1.start, Q1.end, { classId: "1a", teacherId: "t-ct1" }),
];
const J = (works: ReturnType<typeof work>[], more = {}) =>
  journal(AS_OF, { lessons: LESSONS, works, ...more });

ruleTester(rule, {
  valid: [
    {
      name: "a control work in maths and a lab in Russian; grade 1 has none and is not judged",
      journal: J([
        work("w1", "2025-10-01", { kind: "control" }),
        work("w2", "2025-10-24", { subjectId: "rus", kind: "lab" }),
      ]),
      asOf: AS_OF,
    },
    {
      name: "no full read of the works after the term",
      journal: J([], {
        observations: {
          works: { lastObservedAt: "2025-10-24T12:00:00+03:00", lastFullReadAt: "2025-10-24T12:00:00+03:00" },
        },
      }),
      asOf: AS_OF,
    },
    { name: "the term is not over", journal: J([]), asOf: "2025-10-24T23:00:00+03:00" },
  ],
  invalid: [
    {
      name: "Russian has only an oral work and an intermediate attestation; a control work after the term does not count",
      journal: J([
        work("w1", "2025-10-01", { kind: "test" }),
        work("w2", "2025-10-02", { subjectId: "rus", kind: "oral" }),
        work("w3", "2025-10-09", { subjectId: "rus", kind: "intermediate" }),
        work("w4", "2025-11-06", { subjectId: "rus", kind: "control" }),
      ]),
      asOf: AS_OF,
      findings: [
        {
          key: "5a|rus|q1",
          responsibleId: "t-ct",
          deadline: DUE,
          evidence: { kind: "missing", observedAt: "2025-11-20T09:00:00.000Z" },
        },
      ],
    },
    {
      name: "kinds as a parameter: only control works count",
      journal: J([
        work("w1", "2025-10-01", { kind: "control" }),
        work("w2", "2025-10-02", { subjectId: "rus", kind: "written" }),
      ]),
      asOf: AS_OF,
      params: { kinds: ["control"] },
      findings: [{ key: "5a|rus|q1", responsibleId: "t-ct", deadline: DUE, evidence: "missing" }],
    },
  ],
});
