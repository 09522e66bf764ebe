import { rule } from "../../src/rules/attestation.final.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, mark, work } from "./support/school.ts";

const AS_OF = "2026-03-01T12:00:00+03:00";
// Итоговое собеседование on Wed 11.02.2026, results announced Mon 23.02 (a holiday) → announced
// date itself is a day off; the next working day is Tue 24.02.
const final = (recordedAt: string, announced = "2026-02-20") =>
  journal(AS_OF, {
    works: [work("w1", "2026-02-11", { kind: "final", resultsAnnouncedOn: announced })],
    marks: [mark("m1", { workId: "w1", value: "зч", recordedAt })],
    lessons: [],
  });

ruleTester(rule, {
  valid: [
    {
      name: "results of Fri 20.02 entered on Tue 24.02 (23.02 is a holiday)",
      journal: final("2026-02-24T18:00:00+03:00"),
      asOf: AS_OF,
    },
    {
      name: "002 §7 «не позже суток»: unit days — 21.02 is in time",
      journal: final("2026-02-21T18:00:00+03:00"),
      asOf: AS_OF,
      params: { unit: "days" },
    },
  ],
  invalid: [
    {
      name: "entered on Wed 25.02, after the next working day",
      journal: final("2026-02-25T08:00:00+03:00"),
      asOf: AS_OF,
      // No lesson: the class's subject teacher is unknown in this journal.
      findings: [
        {
          key: "w1",
          responsibleId: null,
          deadline: "2026-02-24T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "unit days: 22.02 is past the day after",
      journal: final("2026-02-22T08:00:00+03:00"),
      asOf: AS_OF,
      params: { unit: "days" },
      findings: [
        {
          key: "w1",
          responsibleId: null,
          deadline: "2026-02-21T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
  ],
});
