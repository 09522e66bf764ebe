import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

const grade = (g: number) => (ds: Dataset) => {
  ds.streams.classes = [{ id: "5a", grade: g, letter: "А", classTeacherId: "t1" }];
};
const aMark = (ds: Dataset) => {
  ds.streams.marks = [
    {
      id: "m1",
      studentId: "s1",
      subjectId: "math",
      lessonId: "l1",
      value: 5,
      recordedAt: "2025-10-06T09:00:00+03:00",
      authorId: "t1",
    },
  ];
};
const noHomework = (ds: Dataset) => {
  ds.streams.lessons = [lesson({ homework: undefined, homeworkRecordedAt: undefined })];
};

ruleTester("grade1.marks", {
  valid: [
    {
      name: "marks and homework in grade 2",
      edit: (ds) => {
        grade(2)(ds);
        aMark(ds);
      },
    },
    {
      name: "grade 1 with topic and attendance only",
      edit: (ds) => {
        grade(1)(ds);
        noHomework(ds);
      },
    },
  ],
  invalid: [
    {
      name: "a mark in grade 1",
      edit: (ds) => {
        grade(1)(ds);
        noHomework(ds);
        aMark(ds);
      },
      errors: [
        {
          key: "m1",
          deadline: "2025-10-06T09:00:00+03:00",
          evidence: "platform-timestamp",
          responsibleId: "t1",
        },
      ],
    },
    {
      name: "a mark in grade 1 on a substituted lesson: the substitute, who holds the lesson, must act",
      edit: (ds) => {
        grade(1)(ds);
        ds.streams.lessons = [
          lesson({ homework: undefined, homeworkRecordedAt: undefined, substituteTeacherId: "t2" }),
        ];
        aMark(ds);
      },
      errors: [{ key: "m1", evidence: "platform-timestamp", responsibleId: "t2" }],
    },
    {
      name: "homework in grade 1",
      edit: grade(1),
      errors: [{ key: "l1", deadline: "2025-10-06T09:25:00+03:00", responsibleId: "t1" }],
    },
    {
      name: "a mark without any time still is one: dated by the sync that saw it",
      edit: (ds) => {
        grade(1)(ds);
        noHomework(ds);
        ds.streams.marks = [{ id: "m2", studentId: "s2", subjectId: "math", value: 4 }];
      },
      errors: [
        { key: "m2", evidence: "observed", deadline: "2025-10-08T18:00:00+03:00", responsibleId: null },
      ],
    },
  ],
});
