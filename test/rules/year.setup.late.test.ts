import type { Lesson } from "../../src/model/records.ts";
import { rule } from "../../src/rules/year.setup.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, YEAR } from "./support/school.ts";
import { weekly } from "./support/timetable.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const DUE = "2025-09-10T20:59:59.999Z";
const from = (classId: string, start: string, more: Partial<Lesson> = {}) =>
  weekly("math", [1, 2, 3, 4, 5], start, "2025-10-24", { classId, ...more });
const J = (lessons: Lesson[], more = {}) => journal(AS_OF, { periods: [YEAR], lessons, ...more });

ruleTester(rule, {
  valid: [
    {
      name: "every class has lessons from 1 September",
      journal: J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-01")]),
      asOf: AS_OF,
    },
    {
      name: "a class whose first lesson is on 10 September (the deadline day) was set in time",
      journal: J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-10")]),
      asOf: AS_OF,
    },
    {
      name: "the check runs before the deadline's end",
      journal: J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-15")]),
      asOf: "2025-09-10T22:00:00+03:00",
    },
    {
      name: "no class had lessons by the deadline: nothing shows the school had begun",
      journal: J([...from("5a", "2025-09-15"), ...from("1a", "2025-09-15")]),
      asOf: AS_OF,
    },
    {
      name: "lessons first seen later, but no read in between proves they were absent at the deadline",
      journal: J([
        ...from("5a", "2025-09-01"),
        ...from("1a", "2025-09-01", { firstSeenAt: "2025-09-20T10:00:00+03:00" } as Partial<Lesson>),
      ]),
      asOf: AS_OF,
    },
    {
      name: "the last full read of the lessons was before the deadline",
      journal: J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-15")], {
        observations: {
          lessons: {
            lastObservedAt: "2025-09-09T10:00:00+03:00",
            lastFullReadAt: "2025-09-09T10:00:00+03:00",
          },
        },
      }),
      asOf: AS_OF,
    },
  ],
  invalid: [
    {
      name: "1А has no lesson before 15 September while 5А has: its schedule was not set by 10 September",
      journal: J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-15")]),
      asOf: AS_OF,
      findings: [
        {
          key: "y2025|schedule|1a",
          responsibleId: "dep",
          deadline: DUE,
          evidence: { kind: "missing", observedAt: "2025-11-20T09:00:00.000Z" },
        },
      ],
    },
    {
      name: "1А's September lessons were all absent from a read after the deadline",
      journal: J([
        ...from("5a", "2025-09-01"),
        ...from("1a", "2025-09-01", {
          firstSeenAt: "2025-09-12T10:00:00+03:00",
          lastAbsentAt: "2025-09-11T10:00:00+03:00",
        } as Partial<Lesson>),
      ]),
      asOf: AS_OF,
      findings: [
        { key: "y2025|schedule|1a", responsibleId: "dep", deadline: DUE, evidence: "observed-late" },
      ],
    },
    {
      name: "the year itself was created after 1 July (the store's evidence of the period)",
      journal: J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-01")], {
        periods: [
          { ...YEAR, firstSeenAt: "2025-07-05T10:00:00+03:00", lastAbsentAt: "2025-07-03T10:00:00+03:00" },
        ],
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "y2025|created",
          responsibleId: "adm",
          deadline: "2025-07-01T20:59:59.999Z",
          evidence: "observed-late",
        },
      ],
    },
    {
      name: "no 2026/2027 year after 1 July 2026 although 2025/2026 ended",
      journal: {
        ...J([...from("5a", "2025-09-01"), ...from("1a", "2025-09-01")]),
        observedAt: "2026-07-05T10:00:00+03:00",
      },
      asOf: "2026-07-10T10:00:00+03:00",
      findings: [
        {
          key: "2026/2027|created",
          responsibleId: "adm",
          deadline: "2026-07-01T20:59:59.999Z",
          evidence: "missing",
        },
      ],
    },
  ],
});
