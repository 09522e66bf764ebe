// The region benchmark's schools: a few small demo schools (generated once into .tmp/bench), each cut
// down to its first N classes and renamed, so that 60 schools of mixed sizes share three generations.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { loadDataset } from "../src/dataset/load.ts";
import type { Dataset } from "../src/dataset/types.ts";
import { generateDemoSchool } from "../src/demo/generate.ts";

/** Classes per school, in turn: a mix of very small, small and middle-sized schools. */
export const CLASS_COUNTS = [1, 2, 1, 3, 4] as const;
/** Regulation presets, in turn: each school is checked against its own. */
export const PRESETS = ["001", "002", "003", "004"] as const;
const BASE_SEEDS = [101, 102, 103];

export async function baseDatasets(): Promise<Dataset[]> {
  const out: Dataset[] = [];
  for (const seed of BASE_SEEDS) {
    const dir = resolve(`.tmp/bench/region-base-${seed}`);
    if (!existsSync(`${dir}/ground-truth.jsonl`)) await generateDemoSchool({ size: "small", seed, out: dir });
    out.push(await loadDataset(dir));
  }
  return out;
}

/** School `index` of the region: its base school's first `classes` classes, under its own id. */
export function regionSchool(bases: Dataset[], index: number): { dataset: Dataset; classes: number } {
  const base = bases[index % bases.length];
  const classes = CLASS_COUNTS[index % CLASS_COUNTS.length];
  const s = base.streams;
  const kept = new Set(s.classes.slice(0, classes).map((c) => c.id));
  const students = new Set(s.persons.filter((p) => p.classId && kept.has(p.classId)).map((p) => p.id));
  const gone = new Set(s.persons.filter((p) => p.classId && !kept.has(p.classId)).map((p) => p.id));
  const lessons = s.lessons.filter((l) => kept.has(l.classId));
  const lessonIds = new Set(lessons.map((l) => l.id));
  const persons = s.persons
    .filter((p) => !gone.has(p.id))
    .filter((p) => !p.childIds || p.childIds.some((c) => students.has(c)))
    .map((p) => (p.childIds ? { ...p, childIds: p.childIds.filter((c) => students.has(c)) } : p));
  const personIds = new Set(persons.map((p) => p.id));
  const dataset: Dataset = {
    manifest: {
      ...base.manifest,
      school: { ...base.manifest.school, id: `region-${index + 1}`, name: `Школа № ${index + 1} (демо)` },
    },
    streams: {
      ...s,
      classes: s.classes.filter((c) => kept.has(c.id)),
      persons,
      lessons,
      works: s.works.filter((w) => kept.has(w.classId)),
      marks: s.marks.filter((m) => students.has(m.studentId) && (!m.lessonId || lessonIds.has(m.lessonId))),
      attendance: s.attendance.filter((a) => students.has(a.studentId) && lessonIds.has(a.lessonId)),
      periodMarks: s.periodMarks.filter((m) => students.has(m.studentId)),
      activity: s.activity.filter((a) => personIds.has(a.personId)),
    },
  };
  return { dataset, classes };
}

/** Records a school's dataset holds: its size as the benchmark states it. */
export function recordCount(ds: Dataset): number {
  return Object.values(ds.streams).reduce((n, rows) => n + rows.length, 0);
}
