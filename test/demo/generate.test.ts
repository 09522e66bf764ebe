import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { z } from "zod";
import { SchoolCalendar } from "../../src/calendar/index.ts";
import { type DemoResult, GROUND_TRUTH_FILE, generateDemoSchool } from "../../src/demo/generate.ts";
import { INJECTION_RATES, RULE_IDS } from "../../src/demo/injection.ts";
import { schoolProfile } from "../../src/demo/school-year.ts";
import {
  type CalendarDay,
  type Lesson,
  type Manifest,
  type Mark,
  manifestSchema,
  type Person,
  type SchoolClass,
  STREAM_FILES,
  type StreamName,
  streamSchemas,
} from "../../src/model/records.ts";
import { checkDataset, entityKey, forgetParsedFiles, readJsonl } from "./reference-checker.ts";

const groundTruthSchema = z.object({
  ruleId: z.enum(RULE_IDS),
  entity: z.object({ kind: z.string().min(1) }).catchall(z.string().min(1)),
  responsibleId: z.string().min(1),
  deadline: z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /[+-]\d{2}:\d{2}$/.test(s)),
  why: z.string().min(1),
});
type GroundTruth = z.infer<typeof groundTruthSchema>;

// Seed 6: a six-day school; seed 4: a five-day school in Moscow time (checked below).
const SIX_DAY_SEED = 6;
const FIVE_DAY_SEED = 4;

describe("demo school generator", function () {
  this.timeout(180_000);
  let root: string;
  const dir = (name: string) => join(root, name);
  const results: Record<string, DemoResult> = {};
  const progress: [number, number, string][] = [];

  before(async () => {
    expect(schoolProfile(SIX_DAY_SEED).workweek).to.equal(6);
    expect(schoolProfile(FIVE_DAY_SEED).workweek).to.equal(5);
    root = mkdtempSync(join(tmpdir(), "reglament-demo-"));
    results.a = await generateDemoSchool({
      size: "small",
      seed: SIX_DAY_SEED,
      out: dir("a"),
      onProgress: (d, t, s) => progress.push([d, t, s]),
    });
    results.b = await generateDemoSchool({ size: "small", seed: SIX_DAY_SEED, out: dir("b") });
    results.c = await generateDemoSchool({ size: "small", seed: FIVE_DAY_SEED, out: dir("c") });
    results.m = await generateDemoSchool({ size: "medium", seed: FIVE_DAY_SEED, out: dir("m") });
  });

  after(() => {
    forgetParsedFiles();
    rmSync(root, { recursive: true, force: true });
  });

  const files = ["manifest.json", ...Object.values(STREAM_FILES), GROUND_TRUTH_FILE];

  it("writes the same bytes for the same seed and different ones for another seed", () => {
    expect(readdirSync(dir("a")).sort()).to.deep.equal([...files].sort());
    for (const f of files) {
      expect(readFileSync(join(dir("a"), f)).equals(readFileSync(join(dir("b"), f))), f).to.equal(true);
    }
    const differing = files.filter(
      (f) => !readFileSync(join(dir("a"), f)).equals(readFileSync(join(dir("c"), f))),
    );
    expect(differing).to.include.members(["manifest.json", "persons.jsonl", "marks.jsonl", "lessons.jsonl"]);
  });

  for (const name of ["a", "m"]) {
    it(`validates every line against the record schemas and counts them right (${name})`, () => {
      const manifest = manifestSchema.parse(
        JSON.parse(readFileSync(join(dir(name), "manifest.json"), "utf8")),
      );
      expect(manifest.school.workweek).to.equal(name === "a" ? 6 : 5);
      for (const stream of Object.keys(STREAM_FILES) as StreamName[]) {
        const lines = readJsonl<unknown>(dir(name), STREAM_FILES[stream]);
        for (const line of lines) {
          const r = streamSchemas[stream].safeParse(line);
          if (!r.success) expect.fail(`${stream}: ${r.error.message} in ${JSON.stringify(line)}`);
        }
        expect(lines.length, stream).to.equal(results[name].counts[stream]);
      }
      const gt = readJsonl<unknown>(dir(name), GROUND_TRUTH_FILE);
      for (const line of gt) groundTruthSchema.parse(line);
      expect(gt.length).to.equal(results[name].counts["groundTruth"]);
    });

    it(`keeps referential integrity (${name})`, () => {
      const d = dir(name);
      const problems: string[] = [];
      const need = (ok: boolean, what: string) => {
        if (!ok && problems.length < 20) problems.push(what);
      };
      const ids = (file: string) => new Set(readJsonl<{ id: string }>(d, file).map((r) => r.id));
      const persons = readJsonl<Person>(d, "persons.jsonl");
      const byRole = (role: string) => new Set(persons.filter((p) => p.role === role).map((p) => p.id));
      const [classes, subjects, lessons, works, periods] = [
        ids("classes.jsonl"),
        ids("subjects.jsonl"),
        ids("lessons.jsonl"),
        ids("works.jsonl"),
        ids("periods.jsonl"),
      ];
      const personIds = new Set(persons.map((p) => p.id));
      const [students, teachers] = [byRole("student"), byRole("teacher")];
      need(personIds.size === persons.length, "person ids are unique");
      for (const p of persons) {
        if (p.role === "student") need(classes.has(p.classId!), `class of ${p.id}`);
        if (p.role === "parent") for (const c of p.childIds!) need(students.has(c), `child ${c} of ${p.id}`);
      }
      for (const c of readJsonl<SchoolClass>(d, "classes.jsonl")) need(teachers.has(c.classTeacherId!), c.id);
      for (const l of readJsonl<Lesson>(d, "lessons.jsonl")) {
        need(classes.has(l.classId) && subjects.has(l.subjectId) && teachers.has(l.teacherId), l.id);
        if (l.substituteTeacherId) need(teachers.has(l.substituteTeacherId), `substitute of ${l.id}`);
        if (l.topicAuthorId) need(teachers.has(l.topicAuthorId), `topic author of ${l.id}`);
      }
      for (const w of readJsonl<{ id: string; lessonId?: string; classId: string; subjectId: string }>(
        d,
        "works.jsonl",
      )) {
        need(classes.has(w.classId) && subjects.has(w.subjectId), w.id);
        if (w.lessonId) need(lessons.has(w.lessonId), `lesson of ${w.id}`);
      }
      const markIds = new Set<string>();
      for (const m of readJsonl<Mark>(d, "marks.jsonl")) {
        need(students.has(m.studentId) && subjects.has(m.subjectId), m.id);
        if (m.workId) need(works.has(m.workId), `work of ${m.id}`);
        if (m.lessonId) need(lessons.has(m.lessonId), `lesson of ${m.id}`);
        need((m.workId ?? m.lessonId) !== undefined, `${m.id} belongs to a work or a lesson`);
        need(teachers.has(m.authorId!), `author of ${m.id}`);
        markIds.add(m.id);
      }
      need(markIds.size === results[name].counts["marks"], "mark ids are unique");
      for (const a of readJsonl<{ studentId: string; lessonId: string }>(d, "attendance.jsonl")) {
        need(students.has(a.studentId) && lessons.has(a.lessonId), `attendance ${a.studentId} ${a.lessonId}`);
      }
      for (const pm of readJsonl<{ studentId: string; subjectId: string; periodId: string }>(
        d,
        "period-marks.jsonl",
      )) {
        need(
          students.has(pm.studentId) && subjects.has(pm.subjectId) && periods.has(pm.periodId),
          pm.studentId,
        );
      }
      for (const a of readJsonl<{ personId: string }>(d, "activity.jsonl"))
        need(personIds.has(a.personId), a.personId);
      for (const g of readJsonl<GroundTruth>(d, GROUND_TRUTH_FILE)) {
        need(personIds.has(g.responsibleId), g.responsibleId);
        const e = g.entity;
        const sets: Record<string, Set<string>> = {
          lesson: lessons,
          mark: markIds,
          work: works,
          class: classes,
          period: periods,
        };
        if (sets[e.kind]) need(sets[e.kind].has(e.id), `${e.kind} ${e.id}`);
      }
      expect(problems).to.deep.equal([]);
    });

    it(`injects every rule id and nothing the data does not prove (${name})`, () => {
      const gt = readJsonl<GroundTruth>(dir(name), GROUND_TRUTH_FILE);
      const present = new Set(gt.map((g) => g.ruleId));
      for (const rule of RULE_IDS) expect(present.has(rule), rule).to.equal(true);
      for (const rule of RULE_IDS) {
        expect(results[name].violations[rule], rule).to.equal(gt.filter((g) => g.ruleId === rule).length);
      }
    });

    it(`ground truth is exactly what an independent reading of the README finds (${name})`, () => {
      const gt = readJsonl<GroundTruth>(dir(name), GROUND_TRUTH_FILE);
      const found = checkDataset(dir(name));
      const expected = new Map(gt.map((g) => [entityKey(g.ruleId, g.entity as Record<string, string>), g]));
      const actual = new Map(found.map((f) => [entityKey(f.ruleId, f.entity), f]));
      expect(expected.size, "ground truth has no duplicates").to.equal(gt.length);
      expect(
        [...actual.keys()].filter((k) => !expected.has(k)),
        "found but not injected",
      ).to.deep.equal([]);
      expect(
        [...expected.keys()].filter((k) => !actual.has(k)),
        "injected but not provable",
      ).to.deep.equal([]);
      for (const [k, f] of actual) {
        expect(Date.parse(expected.get(k)!.deadline), `deadline of ${k}`).to.equal(Date.parse(f.deadline));
      }
    });

    it(`shows nothing after observedAt and nothing on days without school (${name})`, () => {
      const d = dir(name);
      const manifest = JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")) as Manifest;
      const observed = Date.parse(manifest.observedAt);
      const cal = new SchoolCalendar({
        timezone: manifest.school.timezone,
        workweek: manifest.school.workweek,
        overrides: readJsonl<CalendarDay>(d, "calendar.jsonl"),
      });
      const lessons = readJsonl<Lesson>(d, "lessons.jsonl");
      const dates = new Set(lessons.map((l) => l.date));
      for (const date of dates) expect(cal.isSchoolDay(date), date).to.equal(true);
      expect(dates.has("2025-11-04"), "national holiday").to.equal(false);
      expect(dates.has("2025-10-28"), "autumn vacation").to.equal(false);
      const saturdays = [...dates].filter((x) => new Date(`${x}T00:00:00Z`).getUTCDay() === 6);
      expect(saturdays.length > 0).to.equal(manifest.school.workweek === 6);
      const times: string[] = [];
      for (const l of lessons)
        times.push(
          ...[l.topicRecordedAt, l.homeworkRecordedAt, l.attendanceRecordedAt].filter((x) => x !== undefined),
        );
      for (const m of readJsonl<Mark>(d, "marks.jsonl")) times.push(m.recordedAt!);
      expect(times.filter((t) => Date.parse(t) > observed)).to.deep.equal([]);
      // Nothing is entered while the platform is down.
      const outages = readJsonl<{ from: string; to: string }>(d, "outages.jsonl");
      expect(outages.length).to.be.within(1, 2);
      const down = (t: string) =>
        outages.some((o) => Date.parse(t) >= Date.parse(o.from) && Date.parse(t) <= Date.parse(o.to));
      expect(times.filter(down)).to.deep.equal([]);
    });

    it(`keeps grade 1 free of marks and homework except the injected entries (${name})`, () => {
      const d = dir(name);
      const grade1 = new Set(
        readJsonl<SchoolClass>(d, "classes.jsonl")
          .filter((c) => c.grade === 1)
          .map((c) => c.id),
      );
      const grade1Students = new Set(
        readJsonl<Person>(d, "persons.jsonl")
          .filter((p) => p.role === "student" && grade1.has(p.classId!))
          .map((p) => p.id),
      );
      const injected = new Set(
        readJsonl<GroundTruth>(d, GROUND_TRUTH_FILE)
          .filter((g) => g.ruleId === "grade1.marks")
          .map((g) => g.entity.id),
      );
      const lessons = readJsonl<Lesson>(d, "lessons.jsonl").filter((l) => grade1.has(l.classId));
      expect(lessons.length).to.be.greaterThan(100);
      const withHomework = lessons.filter((l) => l.homework !== undefined).map((l) => l.id);
      const marks = readJsonl<Mark>(d, "marks.jsonl")
        .filter((m) => grade1Students.has(m.studentId))
        .map((m) => m.id);
      expect([...withHomework, ...marks].sort()).to.deep.equal([...injected].sort());
      // No lessons in grade 1's extra February week (medium has no February; the rule still holds).
      expect(lessons.some((l) => l.date >= "2026-02-16" && l.date <= "2026-02-22")).to.equal(false);
    });
  }

  it("injects at the documented rates (medium)", () => {
    const d = dir("m");
    const gt = readJsonl<GroundTruth>(d, GROUND_TRUTH_FILE);
    const n = (rule: string) => gt.filter((g) => g.ruleId === rule).length;
    const manifest = JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")) as Manifest;
    const observedDate = manifest.observedAt.slice(0, 10);
    const lessons = readJsonl<Lesson>(d, "lessons.jsonl").filter(
      (l) => l.date < observedDate && l.date !== "2025-11-18" && l.date !== "2025-12-09",
    );
    const oral = readJsonl<Mark>(d, "marks.jsonl").filter((m) => !m.workId);
    const periodMarks = results.m.counts["periodMarks"];
    const within = (rule: keyof typeof INJECTION_RATES, denominator: number) => {
      const rate = n(rule) / denominator;
      expect(rate, `${rule}: ${n(rule)}/${denominator}`).to.be.within(
        INJECTION_RATES[rule] * 0.5,
        INJECTION_RATES[rule] * 1.6,
      );
    };
    within("lesson.topic.late", lessons.length);
    within("attendance.not-taken", lessons.length);
    within("mark.oral.late", oral.length);
    within("period-mark.unjustified", periodMarks);
    within("marks.accumulation", periodMarks);
  });

  it("names people in full, with patronymics that agree with their gender", () => {
    const persons = readJsonl<Person>(dir("m"), "persons.jsonl");
    for (const p of persons) {
      const parts = p.name.split(" ");
      expect(parts, p.name).to.have.length(3);
      expect(p.name).to.match(/^[А-ЯЁ][а-яё-]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$/);
      const male = /(ич)$/.test(parts[2]);
      const female = /(на)$/.test(parts[2]);
      expect(male !== female, p.name).to.equal(true);
    }
    const roles = new Set(persons.map((p) => p.role));
    expect([...roles].sort()).to.deep.equal([
      "admin",
      "coordinator",
      "deputy",
      "director",
      "parent",
      "student",
      "teacher",
    ]);
    const students = persons.filter((p) => p.role === "student").length;
    expect(students).to.be.within(500, 600);
  });

  it("reports progress up to the end and refuses bad options", async () => {
    expect(progress.length).to.be.greaterThan(10);
    const [done, total] = progress[progress.length - 1];
    expect(done).to.equal(total);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).to.be.greaterThan(progress[i - 1][0]);
    let error: unknown;
    try {
      await generateDemoSchool({ size: "huge" as "small", seed: 1, out: join(root, "x") });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error);
  });
});
