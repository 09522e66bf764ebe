import type { Period } from "../../src/model/records.ts";
import { rule } from "../../src/rules/period-mark.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson } from "./support/school.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
// Q1 ends Fri 24.10.2025; 4 days after: Tue 28.10 → due by the end of 28.10 (Moscow).
const DUE = "2025-10-28T20:59:59.999Z";
const LESSONS = [
  lesson("l1", "2025-10-14"),
  lesson("l9", "2025-10-14", { classId: "1a", teacherId: "t-ct1" }),
];
const pm = (studentId: string, recordedAt: string, value: number | "осв" = 4, periodId = "q1") => ({
  studentId,
  subjectId: "math",
  periodId,
  value,
  recordedAt,
});
// A school with quarters in 2–9 and semesters in 10–11: each class is owed marks of its own terms.
const Q1_5: Period = {
  id: "q1",
  kind: "quarter",
  number: 1,
  start: "2025-09-01",
  end: "2025-10-24",
  classIds: ["5a", "1a"],
};
const S1_10: Period = {
  id: "s1-10",
  kind: "semester",
  number: 1,
  start: "2025-09-01",
  end: "2025-12-27",
  classIds: ["10a"],
};
const LATER = "2026-01-20T12:00:00+03:00";
const PREVIOUS: Period = { id: "y2024", kind: "year", number: 1, start: "2024-09-02", end: "2025-05-26" };

ruleTester(rule, {
  valid: [
    {
      name: "both students' marks by 23:59 of the fourth day; grade 1 gets none",
      journal: journal(AS_OF, {
        lessons: LESSONS,
        periodMarks: [pm("s1", "2025-10-28T23:59:00+03:00"), pm("s2", "2025-10-24T15:00:00+03:00", "осв")],
      }),
      asOf: AS_OF,
    },
    {
      name: "an outage over the deadline: entered the next morning, within the day access resumed",
      journal: journal(AS_OF, {
        lessons: LESSONS,
        periodMarks: [pm("s1", "2025-10-29T12:00:00+03:00"), pm("s2", "2025-10-29T12:00:00+03:00")],
        outages: [{ from: "2025-10-28T21:00:00+03:00", to: "2025-10-29T08:00:00+03:00", origin: "dataset" }],
      }),
      asOf: AS_OF,
    },
    {
      name: "no marks, but the last full read was before the deadline",
      journal: journal(AS_OF, {
        lessons: LESSONS,
        observations: {
          periodMarks: {
            lastObservedAt: "2025-10-28T10:00:00+03:00",
            lastFullReadAt: "2025-10-28T10:00:00+03:00",
          },
        },
      }),
      asOf: AS_OF,
    },
    {
      name: "quarters in 2–9, semesters in 10–11: 5А owes no semester marks",
      journal: journal(LATER, {
        periods: [Q1_5, S1_10],
        lessons: LESSONS,
        periodMarks: [pm("s1", "2025-10-24T15:00:00+03:00"), pm("s2", "2025-10-24T15:00:00+03:00")],
      }),
      asOf: LATER,
    },
    {
      name: "a pupil first in the class after the quarter is not owed its mark",
      journal: journal(AS_OF, {
        lessons: LESSONS,
        periodMarks: [pm("s1", "2025-10-27T10:00:00+03:00")],
        enrollments: [
          { studentId: "s1", classId: "5a" },
          { studentId: "s2", classId: "5a", from: "2025-11-05" },
          { studentId: "s9", classId: "1a" },
        ],
      }),
      asOf: AS_OF,
    },
    { name: "not due yet", journal: journal(AS_OF, { lessons: LESSONS }), asOf: "2025-10-28T23:00:00+03:00" },
  ],
  invalid: [
    {
      name: "a mark entered after the check's moment is missing as of then (a full read after the deadline lacked it)",
      journal: journal(AS_OF, {
        lessons: LESSONS,
        periodMarks: [
          { ...pm("s1", "2025-11-25T10:00:00+03:00"), firstSeenAt: "2025-11-25T10:00:00+03:00" },
          pm("s2", "2025-10-27T10:00:00+03:00"),
        ],
        observations: {
          periodMarks: {
            lastObservedAt: "2025-11-25T10:00:00+03:00",
            lastFullReadAt: "2025-11-01T10:00:00+03:00",
          },
        },
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "s1|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "missing", observedAt: "2025-11-01T07:00:00.000Z" },
        },
      ],
    },
    {
      name: "one entered at 00:00 of the fifth day, one never entered",
      journal: journal(AS_OF, { lessons: LESSONS, periodMarks: [pm("s1", "2025-10-29T00:00:00+03:00")] }),
      asOf: AS_OF,
      findings: [
        { key: "s1|math|q1", responsibleId: "t-math", deadline: DUE, evidence: "platform-timestamp" },
        {
          key: "s2|math|q1",
          responsibleId: "t-math",
          deadline: DUE,
          evidence: { kind: "missing", observedAt: "2025-11-20T09:00:00.000Z" },
        },
      ],
    },
    {
      name: "a previous year's mark entered in September (the class teacher of the subject by all lessons)",
      journal: journal(AS_OF, {
        periods: [PREVIOUS],
        lessons: LESSONS,
        periodMarks: [pm("s1", "2025-09-02T11:00:00+03:00", 5, "y2024")],
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "s1|math|y2024",
          responsibleId: "t-math",
          deadline: "2025-05-30T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "time zone Asia/Vladivostok: 23:30 of the 28th in Moscow is the 29th there",
      journal: journal(AS_OF, {
        lessons: LESSONS,
        periodMarks: [pm("s1", "2025-10-28T23:30:00+03:00"), pm("s2", "2025-10-28T10:00:00+03:00")],
      }),
      asOf: AS_OF,
      timezone: "Asia/Vladivostok",
      findings: [
        {
          key: "s1|math|q1",
          responsibleId: "t-math",
          deadline: "2025-10-28T13:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
  ],
});
