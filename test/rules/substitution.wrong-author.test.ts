import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

const setLesson = (over: Parameters<typeof lesson>[0]) => (ds: Dataset) => {
  ds.streams.lessons = [lesson(over)];
};

ruleTester("substitution.wrong-author", {
  valid: [
    {
      name: "substitute enters the topic",
      edit: setLesson({ substituteTeacherId: "t2", topicAuthorId: "t2" }),
    },
    { name: "no substitution: the regular teacher", edit: setLesson({}) },
    {
      name: "topic without an author proves nothing",
      edit: setLesson({ substituteTeacherId: "t2", topicAuthorId: undefined }),
    },
    {
      name: "marks of the lesson by the substitute",
      edit: (ds) => {
        setLesson({ substituteTeacherId: "t2", topicAuthorId: "t2" })(ds);
        ds.streams.marks = [
          { id: "m1", studentId: "s1", subjectId: "math", lessonId: "l1", value: 4, authorId: "t2" },
        ];
      },
    },
  ],
  invalid: [
    {
      name: "the regular teacher enters the substituted lesson's topic",
      edit: setLesson({ substituteTeacherId: "t2", topicAuthorId: "t1" }),
      errors: [{ key: "l1", deadline: "2025-10-06T15:00:00+03:00", evidence: "value", responsibleId: "t2" }],
    },
    {
      name: "second shift: the deadline reported is the end of the lesson day, not 15:00 before it",
      edit: setLesson({
        substituteTeacherId: "t2",
        topicAuthorId: "t1",
        number: 8,
        start: "15:10",
        end: "15:50",
      }),
      errors: [
        { key: "l1", deadline: "2025-10-06T23:59:59.999+03:00", evidence: "value", responsibleId: "t2" },
      ],
    },
    {
      name: "a mark of the substituted lesson entered by the regular teacher",
      edit: (ds) => {
        setLesson({ substituteTeacherId: "t2", topicAuthorId: "t2" })(ds);
        ds.streams.marks = [
          { id: "m1", studentId: "s1", subjectId: "math", lessonId: "l1", value: 4, authorId: "t1" },
        ];
      },
      errors: [{ key: "l1", responsibleId: "t2" }],
    },
  ],
});
