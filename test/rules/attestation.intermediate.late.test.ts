import type { Period } from "../../src/model/records.ts";
import { rule } from "../../src/rules/attestation.intermediate.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson, mark, work } from "./support/school.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
// Q1 ends Fri 24.10.2025. Two working days before: Thu 23.10, Wed 22.10 → due by the end of 22.10.
const T1: Period = { id: "t1", kind: "trimester", number: 1, start: "2025-09-01", end: "2025-10-27" };
// Terms ending on a day off: the count starts from the term's last working day.
const SAT_END: Period = { id: "t1", kind: "trimester", number: 1, start: "2025-09-01", end: "2025-10-25" };
const SUN_END: Period = { id: "t1", kind: "trimester", number: 1, start: "2025-09-01", end: "2025-10-26" };
// Quarters for 10–11 only, a semester for 5А: the work of 5А is judged by its semester (ends Sat
// 27.12 in a five-day week: last working day Fri 26.12, due by the end of Wed 24.12).
const Q_10: Period = {
  id: "q-10",
  kind: "quarter",
  number: 1,
  start: "2025-09-01",
  end: "2025-10-24",
  classIds: ["10a"],
};
const S_5: Period = {
  id: "s-5",
  kind: "semester",
  number: 1,
  start: "2025-09-01",
  end: "2025-12-27",
  classIds: ["5a"],
};
const L = lesson("l1", "2025-10-10", { substituteTeacherId: "t-sub" });
const inter = (recordedAt: string, more = {}) =>
  journal(AS_OF, {
    lessons: [L],
    works: [work("w1", "2025-10-10", { kind: "intermediate", lessonId: "l1" })],
    marks: [mark("m1", { workId: "w1", recordedAt })],
    ...more,
  });

ruleTester(rule, {
  valid: [
    { name: "entered by the end of 22.10", journal: inter("2025-10-22T23:59:00+03:00"), asOf: AS_OF },
    {
      name: "a school holiday on 23.10 moves the deadline back to 21.10 — 21.10 is in time",
      journal: inter("2025-10-21T15:00:00+03:00"),
      asOf: AS_OF,
      overrides: [{ date: "2025-10-23", kind: "holiday" }],
    },
    {
      name: "six-day week, a term ending Mon 27.10: Sat 25 and Fri 24 are the two days — 24.10 is in time",
      journal: inter("2025-10-24T10:00:00+03:00", { periods: [T1] }),
      asOf: AS_OF,
      workweek: 6,
    },
    {
      name: "class scope: a 5А work is due by its semester, not by the 10–11 quarter",
      journal: inter("2025-10-23T09:00:00+03:00", { periods: [Q_10, S_5] }),
      asOf: "2026-01-20T12:00:00+03:00",
    },
    {
      name: "a work in no term has no deadline",
      journal: journal(AS_OF, {
        works: [work("w1", "2025-08-20", { kind: "intermediate" })],
        marks: [mark("m1", { workId: "w1", recordedAt: "2025-11-01T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
  ],
  invalid: [
    {
      name: "class scope: a 5А work marked on 25.12 is late for its semester",
      journal: inter("2025-12-25T09:00:00+03:00", { periods: [Q_10, S_5] }),
      asOf: "2026-01-20T12:00:00+03:00",
      findings: [
        {
          key: "w1",
          responsibleId: "t-sub",
          deadline: "2025-12-24T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "five-day week, a term ending Sat 25.10: its last working day is Fri 24, so due 22.10 — 23.10 is late",
      journal: inter("2025-10-23T10:00:00+03:00", { periods: [SAT_END] }),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-sub",
          deadline: "2025-10-22T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "six-day week, a term ending Sun 26.10: its last working day is Sat 25, so due 23.10 — 24.10 is late",
      journal: inter("2025-10-24T10:00:00+03:00", { periods: [SUN_END] }),
      asOf: AS_OF,
      workweek: 6,
      findings: [
        {
          key: "w1",
          responsibleId: "t-sub",
          deadline: "2025-10-23T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "entered on 23.10, one working day before the end",
      journal: inter("2025-10-23T09:00:00+03:00"),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-sub",
          deadline: "2025-10-22T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "a school holiday on 23.10: due 21.10, so 22.10 is late",
      journal: inter("2025-10-22T09:00:00+03:00"),
      asOf: AS_OF,
      overrides: [{ date: "2025-10-23", kind: "holiday" }],
      findings: [
        {
          key: "w1",
          responsibleId: "t-sub",
          deadline: "2025-10-21T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "five-day week, a term ending Mon 27.10: Fri 24 and Thu 23 are the two days — 24.10 is late",
      journal: inter("2025-10-24T10:00:00+03:00", { periods: [T1] }),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-sub",
          deadline: "2025-10-23T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
  ],
});
