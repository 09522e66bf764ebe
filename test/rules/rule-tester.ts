// ESLint-style rule tests: a table of `valid` cases that must stay silent and `invalid` cases with the
// exact findings expected. Every case is a small dataset (one school each, all in one PGlite store),
// imported through importDataset — optionally after an earlier observation — and checked with one rule.
import { expect } from "chai";
import { importDataset } from "../../src/dataset/import.ts";
import type { Dataset } from "../../src/dataset/types.ts";
import type { Lesson } from "../../src/model/records.ts";
import { checkSchool } from "../../src/rules/engine.ts";
import { loadPreset, type Preset } from "../../src/rules/presets.ts";
import type { Finding } from "../../src/rules/types.ts";
import type { Db } from "../../src/store/db.ts";
import { openStore } from "../../src/store/open-store.ts";
import { clone, tinySchool, writeDataset } from "../support/dataset-builder.ts";

/** A plain school for lesson rules: Moscow, 5-day week, one lesson on Monday 06.10.2025, all on time. */
export function lessonSchool(): Dataset {
  const ds = clone(tinySchool("2025-10-08T18:00:00+03:00"));
  ds.streams.calendar = [];
  ds.streams.outages = [];
  ds.streams.works = [];
  ds.streams.marks = [];
  ds.streams.attendance = [];
  ds.streams.periodMarks = [];
  ds.streams.activity = [];
  ds.streams.lessons = [lesson({})];
  return ds;
}

/** The base lesson l1 (08:30–09:15 on 06.10.2025, math, t1) with `over` applied; `undefined` removes a field. */
export function lesson(over: Partial<Record<keyof Lesson, unknown>>): Lesson {
  const base: Record<string, unknown> = {
    id: "l1",
    classId: "5a",
    subjectId: "math",
    teacherId: "t1",
    date: "2025-10-06",
    number: 1,
    start: "08:30",
    end: "09:15",
    topic: "Дроби",
    topicRecordedAt: "2025-10-06T09:20:00+03:00",
    topicAuthorId: "t1",
    homework: "№ 12",
    homeworkRecordedAt: "2025-10-06T09:25:00+03:00",
    attendanceRecordedAt: "2025-10-06T08:35:00+03:00",
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base as unknown as Lesson;
}

export interface ExpectedFinding {
  key: string;
  deadline?: string;
  evidence?: string;
  responsibleId?: string | null;
}

export interface RuleCase {
  name: string;
  /** Edits of the base dataset (lessonSchool() unless `base` is given). */
  edit?: (ds: Dataset) => void;
  base?: () => Dataset;
  /** An earlier observation of the same school, imported first (edits of the final dataset). */
  before?: (ds: Dataset) => void;
  /** Default: the manifest's observedAt. */
  asOf?: string;
  /** Default "001". */
  preset?: string;
  /** Overrides of the rule's parameters. */
  params?: Record<string, unknown>;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

let counter = 0;

// One PGlite store for every rule table of the run (one school per case): opening one is the slow part.
let shared: Promise<Db> | undefined;
function sharedStore(): Promise<Db> {
  shared ??= openStore({});
  return shared;
}
after(async () => {
  if (shared) await (await shared).close();
  shared = undefined;
});

async function prepare(db: Db, c: RuleCase): Promise<{ schoolId: string; ds: Dataset }> {
  const ds = (c.base ?? lessonSchool)();
  const schoolId = `case${++counter}`;
  ds.manifest.school.id = schoolId;
  c.edit?.(ds);
  if (c.before) {
    const earlier = clone(ds);
    c.before(earlier);
    await importDataset(db, writeDataset(earlier));
  }
  await importDataset(db, writeDataset(ds));
  return { schoolId, ds };
}

function presetWith(name: string, ruleId: string, params?: Record<string, unknown>): Preset {
  const p = loadPreset(name);
  if (!params) return p;
  const rule = p.rules[ruleId];
  return {
    ...p,
    rules: { ...p.rules, [ruleId]: { ...rule, params: { ...(rule.params as object), ...params } } },
  };
}

/** Runs the tables: one store for the whole suite, one school per case. */
export function ruleTester(ruleId: string, tables: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(`rule ${ruleId}`, function () {
    this.timeout(60_000);
    let db: Db;
    before(async () => {
      db = await sharedStore();
    });

    const run = async (c: RuleCase): Promise<Finding[]> => {
      const { schoolId, ds } = await prepare(db, c);
      return checkSchool(db, schoolId, {
        asOf: new Date(c.asOf ?? ds.manifest.observedAt),
        preset: presetWith(c.preset ?? "001", ruleId, c.params),
        rules: [ruleId],
      });
    };

    describe("valid", () => {
      for (const c of tables.valid) {
        it(c.name, async () => {
          const found = await run(c);
          expect(found.map((f) => `${f.entity.key}: ${f.message}`)).to.deep.equal([]);
        });
      }
    });
    describe("invalid", () => {
      for (const c of tables.invalid) {
        it(c.name, async () => {
          const found = await run(c);
          expect(found.map((f) => f.entity.key).sort()).to.deep.equal(c.errors.map((e) => e.key).sort());
          for (const e of c.errors) {
            const f = found.find((x) => x.entity.key === e.key)!;
            expect(f.ruleId).to.equal(ruleId);
            expect(f.message)
              .to.be.a("string")
              .and.match(/[а-яё]/i);
            if (e.deadline) expect(f.deadline, "deadline").to.equal(new Date(e.deadline).toISOString());
            if (e.evidence) expect(f.evidence.kind, "evidence").to.equal(e.evidence);
            if (e.responsibleId !== undefined)
              expect(f.responsibleId, "responsible").to.equal(e.responsibleId);
          }
        });
      }
    });
  });
}
