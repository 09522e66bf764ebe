import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

/** l1 at 08:30–09:15 plus the class's last lesson that day, l2, ending 13:40: homework due by 14:40. */
const day = (over: Parameters<typeof lesson>[0]) => (ds: Dataset) => {
  ds.streams.lessons = [
    lesson(over),
    lesson({
      id: "l2",
      subjectId: "rus",
      teacherId: "t2",
      topicAuthorId: "t2",
      number: 6,
      start: "13:00",
      end: "13:40",
    }),
  ];
};

ruleTester("homework.late", {
  valid: [
    {
      name: "homework at 14:40, 1 h after the last lesson",
      edit: day({ homeworkRecordedAt: "2025-10-06T14:40:00+03:00" }),
    },
    {
      name: "a lesson without homework is no finding",
      edit: day({ homework: undefined, homeworkRecordedAt: undefined }),
    },
    {
      name: "no proof of time (no recordedAt, first observation)",
      edit: day({ homeworkRecordedAt: undefined }),
    },
    {
      name: "an outage over 14:40 moves the deadline to the end of the day",
      edit: (ds) => {
        day({ homeworkRecordedAt: "2025-10-06T17:00:00+03:00" })(ds);
        ds.streams.outages = [{ from: "2025-10-06T14:00:00+03:00", to: "2025-10-06T16:30:00+03:00" }];
      },
    },
    {
      name: "grade 1 homework is grade1.marks' finding, not this rule's",
      edit: (ds) => {
        ds.streams.classes = [{ id: "5a", grade: 1, letter: "А", classTeacherId: "t1" }];
        day({ homeworkRecordedAt: "2025-10-06T20:00:00+03:00" })(ds);
      },
    },
  ],
  invalid: [
    {
      name: "homework at 14:41, 1 h 1 min after the last lesson",
      edit: day({ homeworkRecordedAt: "2025-10-06T14:41:00+03:00" }),
      errors: [
        {
          key: "l1",
          deadline: "2025-10-06T14:40:00+03:00",
          evidence: "platform-timestamp",
          responsibleId: "t1",
        },
      ],
    },
    {
      name: "004 preset: only the lesson day counts — the next morning is late",
      preset: "004",
      edit: day({ homeworkRecordedAt: "2025-10-07T07:00:00+03:00" }),
      errors: [{ key: "l1", deadline: "2025-10-06T23:59:59.999+03:00" }],
    },
  ],
});
