// Enrollment dates through the store: a pupil first seen in the class by a later sync is counted
// from that day (the store's enrollments), so is owed no period mark of a quarter that ended before.
import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

const AFTER_Q1 = "2025-11-20T12:00:00+03:00";

/** Q1 (01.09–24.10) with one maths lesson; s1's period mark on time, s2's never entered. */
const quarterDone = (ds: Dataset) => {
  ds.manifest.observedAt = AFTER_Q1;
  ds.streams.lessons = [lesson({ date: "2025-10-06" })];
  ds.streams.periodMarks = [
    { studentId: "s1", subjectId: "math", periodId: "q1", value: 4, recordedAt: "2025-10-24T15:00:00+03:00" },
  ];
};
/** An earlier sync, after Q1 ended, before s2 came to the class. */
const withoutS2 = (ds: Dataset) => {
  ds.manifest.observedAt = "2025-11-05T10:00:00+03:00";
  ds.streams.persons = ds.streams.persons.filter((p) => p.id !== "s2");
};

ruleTester("period-mark.late", {
  valid: [{ name: "s2 first seen in 5А on 20.11 owes no Q1 mark", edit: quarterDone, before: withoutS2 }],
  invalid: [
    {
      name: "s2 in the class since the first sync owes it",
      edit: quarterDone,
      errors: [{ key: "s2|math|q1", deadline: "2025-10-28T23:59:59.999+03:00", evidence: "missing" }],
    },
  ],
});
