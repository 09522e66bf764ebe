import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

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
