// The ground truth on a BARS «Электронная школа» school, where entry times come only from observations:
// BARS gives no entry time of anything (real-shapes.md §4), so the store dates entries by the syncs that
// first saw them and the last covering syncs that did not (DESIGN.md "Sync and evidence of time"). The
// small demo school is served by the BARS simulator as the platform stood at each sync (test/support/
// platform-at.ts), synced after school on working days through the BARS connector, then checked.
// Every finding must be one of the ground truth, with its deadline and responsible person (as far as
// BARS names people), and every injected violation that these observations prove must be found.
//
// Which rules a BARS school can be checked on (PROVABLE below), and why the others cannot:
// - BARS reads are per class × date window (a pupil's diary and «Сводная» marks): an entry typed in late
//   is proven by a covering sync that ran after the deadline and before it appeared; one never typed in,
//   by a read of the whole school year after the deadline (the first and the last sync here).
// - Period marks (GetTotalMarks: current year only, no dates) are never proven absent, so neither a late
//   nor a missing period mark is provable (`period-mark.late`).
// - No results-announced dates (`mark.external.late`, `attestation.final.late`), no substitutes or topic
//   authors (`substitution.wrong-author`), no parents' logins (`parents.monitoring`), no last year's
//   journal (`year.close.late`), no work weights (`period-mark.unjustified`: the weighted mean of 001
//   cannot be computed; its findings are listed, never scored).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { DateTime } from "luxon";
import { barsIds } from "../../src/connectors/bars/mapping.ts";
import { startBarsSimulator } from "../../src/connectors/bars/simulator.ts";
import { barsSimIds, subperiodOf } from "../../src/connectors/bars/simulator-payloads.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { Mark } from "../../src/model/records.ts";
import { checkSchool } from "../../src/rules/engine.ts";
import type { Finding } from "../../src/rules/types.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { platformAt } from "../support/platform-at.ts";
import { demoSchoolDir, openDemoStore } from "../sync/support/demo-school.ts";
import { findingKey, type Truth } from "./support/ground-truth-keys.ts";

/** Rules scored both ways (no false finding, every proven violation found) on a BARS school. */
const PROVABLE = new Set([
  "lesson.topic.late",
  "lesson.topic.in-advance",
  "homework.late",
  "attendance.not-taken",
  "mark.oral.late",
  "mark.written.late",
  "attestation.intermediate.late",
  "marks.accumulation",
  "control-work.missing",
  "grade1.marks",
  "year.setup.late",
]);
/** Rules judged on data BARS does not have exactly: their findings are listed, not scored. */
const UNSCORED = new Set(["period-mark.unjustified"]);

/** No pause between requests: the simulator is local. */
const FAST = { http: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } } };

const schoolYearStart = (date: string) =>
  Number(date.slice(5, 7)) >= 8 ? date.slice(0, 4) : String(Number(date.slice(0, 4)) - 1);

/** One sync of the run: when it ran and the lesson dates it read (the connector's window). */
interface Sync {
  at: Date;
  window: { from: string; to: string };
}

const covers = (s: Sync, date: string) => s.window.from <= date && date <= s.window.to;
/** A read from the school year's start: the connector's full read. */
const wholeYear = (s: Sync) => s.window.from.endsWith("-09-01");

/**
 * The run: the whole school year when the school connects (30 September), then after school (16:00)
 * on every working day of the first half of October from 7 days back to the end of the week (what
 * `rereadDays: 7` reads), and the whole year again at the demo's observedAt. (Every BARS sync reads
 * each pupil week by week: a longer daily run only proves more of the same rules, at minutes a sync.)
 */
function schedule(ds: Dataset): Sync[] {
  const zone = ds.manifest.school.timezone;
  const at = (date: string, time = "16:00") => DateTime.fromISO(`${date}T${time}`, { zone });
  const yearOf = (d: DateTime) => ({
    from: `${schoolYearStart(d.toISODate()!)}-09-01`,
    to: d.endOf("week").toISODate()!,
  });
  const first = at("2025-09-30");
  const syncs: Sync[] = [{ at: first.toJSDate(), window: yearOf(first) }];
  for (let d = at("2025-10-01"); d <= at("2025-10-17"); d = d.plus({ days: 1 })) {
    if (d.weekday > ds.manifest.school.workweek) continue;
    syncs.push({
      at: d.toJSDate(),
      window: { from: d.minus({ days: 7 }).toISODate()!, to: d.endOf("week").toISODate()! },
    });
  }
  const last = DateTime.fromISO(ds.manifest.observedAt, { setZone: true });
  syncs.push({ at: last.toJSDate(), window: yearOf(last) });
  return syncs;
}

const seq = (id: string) => Number(/\d+/.exec(id)?.[0] ?? 0);
/** Marks in the order they were entered (as a BARS cell lists them), then by id. */
const entered = (m: Mark) => (m.recordedAt ? Date.parse(m.recordedAt) : 0);
const byEntry = (marks: readonly Mark[]): Mark[] =>
  [...marks].sort((a, b) => entered(a) - entered(b) || seq(a.id) - seq(b.id));

/** The demo's ids under the ids the BARS connector derives (src/connectors/bars/mapping.ts). */
class BarsKeys {
  private readonly ids;
  private readonly subjectName: Map<string, string>;
  private readonly cls: Map<string, string>;
  private readonly lessons: Map<string, Dataset["streams"]["lessons"][number]>;
  private readonly works: Map<string, Dataset["streams"]["works"][number]>;
  private readonly periods: Map<string, Dataset["streams"]["periods"][number]>;
  private readonly pupilClass: Map<string, string | undefined>;
  private readonly markKeys = new Map<string, string>();

  constructor(private readonly ds: Dataset) {
    const s = ds.streams;
    this.ids = barsSimIds(ds);
    this.subjectName = new Map(s.subjects.map((x) => [x.id, x.name]));
    this.cls = new Map(s.classes.map((c) => [c.id, barsIds.classOf(c)]));
    this.lessons = new Map(s.lessons.map((l) => [l.id, l]));
    this.works = new Map(s.works.map((w) => [w.id, w]));
    this.periods = new Map(s.periods.map((p) => [p.id, p]));
    this.pupilClass = new Map(s.persons.map((p) => [p.id, p.classId]));
    // A mark's key holds its place in its day's cell, which lists the marks in the order they were entered.
    const dated = byEntry(s.marks)
      .map((m) => ({ m, date: this.markDate(m) }))
      .sort((a, b) => a.date.localeCompare(b.date));
    const positions = new Map<string, number>();
    for (const { m, date } of dated) {
      const k = `${m.studentId}|${m.subjectId}|${date}`;
      const position = (positions.get(k) ?? 0) + 1;
      positions.set(k, position);
      this.markKeys.set(
        m.id,
        barsIds.mark(this.pupil(m.studentId), this.subject(m.subjectId), date, position),
      );
    }
  }

  markDate(m: Mark): string {
    if (m.lessonId) return this.lessons.get(m.lessonId)!.date;
    if (m.workId) return this.works.get(m.workId)!.date;
    return m.lessonDate!;
  }
  pupil = (id: string) => this.ids.pupils.get(id)!;
  subject = (id: string) => barsIds.subject(this.subjectName.get(id)!);
  period = (id: string) => {
    const p = this.periods.get(id)!;
    return barsIds.period(Number(schoolYearStart(p.start)), subperiodOf(p).code);
  };
  work(id: string): string {
    const w = this.works.get(id)!;
    const date = w.lessonId ? this.lessons.get(w.lessonId)!.date : w.date;
    return barsIds.work(this.cls.get(w.classId)!, this.subject(w.subjectId), date, w.kind);
  }
  teacher = (personId: string) => {
    const p = this.ds.streams.persons.find((x) => x.id === personId)!;
    return p.role === "teacher" ? barsIds.teacher(p.name) : null;
  };

  truthKey(t: Truth): string {
    const e = t.entity;
    switch (e.kind) {
      case "lesson":
        return `${t.ruleId} lesson:${this.ids.lessons.get(e.id)}`;
      case "mark":
        return `${t.ruleId} mark:${this.markKeys.get(e.id)}`;
      case "work":
        return `${t.ruleId} work:${this.work(e.id)}`;
      case "student-subject-period":
        return `${t.ruleId} ssp:${this.pupil(e.studentId)}|${this.subject(e.subjectId)}|${this.period(e.periodId)}`;
      case "class-subject-period":
        return `${t.ruleId} csp:${this.cls.get(e.classId)}|${this.subject(e.subjectId)}|${this.period(e.periodId)}`;
      case "class":
        return `${t.ruleId} class:${this.cls.get(e.id)}`;
      default:
        return `${t.ruleId} ${e.kind}:${JSON.stringify(e)}`;
    }
  }

  /**
   * Who must act, as far as BARS tells: the diary names a lesson's own teacher (no substitutes), and
   * BARS lists no staff but teachers (a deputy's finding names nobody).
   */
  responsible(t: Truth): string | null {
    const e = t.entity;
    const lessonId =
      e.kind === "lesson"
        ? e.id
        : e.kind === "mark"
          ? this.ds.streams.marks.find((m) => m.id === e.id)?.lessonId
          : undefined;
    const lesson = lessonId ? this.lessons.get(lessonId) : undefined;
    const who = lesson?.substituteTeacherId === t.responsibleId ? lesson.teacherId : t.responsibleId;
    return this.teacher(who);
  }
}

/**
 * Whether the run proves a ground-truth violation, judged from the demo's true entry times, not by the
 * engine: some sync after the deadline whose window held the entry's date did not see the entry, which
 * appeared later (an entry never typed in is not provable on BARS: no read covers a whole stream).
 */
function provenByRun(t: Truth, ds: Dataset, keys: BarsKeys, syncs: Sync[]): boolean {
  if (!PROVABLE.has(t.ruleId)) return false;
  const lessons = new Map(ds.streams.lessons.map((l) => [l.id, l]));
  const deadline = Date.parse(t.deadline);
  // Typed in late: a covering sync after the deadline did not see it. Never typed in: a read of the
  // whole school year after the deadline did not see it.
  const lateButSeen = (date: string, entered: string | undefined) =>
    syncs.some(
      (s) =>
        s.at.getTime() > deadline &&
        covers(s, date) &&
        (entered === undefined ? wholeYear(s) : s.at.getTime() < Date.parse(entered)),
    );
  const l = t.entity.kind === "lesson" ? lessons.get(t.entity.id) : undefined;
  switch (t.ruleId) {
    case "lesson.topic.late":
      return lateButSeen(l!.date, l!.topic === undefined ? undefined : l!.topicRecordedAt);
    case "homework.late":
      return l!.homework !== undefined && lateButSeen(l!.date, l!.homeworkRecordedAt);
    case "attendance.not-taken":
      // Only absences are listed: a lesson without any is never provable, one with them when they came late.
      return (
        ds.streams.attendance.some((a) => a.lessonId === l!.id) &&
        lateButSeen(l!.date, l!.attendanceRecordedAt)
      );
    case "mark.oral.late": {
      const m = ds.streams.marks.find((x) => x.id === t.entity.id)!;
      return lateButSeen(keys.markDate(m), m.recordedAt);
    }
    case "mark.written.late":
    case "attestation.intermediate.late": {
      // BARS shows a work through its marks, or a control work through its lesson's flag.
      const marks = ds.streams.marks.filter((m) => m.workId === t.entity.id);
      if (marks.length > 0) return marks.some((m) => lateButSeen(keys.markDate(m), m.recordedAt));
      const w = ds.streams.works.find((x) => x.id === t.entity.id)!;
      return w.kind === "control" && w.lessonId !== undefined && lateButSeen(w.date, undefined);
    }
    case "lesson.topic.in-advance":
      return syncs.some(
        (s) =>
          s.at.getTime() < deadline &&
          Date.parse(l!.topicRecordedAt!) <= s.at.getTime() &&
          covers(s, l!.date),
      );
    default:
      return true; // what is there (or not) at the end, not when it came
  }
}

describe("ground truth on observations only (small demo school through the BARS simulator)", function () {
  this.timeout(3_600_000);
  let ds: Dataset;
  let syncs: Sync[];
  let keys: BarsKeys;
  let findings: Finding[];
  let truth: Truth[];

  before(async () => {
    const dir = await demoSchoolDir("small", 1);
    ds = await loadDataset(dir);
    keys = new BarsKeys(ds);
    truth = readFileSync(join(dir, "ground-truth.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    syncs = schedule(ds);
    // The platform lists a day's marks in the order they were entered.
    const served: Dataset = { ...ds, streams: { ...ds.streams, marks: byEntry(ds.streams.marks) } };
    const store = await openDemoStore("gt_observed_bars");
    try {
      let schoolId = "";
      for (const s of syncs) {
        const sim = await startBarsSimulator({ dataset: platformAt(served, s.at), sessionid: "sid" });
        try {
          const connector = createConnector(
            {
              kind: "bars",
              url: sim.url,
              auth: { method: "cookie", sessionid: "sid" },
              school: ds.manifest.school,
              retries: 0,
            },
            FAST,
          );
          const t0 = Date.now();
          const summary = await runSync(store.db, connector, {
            source: "bars-observed",
            full: false,
            now: s.at,
            ...s.window,
          });
          schoolId = summary.schoolId;
          if (process.env.GT_PROGRESS)
            console.error(`sync ${s.at.toISOString()}: ${sim.requests()} requests, ${Date.now() - t0} ms`);
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
    const expected = new Map(truth.map((t) => [keys.truthKey(t), t]));
    const wrong: string[] = [];
    for (const f of findings) {
      if (UNSCORED.has(f.ruleId)) continue;
      const key = findingKey(f.ruleId, f.entity);
      const t = expected.get(key);
      if (!t) {
        wrong.push(`extra ${key}: ${f.message}`);
        continue;
      }
      // A grade-1 mark has no deadline: it is wrong when it appears, and only a sync sees it appear.
      const due =
        t.ruleId === "grade1.marks"
          ? syncs.find((s) => s.at.getTime() >= Date.parse(t.deadline))!.at.getTime()
          : Date.parse(t.deadline);
      if (due !== Date.parse(f.deadline))
        wrong.push(`${key}: deadline ${f.deadline}, expected ${t.deadline}`);
      else if (keys.responsible(t) !== f.responsibleId)
        wrong.push(`${key}: responsible ${f.responsibleId}, expected ${keys.responsible(t)}`);
    }
    expect(wrong.slice(0, 10), `${wrong.length} findings differ`).to.deep.equal([]);
  });

  it("finds every injected violation of the provable rules that the observations prove", () => {
    const found = new Set(findings.map((f) => findingKey(f.ruleId, f.entity)));
    const missed: string[] = [];
    const proven: Record<string, number> = {};
    for (const t of truth) {
      if (!provenByRun(t, ds, keys, syncs)) continue;
      proven[t.ruleId] = (proven[t.ruleId] ?? 0) + 1;
      if (!found.has(keys.truthKey(t))) missed.push(`${keys.truthKey(t)} (${JSON.stringify(t.entity)})`);
    }
    expect(missed.slice(0, 10), `${missed.length} proven violations not found`).to.deep.equal([]);
    // The run proves violations of the time rules, not only of the content rules.
    for (const r of ["lesson.topic.late", "homework.late", "mark.oral.late"])
      expect(proven[r] ?? 0, `proven ${r} (${JSON.stringify(proven)})`).to.be.greaterThan(0);
  });

  it("finds nothing of the rules BARS cannot prove", () => {
    const found = findings.filter((f) => !PROVABLE.has(f.ruleId) && !UNSCORED.has(f.ruleId));
    expect(found.map((f) => findingKey(f.ruleId, f.entity)).slice(0, 5)).to.deep.equal([]);
  });
});
