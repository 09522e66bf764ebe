import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

const setLesson = (over: Parameters<typeof lesson>[0]) => (ds: Dataset) => {
  ds.streams.lessons = [lesson(over)];
};
const friday = { date: "2025-10-10", topicRecordedAt: "2025-10-10T09:20:00+03:00" };
/** Outage from Friday 14:00 (covers 15:00) until `to`. */
const outageUntil = (to: string) => (ds: Dataset) => {
  ds.streams.outages = [{ from: "2025-10-10T14:00:00+03:00", to, note: "сбой" }];
};
/** A second-shift lesson: 15:10–15:50, after the 15:00 cut-off. */
const secondShift = { number: 8, start: "15:10", end: "15:50" };
const observedLater = (ds: Dataset) => {
  ds.manifest.observedAt = "2025-10-15T18:00:00+03:00";
};

ruleTester("lesson.topic.late", {
  valid: [
    {
      name: "topic entered at 14:59 of the lesson day",
      edit: setLesson({ topicRecordedAt: "2025-10-06T14:59:00+03:00" }),
    },
    {
      name: "topic entered exactly at 15:00 (after = strictly later)",
      edit: setLesson({ topicRecordedAt: "2025-10-06T15:00:00+03:00" }),
    },
    {
      name: "topic entered in advance is not late",
      edit: setLesson({ topicRecordedAt: "2025-10-03T12:00:00+03:00" }),
    },
    {
      name: "no topic yet, but 15:00 has not come (as of 14:00)",
      edit: (ds) => {
        setLesson({ topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined })(ds);
        ds.manifest.observedAt = "2025-10-06T14:00:00+03:00";
      },
    },
    {
      name: "no proof of time: topic without recordedAt seen in the first observation",
      edit: setLesson({ topicRecordedAt: undefined }),
    },
    {
      name: "topic first seen after 15:00 but absent only before it: unknown, no finding",
      before: (ds) => {
        ds.manifest.observedAt = "2025-10-06T12:00:00+03:00";
        ds.streams.lessons = [
          lesson({ topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined }),
        ];
      },
      edit: setLesson({ topicRecordedAt: undefined }),
    },
    {
      name: "Vladivostok: 14:59 local time is on time",
      edit: (ds) => {
        ds.manifest.school.timezone = "Asia/Vladivostok";
        setLesson({ topicRecordedAt: "2025-10-06T14:59:00+10:00" })(ds);
      },
    },
    {
      name: "an outage over 15:00 ending the same working day moves the deadline to its end",
      edit: (ds) => {
        setLesson({ ...friday, topicRecordedAt: "2025-10-10T16:30:00+03:00" })(ds);
        outageUntil("2025-10-10T16:00:00+03:00")(ds);
        observedLater(ds);
      },
    },
    {
      name: "outage resumed on Saturday (5-day week): due by the end of Monday",
      edit: (ds) => {
        setLesson({ ...friday, topicRecordedAt: "2025-10-13T20:00:00+03:00" })(ds);
        outageUntil("2025-10-11T12:00:00+03:00")(ds);
        observedLater(ds);
      },
    },
    {
      name: "transferred working day: access resumed on a Sunday the school works, topic that Sunday",
      edit: (ds) => {
        setLesson({ ...friday, topicRecordedAt: "2025-10-12T20:00:00+03:00" })(ds);
        ds.streams.calendar = [{ date: "2025-10-12", kind: "workday" }];
        outageUntil("2025-10-12T10:00:00+03:00")(ds);
        observedLater(ds);
      },
    },
    {
      name: "second shift: a lesson ending 15:50 written up at 16:10 the same day is on time",
      edit: setLesson({ ...secondShift, topicRecordedAt: "2025-10-06T16:10:00+03:00" }),
    },
    {
      name: "second shift: no topic at 15:30, while the lesson is still on, is not yet due",
      edit: (ds) => {
        setLesson({ ...secondShift, topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined })(
          ds,
        );
        ds.manifest.observedAt = "2025-10-06T15:30:00+03:00";
      },
    },
    {
      name: "second shift, preset due at 18:00: 17:59 is on time",
      edit: setLesson({ ...secondShift, topicRecordedAt: "2025-10-06T17:59:00+03:00" }),
      params: { afterLateLesson: "18:00" },
    },
  ],
  invalid: [
    {
      name: "second shift: entered the next morning is late, due by the end of the lesson day",
      edit: setLesson({ ...secondShift, topicRecordedAt: "2025-10-07T08:00:00+03:00" }),
      errors: [
        {
          key: "l1",
          deadline: "2025-10-06T23:59:59.999+03:00",
          evidence: "platform-timestamp",
          responsibleId: "t1",
        },
      ],
    },
    {
      name: "second shift, preset due at 18:00: 18:30 is late",
      edit: setLesson({ ...secondShift, topicRecordedAt: "2025-10-06T18:30:00+03:00" }),
      params: { afterLateLesson: "18:00" },
      errors: [{ key: "l1", deadline: "2025-10-06T18:00:00+03:00", evidence: "platform-timestamp" }],
    },
    {
      name: "second shift, a preset hour before the lesson ends: due by the end of the day, not before it",
      edit: setLesson({ ...secondShift, topicRecordedAt: "2025-10-07T08:00:00+03:00" }),
      params: { afterLateLesson: "15:30" },
      errors: [{ key: "l1", deadline: "2025-10-06T23:59:59.999+03:00" }],
    },
    {
      name: "topic entered at 15:01",
      edit: setLesson({ topicRecordedAt: "2025-10-06T15:01:00+03:00" }),
      errors: [
        {
          key: "l1",
          deadline: "2025-10-06T15:00:00+03:00",
          evidence: "platform-timestamp",
          responsibleId: "t1",
        },
      ],
    },
    {
      name: "no topic and a later sync proves it missing",
      edit: setLesson({ topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined }),
      errors: [{ key: "l1", deadline: "2025-10-06T15:00:00+03:00", evidence: "missing" }],
    },
    {
      name: "substituted lesson: the substitute is responsible",
      edit: setLesson({
        substituteTeacherId: "t2",
        topic: undefined,
        topicRecordedAt: undefined,
        topicAuthorId: undefined,
      }),
      errors: [{ key: "l1", responsibleId: "t2" }],
    },
    {
      name: "no recordedAt, but a sync after 15:00 did not see the topic: proven late",
      before: (ds) => {
        ds.manifest.observedAt = "2025-10-06T15:30:00+03:00";
        ds.streams.lessons = [
          lesson({ topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined }),
        ];
      },
      edit: setLesson({ topicRecordedAt: undefined }),
      errors: [{ key: "l1", evidence: "observed-late" }],
    },
    {
      name: "Vladivostok: 15:30 Moscow time is 22:30 local, late",
      edit: (ds) => {
        ds.manifest.school.timezone = "Asia/Vladivostok";
        setLesson({ topicRecordedAt: "2025-10-06T15:30:00+03:00" })(ds);
      },
      errors: [{ key: "l1", deadline: "2025-10-06T15:00:00+10:00" }],
    },
    {
      name: "outage resumed on Saturday (5-day week): Tuesday is late, deadline end of Monday",
      edit: (ds) => {
        setLesson({ ...friday, topicRecordedAt: "2025-10-14T09:00:00+03:00" })(ds);
        outageUntil("2025-10-11T12:00:00+03:00")(ds);
        observedLater(ds);
      },
      errors: [{ key: "l1", deadline: "2025-10-13T23:59:59.999+03:00" }],
    },
    {
      name: "six-day week: access resumed on Saturday, a working day — Monday is late",
      edit: (ds) => {
        ds.manifest.school.workweek = 6;
        setLesson({ ...friday, topicRecordedAt: "2025-10-13T09:00:00+03:00" })(ds);
        outageUntil("2025-10-11T12:00:00+03:00")(ds);
        observedLater(ds);
      },
      errors: [{ key: "l1", deadline: "2025-10-11T23:59:59.999+03:00" }],
    },
    {
      name: "holiday: access resumed on a Saturday, Monday is the school's holiday — due Tuesday",
      edit: (ds) => {
        ds.streams.calendar = [{ date: "2025-10-13", kind: "holiday" }];
        setLesson({ ...friday, topicRecordedAt: "2025-10-15T09:00:00+03:00" })(ds);
        outageUntil("2025-10-11T12:00:00+03:00")(ds);
        observedLater(ds);
      },
      errors: [{ key: "l1", deadline: "2025-10-14T23:59:59.999+03:00" }],
    },
    {
      name: "004 preset: topic due by the end of the lesson day, the next morning is late",
      preset: "004",
      edit: setLesson({ topicRecordedAt: "2025-10-07T08:00:00+03:00" }),
      errors: [{ key: "l1", deadline: "2025-10-06T23:59:59.999+03:00" }],
    },
  ],
});
