import type { Period } from "../../src/model/records.ts";
import { rule } from "../../src/rules/year.close.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson, mark } from "./support/school.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const PREVIOUS: Period = { id: "y2024", kind: "year", number: 1, start: "2024-09-02", end: "2025-05-26" };
const DUE = "2025-08-30T20:59:59.999Z";
const yearMark = (recordedAt: string) => ({
  studentId: "s1",
  subjectId: "math",
  periodId: "y2024",
  value: 4,
  recordedAt,
});
const J = (more = {}) => journal(AS_OF, { periods: [PREVIOUS], ...more });

ruleTester(rule, {
  valid: [
    {
      name: "the last entry at 23:59 of 30 August",
      journal: J({ periodMarks: [yearMark("2025-08-30T23:59:00+03:00")] }),
      asOf: AS_OF,
    },
    {
      name: "an outage over the deadline until Sunday 31.08: the year may be closed by the end of Monday 01.09",
      journal: J({
        periodMarks: [yearMark("2025-09-01T12:00:00+03:00")],
        outages: [{ from: "2025-08-30T20:00:00+03:00", to: "2025-08-31T10:00:00+03:00", origin: "sync" }],
      }),
      asOf: AS_OF,
    },
    {
      name: "checked before the deadline",
      journal: J({ periodMarks: [yearMark("2025-08-25T10:00:00+03:00")] }),
      asOf: "2025-08-30T12:00:00+03:00",
    },
    {
      name: "a lesson of the year first seen later, no read in between",
      journal: J({
        lessons: [lesson("l1", "2025-05-20", { firstSeenAt: "2025-09-05T10:00:00+03:00" } as object)],
      }),
      asOf: AS_OF,
    },
  ],
  invalid: [
    {
      name: "a year mark and a mark of the year entered in September: the first one proves it",
      journal: J({
        lessons: [lesson("l1", "2025-05-20")],
        marks: [mark("m1", { lessonId: "l1", recordedAt: "2025-09-01T09:00:00+03:00" })],
        periodMarks: [yearMark("2025-09-02T11:00:00+03:00")],
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "y2024|closed",
          responsibleId: "adm",
          deadline: DUE,
          evidence: { kind: "platform-timestamp", recordedAt: "2025-09-01T09:00:00+03:00" },
        },
      ],
    },
    {
      name: "a lesson of the year absent from a read after the deadline",
      journal: J({
        lessons: [
          lesson("l1", "2025-05-20", {
            firstSeenAt: "2025-09-05T10:00:00+03:00",
            lastAbsentAt: "2025-09-01T10:00:00+03:00",
          } as object),
        ],
      }),
      asOf: AS_OF,
      findings: [{ key: "y2024|closed", responsibleId: "adm", deadline: DUE, evidence: "observed-late" }],
    },
  ],
});
