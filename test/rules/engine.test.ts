import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import { checkSchool, fingerprint, runCheck } from "../../src/rules/engine.ts";
import { addIncident, changesAfterIncident } from "../../src/rules/incidents.ts";
import { listViolations, violationHistory, waiveViolation } from "../../src/rules/violations.ts";
import type { Db } from "../../src/store/db.ts";
import { clone, writeDataset } from "../support/dataset-builder.ts";
import { forEachEngine } from "../support/engines.ts";
import { lesson, lessonSchool } from "./rule-tester.ts";

const LESSON_RULES = [
  "lesson.topic.late",
  "lesson.topic.in-advance",
  "homework.late",
  "attendance.not-taken",
  "grade1.marks",
  "substitution.wrong-author",
];
const noTopic = { topic: undefined, topicRecordedAt: undefined, topicAuthorId: undefined };

async function observe(db: Db, ds: Dataset): Promise<void> {
  await importDataset(db, writeDataset(ds));
}
const at = (ds: Dataset) => new Date(ds.manifest.observedAt);

forEachEngine("rules engine", (ctx) => {
  it("re-checking never duplicates; the fixed entry resolves the violation with its evidence", async () => {
    const db = await ctx.open();
    const ds = lessonSchool();
    ds.streams.lessons = [lesson(noTopic)];
    await observe(db, ds);
    const first = await runCheck(db, "sch1", { asOf: at(ds), rules: LESSON_RULES });
    expect(first).to.include({ new: 1, stillOpen: 0, resolved: 0 });
    const again = await runCheck(db, "sch1", { asOf: at(ds), rules: LESSON_RULES });
    expect(again).to.include({ new: 0, stillOpen: 1, resolved: 0 });
    const open = await listViolations(db, "sch1");
    expect(open).to.have.length(1);
    expect(open[0]).to.include({
      ruleId: "lesson.topic.late",
      status: "open",
      fingerprint: fingerprint("lesson.topic.late", "l1"),
    });

    const fixed = clone(ds);
    fixed.manifest.observedAt = "2025-10-09T18:00:00+03:00";
    fixed.streams.lessons = [lesson({ topicRecordedAt: "2025-10-09T10:00:00+03:00" })];
    await observe(db, fixed);
    const after = await runCheck(db, "sch1", { asOf: at(fixed), rules: LESSON_RULES });
    expect(after).to.include({ new: 0, resolved: 1 });
    const [v] = await listViolations(db, "sch1");
    expect(v.status).to.equal("resolved");
    expect(v.resolvedAt).to.equal("2025-10-09T07:00:00.000Z");
    expect(JSON.stringify(v.resolution)).to.contain("2025-10-09T07:00:00");
    expect((await violationHistory(db, v.id)).map((e) => e.kind)).to.deep.equal(["opened", "resolved"]);
    expect(await listViolations(db, "sch1")).to.have.length(1);
  });

  it("a finding that disappears resolves with what the data shows now; it reopens if it comes back", async () => {
    const db = await ctx.open();
    const ds = lessonSchool();
    ds.streams.lessons = [lesson({ substituteTeacherId: "t2", topicAuthorId: "t1" })];
    await observe(db, ds);
    expect(await runCheck(db, "sch1", { asOf: at(ds), rules: LESSON_RULES })).to.include({ new: 1 });
    const fixed = clone(ds);
    fixed.manifest.observedAt = "2025-10-09T18:00:00+03:00";
    fixed.streams.lessons = [lesson({ substituteTeacherId: "t2", topicAuthorId: "t2" })];
    await observe(db, fixed);
    expect(await runCheck(db, "sch1", { asOf: at(fixed), rules: LESSON_RULES })).to.include({ resolved: 1 });
    const [v] = await listViolations(db, "sch1", { ruleId: "substitution.wrong-author" });
    expect(v.status).to.equal("resolved");
    expect(v.resolution).to.include({ kind: "entry-present", field: "topic" });

    const broken = clone(ds);
    broken.manifest.observedAt = "2025-10-10T18:00:00+03:00";
    await observe(db, broken);
    expect(await runCheck(db, "sch1", { asOf: at(broken), rules: LESSON_RULES })).to.include({ reopened: 1 });
    expect((await violationHistory(db, v.id)).map((e) => e.kind)).to.deep.equal([
      "opened",
      "resolved",
      "reopened",
    ]);
  });

  it("a waived violation stays waived on later checks, with its history; open ones escalate", async () => {
    const db = await ctx.open();
    const ds = lessonSchool();
    ds.streams.lessons = [
      lesson({ ...noTopic }),
      lesson({ id: "l2", number: 2, start: "09:25", end: "10:10", attendanceRecordedAt: undefined }),
    ];
    await observe(db, ds);
    await runCheck(db, "sch1", { asOf: at(ds), rules: LESSON_RULES });
    const att = (await listViolations(db, "sch1", { ruleId: "attendance.not-taken" }))[0];
    await waiveViolation(db, "sch1", att.id, {
      personId: "dep1",
      reason: "журнал на бумаге, сбой",
      at: at(ds),
    });
    // Two weeks on: the topic violation climbs the 001 ladder (2, 3, 5 working days), the waived one does not.
    const later = await runCheck(db, "sch1", {
      asOf: new Date("2025-10-22T12:00:00+03:00"),
      rules: LESSON_RULES,
    });
    expect(later).to.include({ new: 0, stillOpen: 1, escalated: 1 });
    const [w] = await listViolations(db, "sch1", { ruleId: "attendance.not-taken" });
    expect(w).to.include({
      status: "waived",
      waiveReason: "журнал на бумаге, сбой",
      waivedBy: "dep1",
      level: att.level,
    });
    expect((await violationHistory(db, w.id)).map((e) => e.kind)).to.deep.equal(["opened", "waived"]);
    const [t] = await listViolations(db, "sch1", { ruleId: "lesson.topic.late" });
    expect(t.level).to.equal(3);
    expect((await violationHistory(db, t.id)).map((e) => e.kind)).to.deep.equal(["opened", "escalated"]);
  });

  it("an incremental check after a day of changes gives the same violations as a full check", async () => {
    const day1 = lessonSchool();
    day1.manifest.observedAt = "2025-10-07T18:00:00+03:00";
    day1.streams.lessons = [
      lesson({ ...noTopic }), // Monday: missing topic, fixed late on Wednesday
      lesson({
        id: "l2",
        number: 2,
        start: "09:25",
        end: "10:10",
        substituteTeacherId: "t2",
        topicAuthorId: "t1",
      }),
      lesson({
        id: "l3",
        date: "2025-10-07",
        topicRecordedAt: "2025-10-07T09:00:00+03:00",
        attendanceRecordedAt: undefined,
      }),
      lesson({
        id: "l4",
        date: "2025-10-07",
        number: 2,
        start: "09:25",
        end: "10:10",
        topicRecordedAt: "2025-10-07T09:30:00+03:00",
      }),
    ];
    const day2 = clone(day1);
    day2.manifest.observedAt = "2025-10-08T18:00:00+03:00";
    day2.streams.lessons = [
      lesson({ topicRecordedAt: "2025-10-08T09:00:00+03:00" }),
      lesson({
        id: "l2",
        number: 2,
        start: "09:25",
        end: "10:10",
        substituteTeacherId: "t2",
        topicAuthorId: "t2",
      }),
      day1.streams.lessons[2], // unchanged: its attendance is now proven missing
      day1.streams.lessons[3],
      lesson({ id: "l5", date: "2025-10-08", ...noTopic }),
      lesson({
        id: "l6",
        date: "2025-10-08",
        number: 2,
        start: "09:25",
        end: "10:10",
        topicRecordedAt: "2025-10-08T09:30:00+03:00",
        homeworkRecordedAt: "2025-10-08T19:00:00+03:00",
      }),
    ];
    day2.streams.marks = [
      {
        id: "m9",
        studentId: "s1",
        subjectId: "math",
        lessonId: "l2",
        value: 4,
        authorId: "t1",
        recordedAt: "2025-10-08T10:00:00+03:00",
      },
    ];

    const incremental = await ctx.open();
    await observe(incremental, day1);
    await runCheck(incremental, "sch1", { asOf: at(day1) });
    await observe(incremental, day2);
    const inc = await runCheck(incremental, "sch1", { asOf: at(day2), incremental: true });
    expect(inc.incremental).to.equal(true);

    const full = await ctx.open();
    await observe(full, day1);
    await observe(full, day2);
    await runCheck(full, "sch1", { asOf: at(day2) });

    const openOf = async (db: Db) =>
      (await listViolations(db, "sch1", { status: "open" })).map((v) => `${v.ruleId} ${v.entity.key}`).sort();
    const a = await openOf(incremental);
    expect(a).to.deep.equal(await openOf(full));
    expect(a).to.include.members([
      "attendance.not-taken l3",
      "lesson.topic.late l5",
      "substitution.wrong-author l2",
    ]);
    const all = (await listViolations(full, "sch1")).map((v) => `${v.ruleId} ${v.entity.key} ${v.status}`);
    const incAll = (await listViolations(incremental, "sch1")).map(
      (v) => `${v.ruleId} ${v.entity.key} ${v.status}`,
    );
    expect(incAll).to.include.members(all);
    // And the findings of a fresh full check agree with the incremental store.
    const findings = await checkSchool(incremental, "sch1", { asOf: at(day2) });
    const standing = findings.filter(
      (f) => f.evidence.kind === "missing" || f.evidence.kind === "value" || f.evidence.kind === "count",
    );
    expect(standing.map((f) => `${f.ruleId} ${f.entity.key}`).sort()).to.include.members(
      a.filter((k) => !k.startsWith("grade1")),
    );
  });

  it("an incremental check a week on re-levels open violations outside its window and resolves deleted lessons", async () => {
    const day1 = lessonSchool();
    day1.manifest.observedAt = "2025-10-10T18:00:00+03:00";
    day1.streams.lessons = [
      lesson({ ...noTopic }), // Monday: missing topic; the lesson is deleted before the next check
      lesson({ id: "l2", number: 2, start: "09:25", end: "10:10", ...noTopic }), // stays missing
      lesson({ id: "l3", date: "2025-10-10", topicRecordedAt: "2025-10-10T09:00:00+03:00" }),
    ];
    const day2 = clone(day1);
    day2.manifest.observedAt = "2025-10-15T18:00:00+03:00";
    day2.streams.lessons = day1.streams.lessons.slice(1);

    const incremental = await ctx.open();
    await observe(incremental, day1);
    await runCheck(incremental, "sch1", { asOf: at(day1), rules: LESSON_RULES });
    await observe(incremental, day2);
    const inc = await runCheck(incremental, "sch1", {
      asOf: at(day2),
      rules: LESSON_RULES,
      incremental: true,
    });
    expect(inc.incremental).to.equal(true);

    const full = await ctx.open();
    await observe(full, day1);
    await runCheck(full, "sch1", { asOf: at(day1), rules: LESSON_RULES });
    await observe(full, day2);
    await runCheck(full, "sch1", { asOf: at(day2), rules: LESSON_RULES });

    const state = async (db: Db) =>
      (await listViolations(db, "sch1"))
        .map((v) =>
          JSON.stringify([v.ruleId, v.entity.key, v.status, v.level, v.evidence, v.resolution, v.resolvedAt]),
        )
        .sort();
    const a = await state(incremental);
    expect(a).to.deep.equal(await state(full));
    const [removed] = await listViolations(incremental, "sch1", { status: "resolved" });
    expect(removed.entity.key).to.equal("l1");
    expect(removed.resolution).to.include({ kind: "entry-removed" });
    const [standing] = await listViolations(incremental, "sch1", { status: "open" });
    expect(standing.entity.key).to.equal("l2");
    expect(standing.level).to.be.greaterThan(0);
    expect(standing.evidence).to.deep.equal({ kind: "missing", observedAt: "2025-10-15T15:00:00.000Z" });
  });

  it("an access breach lists every change made through the account after the report", async () => {
    const db = await ctx.open();
    const ds = lessonSchool();
    ds.streams.lessons = [
      lesson({}),
      lesson({
        id: "l2",
        date: "2025-10-07",
        topicRecordedAt: "2025-10-07T09:20:00+03:00",
        homeworkRecordedAt: "2025-10-07T09:30:00+03:00",
        attendanceRecordedAt: "2025-10-07T08:40:00+03:00",
      }),
    ];
    ds.streams.marks = [
      {
        id: "m1",
        studentId: "s1",
        subjectId: "math",
        lessonId: "l1",
        value: 5,
        authorId: "t1",
        recordedAt: "2025-10-06T09:00:00+03:00",
      },
      {
        id: "m2",
        studentId: "s2",
        subjectId: "math",
        lessonId: "l2",
        value: 3,
        authorId: "t1",
        recordedAt: "2025-10-07T09:10:00+03:00",
      },
      {
        id: "m3",
        studentId: "s2",
        subjectId: "rus",
        value: 4,
        authorId: "t2",
        recordedAt: "2025-10-07T11:00:00+03:00",
      },
    ];
    await observe(db, ds);
    const inc = await addIncident(db, {
      schoolId: "sch1",
      accountId: "t1",
      reportedAt: "2025-10-07T00:00:00+03:00",
    });
    const changes = await changesAfterIncident(db, inc.id);
    expect(changes.map((c) => `${c.field} ${c.key}`)).to.deep.equal([
      "attendance l2",
      "mark m2",
      "topic l2",
      "homework l2",
    ]);
    expect(changes.every((c) => c.certain && c.basis === "recordedAt")).to.equal(true);
  });
});
