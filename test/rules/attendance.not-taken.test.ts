import { expect } from "chai";
import type { AttendanceEvidence } from "../../src/connectors/types.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import { rule } from "../../src/rules/attendance.not-taken.ts";
import { lesson, ruleTester } from "./rule-tester.ts";
import type { MemoryJournal } from "./support/memory-data.ts";
import { runRule } from "./support/run-rule.ts";

const setLesson = (over: Parameters<typeof lesson>[0]) => (ds: Dataset) => {
  ds.streams.lessons = [lesson(over)];
};
const noAttendance = { attendanceRecordedAt: undefined };

ruleTester("attendance.not-taken", {
  valid: [
    {
      name: "attendance at 23:59 of the lesson day",
      edit: setLesson({ attendanceRecordedAt: "2025-10-06T23:59:00+03:00" }),
    },
    {
      name: "no lesson time, but an attendance record entered on the day",
      edit: (ds) => {
        setLesson(noAttendance)(ds);
        ds.streams.attendance = [
          { studentId: "s1", lessonId: "l1", status: "ill", recordedAt: "2025-10-06T10:00:00+03:00" },
        ];
      },
    },
    {
      name: "not taken yet but the day is not over (as of 18:00 the same day)",
      edit: (ds) => {
        setLesson(noAttendance)(ds);
        ds.manifest.observedAt = "2025-10-06T18:00:00+03:00";
      },
    },
    {
      name: "attendance rows without recordedAt seen in the first observation: unknown",
      edit: (ds) => {
        setLesson(noAttendance)(ds);
        ds.streams.attendance = [{ studentId: "s1", lessonId: "l1", status: "absent" }];
      },
    },
  ],
  invalid: [
    {
      name: "no attendance and a sync two days later proves it",
      edit: setLesson(noAttendance),
      errors: [
        { key: "l1", deadline: "2025-10-06T23:59:59.999+03:00", evidence: "missing", responsibleId: "t1" },
      ],
    },
    {
      name: "attendance entered the next morning",
      edit: setLesson({ attendanceRecordedAt: "2025-10-07T08:00:00+03:00" }),
      errors: [{ key: "l1", evidence: "platform-timestamp" }],
    },
    {
      name: "substituted: the substitute must take it",
      edit: setLesson({ ...noAttendance, substituteTeacherId: "t2" }),
      errors: [{ key: "l1", responsibleId: "t2" }],
    },
  ],
});

describe("attendance.not-taken where the platform lists only absences (Dnevnik.ru)", () => {
  const base = {
    id: "l1",
    classId: "c1",
    subjectId: "math",
    teacherId: "t1",
    date: "2025-10-06",
    number: 2,
    start: "09:30",
    end: "10:10",
    firstSeenAt: "2025-10-06T16:00:00+03:00",
  };
  const journal = (attendance: MemoryJournal["attendance"], attendanceEvidence: AttendanceEvidence) => ({
    observedAt: "2025-10-08T16:00:00+03:00",
    lessons: [base],
    attendance,
    attendanceEvidence,
  });
  const asOf = "2025-10-08T16:00:00+03:00";

  it("a lesson without rows is not proven untaken: everybody may have come", async () => {
    expect(await runRule(rule, { journal: journal([], "absences-only"), asOf })).to.deep.equal([]);
    // The same journal from a platform that records taken attendance is a finding.
    const recorded = await runRule(rule, { journal: journal([], "recorded"), asOf });
    expect(recorded.map((f) => f.evidence.kind)).to.deep.equal(["missing"]);
  });

  it("an absence first seen after the deadline still proves late attendance", async () => {
    const found = await runRule(rule, {
      journal: journal(
        [
          {
            studentId: "s1",
            lessonId: "l1",
            status: "absent",
            firstSeenAt: "2025-10-08T16:00:00+03:00",
            lastAbsentAt: "2025-10-07T16:00:00+03:00",
          },
        ],
        "absences-only",
      ),
      asOf,
    });
    expect(found.map((f) => f.evidence.kind)).to.deep.equal(["observed-late"]);
  });
});
