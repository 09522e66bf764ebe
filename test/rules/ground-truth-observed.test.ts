// The ground truth once more, on a run where entry times come only from observations: the small demo
// school is served by the Dnevnik.ru simulator as the platform stood at each sync (an entry appears once
// it was entered, no entry times at all), synced after school on working days, then checked. Every
// finding must be one of the ground truth (no false alarm to a teacher), with its deadline and
// responsible person; and every injected violation that these observations prove must be found.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { DateTime } from "luxon";
import { simulatedId } from "../../src/connectors/dnevnik/simulated-ids.ts";
import { startDnevnikSimulator } from "../../src/connectors/dnevnik/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import { checkSchool } from "../../src/rules/engine.ts";
import type { Finding } from "../../src/rules/types.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { platformAt } from "../support/platform-at.ts";
import { demoSchoolDir, openDemoStore } from "../sync/support/demo-school.ts";
import { findingKey, type Truth } from "./support/ground-truth-keys.ts";

const TOKEN = "demo-dnevnik-token-0123456789";

const platformId = (kind: Parameters<typeof simulatedId>[0], id: string) => simulatedId(kind, id);

/** A ground-truth entity under the platform ids the Dnevnik connector stores. */
function truthKey(t: Truth): string {
  const e = t.entity;
  switch (e.kind) {
    case "lesson":
    case "mark":
    case "work":
      return `${t.ruleId} ${e.kind}:${platformId(e.kind, e.id)}`;
    case "student-subject-period":
      return `${t.ruleId} ssp:${platformId("person", e.studentId)}|${platformId("subject", e.subjectId)}|${platformId("period", e.periodId)}`;
    case "class-subject-period":
      return `${t.ruleId} csp:${platformId("class", e.classId)}|${platformId("subject", e.subjectId)}|${platformId("period", e.periodId)}`;
    case "class":
      return `${t.ruleId} class:${platformId("class", e.id)}`;
    case "period":
      return `${t.ruleId} period:${platformId("period", e.id)}`;
    default:
      return `${t.ruleId} ${e.kind}:${JSON.stringify(e)}`;
  }
}

/** One sync of the run: when it ran and the lesson dates its read covered (none given: the school year). */
interface Sync {
  at: Date;
  window?: { from: string; to: string };
}

const covers = (s: Sync, date: string) => !s.window || (s.window.from <= date && date <= s.window.to);

/**
 * The run: a first sync of the whole school year when the school connects (30 September), then one after
 * school (16:00) on every working day of October and the first half of November over the last 14 days
 * (what `rereadDays` does), and a last sync of the whole year at the demo's observedAt.
 */
function schedule(ds: Dataset): Sync[] {
  const zone = ds.manifest.school.timezone;
  const at = (date: string, time = "16:00") => DateTime.fromISO(`${date}T${time}`, { zone });
  const syncs: Sync[] = [{ at: at("2025-09-30").toJSDate() }];
  const workweek = ds.manifest.school.workweek;
  for (let d = at("2025-10-01"); d <= at("2025-11-14"); d = d.plus({ days: 1 })) {
    if (d.weekday > workweek) continue;
    syncs.push({
      at: d.toJSDate(),
      window: { from: d.minus({ days: 14 }).toISODate()!, to: d.toISODate()! },
    });
  }
  syncs.push({ at: new Date(ds.manifest.observedAt) });
  return syncs;
}

/** Rules whose data the Dnevnik.ru partner API does not carry (no parents' activity, no substitutes). */
const NOT_CARRIED = new Set(["parents.monitoring", "substitution.wrong-author"]);

/**
 * Whether the run proves a ground-truth violation, judged from the demo's true entry times, not by the
 * engine: some sync after the deadline, whose read covered the entry's date, did not see the entry
 * (entered later, or never). Undefined: this test does not judge the rule's recall (only its precision).
 */
function provenByRun(t: Truth, ds: Dataset, syncs: Sync[]): boolean | undefined {
  const lessons = new Map(ds.streams.lessons.map((l) => [l.id, l]));
  const deadline = Date.parse(t.deadline);
  const absentAfterDeadline = (date: string, entered: string | undefined) =>
    syncs.some(
      (s) =>
        s.at.getTime() > deadline &&
        (entered === undefined || s.at.getTime() < Date.parse(entered)) &&
        covers(s, date),
    );
  const l = t.entity.kind === "lesson" ? lessons.get(t.entity.id) : undefined;
  switch (t.ruleId) {
    case "lesson.topic.late":
      return absentAfterDeadline(l!.date, l!.topic === undefined ? undefined : l!.topicRecordedAt);
    case "homework.late":
      return absentAfterDeadline(l!.date, l!.homework === undefined ? undefined : l!.homeworkRecordedAt);
    case "attendance.not-taken": {
      // Only absences are listed: a lesson without any is never provable, one with them when they came late.
      const rows = ds.streams.attendance.filter((a) => a.lessonId === l!.id);
      return rows.length > 0 && absentAfterDeadline(l!.date, l!.attendanceRecordedAt);
    }
    case "mark.oral.late": {
      const m = ds.streams.marks.find((x) => x.id === t.entity.id)!;
      return absentAfterDeadline(lessons.get(m.lessonId!)!.date, m.recordedAt);
    }
    case "lesson.topic.in-advance":
      // Seen before the lesson day by a sync that covered the lesson's date.
      return syncs.some(
        (s) =>
          s.at.getTime() < deadline &&
          Date.parse(l!.topicRecordedAt!) <= s.at.getTime() &&
          covers(s, l!.date),
      );
    case "control-work.missing":
    case "marks.accumulation":
    case "period-mark.unjustified":
    case "grade1.marks":
    case "year.setup.late":
      return true; // what is there (or not) at the end, not when it came
    default:
      return undefined;
  }
}

/**
 * Who must act, as far as the platform tells: Dnevnik.ru does not carry substitutes, so where the ground
 * truth names a lesson's substitute the check can only name the lesson's own teacher.
 */
function responsibleOnDnevnik(t: Truth, ds: Dataset): string {
  const lessonId =
    t.entity.kind === "lesson"
      ? t.entity.id
      : t.entity.kind === "mark"
        ? ds.streams.marks.find((m) => m.id === t.entity.id)?.lessonId
        : undefined;
  const lesson = lessonId ? ds.streams.lessons.find((l) => l.id === lessonId) : undefined;
  return lesson?.substituteTeacherId === t.responsibleId ? lesson.teacherId : t.responsibleId;
}

describe("ground truth on observations only (small demo school through the Dnevnik.ru simulator)", function () {
  this.timeout(1_800_000);
  let ds: Dataset;
  let syncs: Sync[];
  let findings: Finding[];
  let truth: Truth[];

  before(async () => {
    const dir = await demoSchoolDir("small", 1);
    ds = await loadDataset(dir);
    truth = readFileSync(join(dir, "ground-truth.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    syncs = schedule(ds);
    const store = await openDemoStore("gt_observed");
    try {
      const zone = ds.manifest.school.timezone;
      let schoolId = "";
      for (const s of syncs) {
        const sim = await startDnevnikSimulator({ dataset: platformAt(ds, s.at), token: TOKEN });
        try {
          const connector = createConnector({
            kind: "dnevnik",
            baseUrl: sim.url,
            token: TOKEN,
            schoolId: sim.schoolId,
            timezone: zone,
            workweek: ds.manifest.school.workweek,
            requestsPerSecond: 100,
          });
          const summary = await runSync(store.db, connector, {
            source: "dnevnik-observed",
            full: !s.window,
            now: s.at,
            ...s.window,
          });
          schoolId = summary.schoolId;
        } finally {
          await sim.close();
        }
      }
      findings = await checkSchool(store.db, schoolId, {
        asOf: new Date(ds.manifest.observedAt),
        preset: "001",
      });
    } finally {
      await store.close();
    }
  });

  it("raises no finding that is not in the ground truth, with its deadline and responsible person", () => {
    const expected = new Map(truth.map((t) => [truthKey(t), t]));
    const wrong: string[] = [];
    for (const f of findings) {
      const t = expected.get(findingKey(f.ruleId, f.entity));
      if (!t) {
        wrong.push(`extra ${findingKey(f.ruleId, f.entity)}: ${f.message}`);
        continue;
      }
      // A grade-1 mark has no deadline: it is wrong when it appears, and only a sync sees it appear.
      const due =
        t.ruleId === "grade1.marks"
          ? syncs.find((s) => s.at.getTime() >= Date.parse(t.deadline))!.at.getTime()
          : Date.parse(t.deadline);
      if (due !== Date.parse(f.deadline))
        wrong.push(`${findingKey(f.ruleId, f.entity)}: deadline ${f.deadline}, expected ${t.deadline}`);
      else if (platformId("person", responsibleOnDnevnik(t, ds)) !== f.responsibleId)
        wrong.push(
          `${findingKey(f.ruleId, f.entity)}: responsible ${f.responsibleId}, expected ${t.responsibleId}`,
        );
    }
    expect(wrong.slice(0, 10), `${wrong.length} findings differ`).to.deep.equal([]);
  });

  it("finds every injected violation that the observations prove", () => {
    const found = new Set(findings.map((f) => findingKey(f.ruleId, f.entity)));
    const missed: string[] = [];
    const proven: Record<string, number> = {};
    for (const t of truth) {
      if (NOT_CARRIED.has(t.ruleId) || provenByRun(t, ds, syncs) !== true) continue;
      proven[t.ruleId] = (proven[t.ruleId] ?? 0) + 1;
      if (!found.has(truthKey(t))) missed.push(`${truthKey(t)} (${JSON.stringify(t.entity)})`);
    }
    expect(missed.slice(0, 10), `${missed.length} proven violations not found`).to.deep.equal([]);
    // The run proves violations of the time rules, not only of the content rules.
    for (const r of ["lesson.topic.late", "homework.late", "mark.oral.late"]) {
      expect(proven[r] ?? 0, `proven ${r}`).to.be.greaterThan(0);
    }
  });
});
