import { rule } from "../../src/rules/mark.external.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson, mark, work } from "./support/school.ts";

const AS_OF = "2025-12-20T12:00:00+03:00";
const L = lesson("l1", "2025-10-14");
// Results announced Fri 31.10.2025: the next working day is Sat 01.11 (a transferred working day).
const ext = (
  recordedAt: string | undefined,
  more: { kind?: "regional" | "federal"; announced?: string } = {},
) =>
  journal(AS_OF, {
    lessons: [L],
    works: [
      work("w1", "2025-10-14", {
        lessonId: "l1",
        kind: more.kind ?? "regional",
        ...(more.announced !== null ? { resultsAnnouncedOn: more.announced ?? "2025-10-31" } : {}),
      }),
    ],
    marks: recordedAt ? [mark("m1", { workId: "w1", recordedAt })] : [],
  });

ruleTester(rule, {
  valid: [
    {
      name: "entered on the working day after the results",
      journal: ext("2025-11-01T23:59:00+03:00"),
      asOf: AS_OF,
    },
    {
      name: "six-day week, results on Sat 15.11: due Mon 17.11",
      journal: ext("2025-11-17T20:00:00+03:00", { announced: "2025-11-15" }),
      asOf: AS_OF,
      workweek: 6,
    },
    {
      name: "no announcement date yet: no deadline",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [work("w1", "2025-10-14", { kind: "federal" })],
        marks: [mark("m1", { workId: "w1", recordedAt: "2025-12-01T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
    {
      name: "written works are mark.written.late's concern",
      journal: journal(AS_OF, {
        works: [work("w1", "2025-10-14", { resultsAnnouncedOn: "2025-10-15" })],
        marks: [mark("m1", { workId: "w1", recordedAt: "2025-12-01T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
  ],
  invalid: [
    {
      name: "the transferred Saturday is the next working day: Monday 03.11 (a day off) is late",
      journal: ext("2025-11-03T10:00:00+03:00"),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: "2025-11-01T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "federal work, results on Fri 12.12: due Mon 15.12 in a five-day week",
      journal: ext("2025-12-16T09:00:00+03:00", { kind: "federal", announced: "2025-12-12" }),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: "2025-12-15T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "no marks at all after the deadline",
      journal: ext(undefined),
      asOf: AS_OF,
      findings: [
        { key: "w1", responsibleId: "t-math", deadline: "2025-11-01T20:59:59.999Z", evidence: "missing" },
      ],
    },
  ],
});
