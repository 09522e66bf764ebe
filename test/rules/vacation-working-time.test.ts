// The preset's calendar setting reaches the check through the store: pupils' holidays are teachers'
// working time by default (a written work's five working days run through the autumn vacation);
// a preset with `calendar.vacationIsWorkingTime: false` counts them as days off.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset } from "../../src/dataset/types.ts";
import { lesson, ruleTester } from "./rule-tester.ts";

const dir = mkdtempSync(join(tmpdir(), "preset-vacation-"));
const OFF = join(dir, "vacation-off.yaml");
writeFileSync(
  OFF,
  'id: vacation-off\ntitle: "Каникулы — выходные"\nextends: "001"\ncalendar:\n  vacationIsWorkingTime: false\n',
);

/** A written work on Thu 23.10.2025, marked at `recordedAt`; autumn vacation 25.10–04.11. */
const markedAt = (recordedAt: string) => (ds: Dataset) => {
  ds.manifest.observedAt = "2025-11-20T12:00:00+03:00";
  ds.streams.lessons = [lesson({ date: "2025-10-23" })];
  ds.streams.calendar = Array.from({ length: 11 }, (_, i) => ({
    date: new Date(Date.UTC(2025, 9, 25 + i)).toISOString().slice(0, 10),
    kind: "vacation" as const,
  }));
  ds.streams.works = [
    { id: "w1", lessonId: "l1", classId: "5a", subjectId: "math", kind: "written", date: "2025-10-23" },
  ];
  ds.streams.marks = [
    { id: "m1", studentId: "s1", subjectId: "math", workId: "w1", lessonId: "l1", value: 4, recordedAt },
  ];
};

ruleTester("mark.written.late", {
  valid: [
    {
      name: "default preset: marked on 30.10, the fifth working day",
      edit: markedAt("2025-10-30T20:00:00+03:00"),
    },
    {
      name: "preset with vacation as days off: marked on 07.11 is in time",
      edit: markedAt("2025-11-07T12:00:00+03:00"),
      preset: OFF,
    },
  ],
  invalid: [
    {
      name: "default preset: marked on 07.11 is late, due by the end of 30.10",
      edit: markedAt("2025-11-07T12:00:00+03:00"),
      errors: [{ key: "w1", deadline: "2025-10-30T23:59:59.999+03:00", evidence: "platform-timestamp" }],
    },
  ],
});
