import { rule } from "../../src/rules/mark.oral.late.ts";
import { ruleTester } from "./support/cases.ts";
import { journal, lesson, mark, work } from "./support/school.ts";

const AS_OF = "2025-11-20T12:00:00+03:00";
const L = lesson("l1", "2025-10-14");
const DUE = "2025-10-14T20:59:59.999Z";
const oral = (recordedAt: string, more = {}) =>
  journal(AS_OF, { lessons: [L], marks: [mark("m1", { lessonId: "l1", recordedAt })], ...more });
/** A mark that names only its lesson's day (Moodle without the Attendance plugin): no lesson record. */
const dayOnly = (recordedAt: string, more: Parameters<typeof mark>[1] = {}, lessons = [] as (typeof L)[]) =>
  journal(AS_OF, {
    lessons,
    marks: [mark("m1", { lessonDate: "2025-10-14", recordedAt, authorId: "t-author", ...more })],
  });

ruleTester(rule, {
  valid: [
    { name: "entered at 23:59 of the lesson day", journal: oral("2025-10-14T23:59:00+03:00"), asOf: AS_OF },
    {
      name: "time zone: 23:50 in Yekaterinburg is the lesson day there",
      journal: oral("2025-10-14T23:50:00+05:00"),
      asOf: AS_OF,
      timezone: "Asia/Yekaterinburg",
    },
    {
      name: "an outage over the evening moves the deadline to the end of the next day",
      journal: oral("2025-10-15T11:00:00+03:00", {
        outages: [{ from: "2025-10-14T18:00:00+03:00", to: "2025-10-15T09:00:00+03:00", origin: "sync" }],
      }),
      asOf: AS_OF,
    },
    {
      name: "marks of written works are not oral",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [work("w1", "2025-10-14", { lessonId: "l1" })],
        marks: [mark("m1", { lessonId: "l1", workId: "w1", recordedAt: "2025-10-16T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
    {
      name: "grade 1 marks are grade1.marks' concern",
      journal: journal(AS_OF, {
        lessons: [lesson("l9", "2025-10-14", { classId: "1a" })],
        marks: [mark("m9", { studentId: "s9", lessonId: "l9", recordedAt: "2025-10-16T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
    {
      name: "no platform time, first seen later but no read in between: nothing proven",
      journal: journal(AS_OF, {
        lessons: [L],
        marks: [mark("m1", { lessonId: "l1", firstSeenAt: "2025-10-20T10:00:00+03:00" })],
      }),
      asOf: AS_OF,
    },
    {
      name: "only the lesson day known: entered that day",
      journal: dayOnly("2025-10-14T19:00:00+03:00"),
      asOf: AS_OF,
    },
    {
      name: "only the lesson day known, entered later, but nobody to name: no finding",
      journal: dayOnly("2025-10-17T10:00:00+03:00", { authorId: undefined }),
      asOf: AS_OF,
    },
    {
      name: "only the lesson day known: a grade 1 pupil's mark is grade1.marks' concern",
      journal: dayOnly("2025-10-17T10:00:00+03:00", { studentId: "s9" }),
      asOf: AS_OF,
    },
  ],
  invalid: [
    {
      name: "only the lesson day known, entered three days later: its author answers",
      journal: dayOnly("2025-10-17T10:00:00+03:00"),
      asOf: AS_OF,
      findings: [{ key: "m1", responsibleId: "t-author", deadline: DUE, evidence: "platform-timestamp" }],
    },
    {
      name: "only the lesson day known and no author: the class's subject teacher answers",
      journal: dayOnly("2025-10-17T10:00:00+03:00", { authorId: undefined }, [lesson("l7", "2025-10-07")]),
      asOf: AS_OF,
      findings: [{ key: "m1", responsibleId: "t-math", deadline: DUE, evidence: "platform-timestamp" }],
    },
    {
      name: "entered at 00:00 the next day",
      journal: oral("2025-10-15T00:00:00+03:00"),
      asOf: AS_OF,
      findings: [{ key: "m1", responsibleId: "t-math", deadline: DUE, evidence: "platform-timestamp" }],
    },
    {
      name: "time zone: 20:30 Moscow is 00:30 of the next day in Novosibirsk",
      journal: oral("2025-10-14T20:30:00+03:00"),
      asOf: AS_OF,
      timezone: "Asia/Novosibirsk",
      findings: [
        {
          key: "m1",
          responsibleId: "t-math",
          deadline: "2025-10-14T16:59:59.999Z",
          evidence: "platform-timestamp",
        },
      ],
    },
    {
      name: "a substituted lesson: the substitute answers",
      journal: oral("2025-10-16T10:00:00+03:00", {
        lessons: [lesson("l1", "2025-10-14", { substituteTeacherId: "t-sub" })],
      }),
      asOf: AS_OF,
      findings: [{ key: "m1", responsibleId: "t-sub", deadline: DUE, evidence: "platform-timestamp" }],
    },
    {
      name: "a mark of an oral work, seen only after a full read past the deadline",
      journal: journal(AS_OF, {
        lessons: [L],
        works: [work("w1", "2025-10-14", { kind: "oral", lessonId: "l1" })],
        marks: [
          mark("m1", {
            workId: "w1",
            firstSeenAt: "2025-10-16T10:00:00+03:00",
            lastAbsentAt: "2025-10-15T06:00:00+03:00",
          }),
        ],
      }),
      asOf: AS_OF,
      findings: [{ key: "m1", responsibleId: "t-math", deadline: DUE, evidence: "observed-late" }],
    },
  ],
});
