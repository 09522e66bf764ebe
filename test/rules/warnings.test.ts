import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import { listViolations } from "../../src/rules/violations.ts";
import { computeWarnings } from "../../src/rules/warnings.ts";
import { openStore } from "../../src/store/open-store.ts";
import { writeDataset } from "../support/dataset-builder.ts";
import { lesson, lessonSchool } from "./rule-tester.ts";

describe("early warnings", function () {
  this.timeout(60_000);

  it("warns before the deadline: topic and attendance of a lesson over today, written marks due tomorrow", async () => {
    const db = await openStore({});
    try {
      const ds = lessonSchool();
      ds.manifest.observedAt = "2025-10-13T12:00:00+03:00";
      ds.streams.lessons = [
        lesson({
          topic: undefined,
          topicRecordedAt: undefined,
          topicAuthorId: undefined,
          attendanceRecordedAt: undefined,
          date: "2025-10-13",
        }),
        lesson({
          id: "l9",
          date: "2025-10-13",
          number: 7,
          start: "13:50",
          end: "14:30",
          topic: undefined,
          topicRecordedAt: undefined,
        }),
        lesson({ id: "l0", date: "2025-10-07" }),
      ];
      // A control work of Tuesday 07.10: due in 5 working days, i.e. by the end of Tuesday 14.10 (tomorrow).
      ds.streams.works = [
        { id: "w1", lessonId: "l0", classId: "5a", subjectId: "math", kind: "control", date: "2025-10-07" },
      ];
      ds.streams.marks = [
        {
          id: "m1",
          studentId: "s1",
          subjectId: "math",
          workId: "w1",
          lessonId: "l0",
          value: 4,
          authorId: "t1",
        },
      ];
      await importDataset(db, writeDataset(ds));
      const asOf = new Date("2025-10-13T12:00:00+03:00");
      const warnings = await computeWarnings(db, "sch1", { asOf, preset: "001" });
      const kinds = warnings.map((w) => `${w.kind} ${w.entity.key}`).sort();
      // l9 has not ended at 12:00, so no warning for it yet.
      expect(kinds).to.include.members(["attendance-missing l1", "topic-missing l1", "written-marks-due w1"]);
      expect(kinds.filter((k) => k.includes("l9"))).to.deep.equal([]);
      const due = warnings.find((w) => w.kind === "written-marks-due")!;
      expect(due.deadline).to.equal(new Date("2025-10-14T23:59:59.999+03:00").toISOString());
      expect(due.message).to.contain("не хватает отметок — 1");
      // After 15:00 the topic deadline has passed: no more warning about it (it is a finding then).
      const late = await computeWarnings(db, "sch1", {
        asOf: new Date("2025-10-13T15:30:00+03:00"),
        preset: "001",
      });
      expect(late.some((w) => w.kind === "topic-missing" && w.entity.key === "l1")).to.equal(false);
      expect(await listViolations(db, "sch1")).to.deep.equal([]);
    } finally {
      await db.close();
    }
  });

  it("flags pupils who cannot reach the minimum of marks with the lessons left in the period", async () => {
    const db = await openStore({});
    try {
      const ds = lessonSchool();
      ds.manifest.observedAt = "2025-10-20T18:00:00+03:00";
      // One math lesson a week (Mondays) in a quarter ending Friday 24.10: none left, minimum 3.
      ds.streams.lessons = ["2025-09-29", "2025-10-06", "2025-10-13", "2025-10-20"].map((date, i) =>
        lesson({
          id: `l${i}`,
          date,
          topicRecordedAt: `${date}T09:20:00+03:00`,
          homeworkRecordedAt: `${date}T09:25:00+03:00`,
          attendanceRecordedAt: `${date}T08:35:00+03:00`,
        }),
      );
      ds.streams.marks = [
        { id: "m1", studentId: "s1", subjectId: "math", lessonId: "l0", value: 5, authorId: "t1" },
        { id: "m2", studentId: "s1", subjectId: "math", lessonId: "l1", value: 4, authorId: "t1" },
        { id: "m3", studentId: "s1", subjectId: "math", lessonId: "l2", value: 5, authorId: "t1" },
        { id: "m4", studentId: "s2", subjectId: "math", lessonId: "l3", value: 3, authorId: "t1" },
      ];
      await importDataset(db, writeDataset(ds));
      const warnings = await computeWarnings(db, "sch1", {
        asOf: new Date("2025-10-20T18:00:00+03:00"),
        preset: "001",
      });
      const risk = warnings.filter((w) => w.kind === "accumulation-at-risk").map((w) => w.entity.key);
      expect(risk).to.deep.equal(["s2|math|q1"]);
    } finally {
      await db.close();
    }
  });
});
