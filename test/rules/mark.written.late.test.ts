import { rule } from "../../src/rules/mark.written.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson, mark, work } from "./support/school.ts";

// Work on Tue 14.10.2025; 5 working days: 15, 16, 17, 20, 21 → due by the end of 21.10 (Moscow).
const W = work("w1", "2025-10-14", { lessonId: "l1" });
const L = lesson("l1", "2025-10-14");
const DUE_21 = "2025-10-21T20:59:59.999Z";
const AS_OF = "2025-11-20T12:00:00+03:00";
const on = (recordedAt: string, more = {}) =>
  journal(AS_OF, {
    lessons: [L],
    works: [W],
    marks: [mark("m1", { workId: "w1", lessonId: "l1", recordedAt })],
    ...more,
  });

// Thu 30.10.2025: Fri 31.10, Sat 01.11 (transferred working day), Mon 03.11 and Tue 04.11 off,
// Wed 05.11, Thu 06.11, Fri 07.11 → due by the end of 07.11.
const W30 = work("w30", "2025-10-30");
const at30 = (recordedAt: string) =>
  journal(AS_OF, {
    lessons: [L],
    works: [W30],
    marks: [mark("m30", { workId: "w30", recordedAt })],
  });

// Thu 23.10.2025 before the autumn vacation 25.10–04.11: the vacation is teachers' working time, so
// Fri 24, Mon 27 … Thu 30.10 are the five days → due by the end of 30.10; a school whose act makes
// vacation days off counts Fri 24, Wed 05, Thu 06, Fri 07, Mon 10.11.
const AUTUMN = Array.from({ length: 11 }, (_, i) => {
  const d = new Date(Date.UTC(2025, 9, 25 + i)).toISOString().slice(0, 10);
  return { date: d, kind: "vacation" as const };
});
const W23 = work("w23", "2025-10-23");
const at23 = (recordedAt: string) =>
  journal(AS_OF, { lessons: [L], works: [W23], marks: [mark("m23", { workId: "w23", recordedAt })] });

ruleTester(rule, {
  valid: [
    {
      name: "vacation off by the school's act: 07.11 is within five working days of 23.10",
      journal: at23("2025-11-07T12:00:00+03:00"),
      asOf: AS_OF,
      overrides: AUTUMN,
      vacationIsWorkingTime: false,
    },
    {
      name: "vacation as working time: 30.10 is the fifth working day after 23.10",
      journal: at23("2025-10-30T23:00:00+03:00"),
      asOf: AS_OF,
      overrides: AUTUMN,
    },
    { name: "marked in the deadline's last minute", journal: on("2025-10-21T23:59:00+03:00"), asOf: AS_OF },
    { name: "marked the next day", journal: on("2025-10-15T18:00:00+03:00"), asOf: AS_OF },
    {
      name: "a holiday inside the five days moves the deadline (07.11, not 06.11)",
      journal: at30("2025-11-07T20:00:00+03:00"),
      asOf: AS_OF,
    },
    {
      name: "time zone: 23:30 in Novosibirsk is still the 21st there",
      journal: on("2025-10-21T23:30:00+07:00"),
      asOf: AS_OF,
      timezone: "Asia/Novosibirsk",
    },
    {
      name: "an outage over the deadline moves it to the end of the day access resumed",
      journal: on("2025-10-22T18:00:00+03:00", {
        outages: [{ from: "2025-10-21T19:00:00+03:00", to: "2025-10-22T10:00:00+03:00", origin: "dataset" }],
      }),
      asOf: AS_OF,
    },
    {
      name: "grade 1 is not judged (001 §3.5: grades 2–11)",
      journal: journal(AS_OF, {
        works: [work("w1", "2025-10-14", { classId: "1a" })],
        marks: [mark("m1", { studentId: "s9", workId: "w1", recordedAt: "2025-11-01T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
    {
      name: "no platform time and no read before it appeared: nothing proven",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [W],
        marks: [mark("m1", { workId: "w1", firstSeenAt: "2025-11-01T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
    {
      name: "no marks, but the last full read was before the deadline",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [W],
        observations: {
          marks: { lastObservedAt: "2025-10-21T12:00:00+03:00", lastFullReadAt: "2025-10-21T12:00:00+03:00" },
        },
      }),
      asOf: AS_OF,
    },
    {
      name: "not due yet as of the check",
      journal: journal(AS_OF, { lessons: [L], works: [W] }),
      asOf: "2025-10-21T22:00:00+03:00",
    },
    {
      name: "oral and intermediate works are other rules' concern",
      journal: journal(AS_OF, {
        works: [
          work("w1", "2025-10-14", { kind: "oral" }),
          work("w2", "2025-10-14", { kind: "intermediate" }),
        ],
        marks: [
          mark("m1", { workId: "w1", recordedAt: "2025-11-01T10:00:00+03:00" }),
          mark("m2", { workId: "w2", recordedAt: "2025-11-01T10:00:00+03:00" }),
        ],
      }),
      asOf: AS_OF,
    },
    {
      name: "004: 7 calendar days — 21.10 is the last day",
      journal: on("2025-10-21T12:00:00+03:00"),
      asOf: AS_OF,
      params: { days: 7, unit: "days" },
    },
  ],
  invalid: [
    {
      name: "vacation is teachers' working time: marked 31.10 (in the vacation) is late, due 30.10",
      journal: at23("2025-10-31T12:00:00+03:00"),
      asOf: AS_OF,
      overrides: AUTUMN,
      findings: [
        {
          key: "w23",
          responsibleId: "t-math",
          deadline: "2025-10-30T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "marked one minute after the deadline day",
      journal: on("2025-10-22T00:00:00+03:00"),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: DUE_21,
          evidence: { kind: "platform-timestamp", recordedAt: "2025-10-22T00:00:00+03:00" },
        },
      ],
    },
    {
      name: "a transferred working Saturday counts: 08.11 is already late",
      journal: at30("2025-11-08T10:00:00+03:00"),
      asOf: AS_OF,
      findings: [
        {
          key: "w30",
          responsibleId: "t-math",
          deadline: "2025-11-07T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "six-day week: Saturday 18.10 counts, the deadline is 20.10",
      journal: on("2025-10-21T10:00:00+03:00"),
      asOf: AS_OF,
      workweek: 6,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: "2025-10-20T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "time zone: 00:30 of the 22nd in Novosibirsk is late there",
      journal: on("2025-10-22T00:30:00+07:00"),
      asOf: AS_OF,
      timezone: "Asia/Novosibirsk",
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: "2025-10-21T16:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "an outage moves the deadline, a mark after the moved one is late",
      journal: on("2025-10-23T09:00:00+03:00", {
        outages: [{ from: "2025-10-21T19:00:00+03:00", to: "2025-10-22T10:00:00+03:00", origin: "sync" }],
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: "2025-10-22T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "seen only after a full read past the deadline that lacked it",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [W],
        marks: [
          mark("m1", {
            workId: "w1",
            firstSeenAt: "2025-10-23T08:00:00+03:00",
            lastAbsentAt: "2025-10-22T08:00:00+03:00",
          }),
        ],
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: DUE_21,
          evidence: {
            kind: "observed-late",
            lastAbsentAt: "2025-10-22T08:00:00+03:00",
            firstSeenAt: "2025-10-23T08:00:00+03:00",
          },
        },
      ],
    },
    {
      name: "no mark at all, shown by a full read after the deadline",
      journal: journal(AS_OF, { lessons: [L], works: [W] }),
      asOf: AS_OF,
      findings: [
        {
          key: "w1",
          responsibleId: "t-math",
          deadline: DUE_21,
          evidence: { kind: "missing", observedAt: "2025-11-20T09:00:00.000Z" },
        },
      ],
    },
    {
      name: "a substituted lesson: the substitute answers for the marks",
      journal: on("2025-10-24T10:00:00+03:00", {
        lessons: [lesson("l1", "2025-10-14", { substituteTeacherId: "t-sub" })],
      }),
      asOf: AS_OF,
      findings: [{ key: "w1", responsibleId: "t-sub", deadline: DUE_21, evidence: "platform-timestamp" }],
    },
    {
      name: "a work without a lesson: the class's teacher of the subject answers; the first late mark proves it",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [work("w2", "2025-10-14", { kind: "control" })],
        marks: [
          mark("m1", { workId: "w2", recordedAt: "2025-10-15T10:00:00+03:00" }),
          mark("m2", { workId: "w2", studentId: "s2", recordedAt: "2025-10-25T10:00:00+03:00" }),
          mark("m3", { workId: "w2", studentId: "s2", recordedAt: "2025-10-23T10:00:00+03:00" }),
        ],
      }),
      asOf: AS_OF,
      findings: [
        {
          key: "w2",
          responsibleId: "t-math",
          deadline: DUE_21,
          evidence: { kind: "platform-timestamp", recordedAt: "2025-10-23T10:00:00+03:00" },
        },
      ],
    },
    {
      name: "004: 7 calendar days — work of 30.10 is due 06.11, so 07.11 is late",
      journal: at30("2025-11-07T10:00:00+03:00"),
      asOf: AS_OF,
      params: { days: 7, unit: "days" },
      findings: [
        {
          key: "w30",
          responsibleId: "t-math",
          deadline: "2025-11-06T20:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
  ],
});
