import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

const setLesson = (over: Parameters<typeof lesson>[0]) => (ds: Dataset) => {
  ds.streams.lessons = [lesson(over)];
};

ruleTester("lesson.topic.in-advance", {
  valid: [
    { name: "topic entered during the lesson", edit: setLesson({}) },
    {
      name: "topic entered at 00:00 of the lesson day",
      edit: setLesson({ topicRecordedAt: "2025-10-06T00:00:00+03:00" }),
    },
    { name: "topic late, not early", edit: setLesson({ topicRecordedAt: "2025-10-07T10:00:00+03:00" }) },
    {
      name: "no topic at all",
      edit: setLesson({ topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined }),
    },
    {
      name: "no recordedAt and first seen on the lesson day",
      edit: (ds) => {
        setLesson({ topicRecordedAt: undefined })(ds);
        ds.manifest.observedAt = "2025-10-06T12:00:00+03:00";
      },
    },
  ],
  invalid: [
    {
      name: "topic entered the evening before (23:59)",
      edit: setLesson({ topicRecordedAt: "2025-10-05T23:59:00+03:00" }),
      errors: [
        {
          key: "l1",
          deadline: "2025-10-06T00:00:00+03:00",
          evidence: "platform-timestamp",
          responsibleId: "t1",
        },
      ],
    },
    {
      name: "Vladivostok: 20:00 Moscow time on the eve is already the lesson day there — but 16:00 is not",
      edit: (ds) => {
        ds.manifest.school.timezone = "Asia/Vladivostok";
        setLesson({ topicRecordedAt: "2025-10-05T16:00:00+03:00" })(ds);
      },
      errors: [{ key: "l1", deadline: "2025-10-06T00:00:00+10:00" }],
    },
    {
      name: "no recordedAt, but a sync before the lesson day already saw it",
      edit: (ds) => {
        setLesson({ topicRecordedAt: undefined })(ds);
        ds.manifest.observedAt = "2025-10-04T12:00:00+03:00";
      },
      asOf: "2025-10-08T18:00:00+03:00",
      errors: [{ key: "l1", evidence: "observed" }],
    },
  ],
});
