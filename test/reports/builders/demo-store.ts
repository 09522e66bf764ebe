// The small demo school cut down to a few classes (all staff, periods and calendar kept), imported
// once into an in-memory PGlite store: every report kind is built from it quickly.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importDataset } from "../../../src/dataset/import.ts";
import { generateDemoSchool } from "../../../src/demo/generate.ts";
import { STREAM_FILES } from "../../../src/model/records.ts";
import type { Db } from "../../../src/store/db.ts";
import { openStore } from "../../../src/store/open-store.ts";

type Line = Record<string, unknown>;

function readLines(dir: string, file: string): Line[] {
  return readFileSync(join(dir, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Line);
}

function writeLines(dir: string, file: string, lines: Line[]): void {
  writeFileSync(join(dir, file), lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length ? "\n" : ""));
}

/** Generates the small demo school and keeps only the classes of the given grades. */
export async function demoSubset(grades: number[], seed = 7): Promise<string> {
  const full = mkdtempSync(join(tmpdir(), "reglament-demo-"));
  await generateDemoSchool({ size: "small", seed, out: full });
  const out = mkdtempSync(join(tmpdir(), "reglament-demo-cut-"));
  writeFileSync(join(out, "manifest.json"), readFileSync(join(full, "manifest.json")));
  const classes = readLines(full, STREAM_FILES.classes).filter((c) => grades.includes(Number(c.grade)));
  const classIds = new Set(classes.map((c) => String(c.id)));
  const persons = readLines(full, STREAM_FILES.persons);
  const students = new Set(
    persons.filter((p) => p.role === "student" && classIds.has(String(p.classId))).map((p) => String(p.id)),
  );
  const keptPersons = persons.filter((p) => {
    if (p.role === "student") return students.has(String(p.id));
    if (p.role === "parent")
      return ((p.childIds as string[] | undefined) ?? []).some((id) => students.has(id));
    return true;
  });
  const personIds = new Set(keptPersons.map((p) => String(p.id)));
  writeLines(out, STREAM_FILES.classes, classes);
  writeLines(out, STREAM_FILES.persons, keptPersons);
  for (const s of ["periods", "calendar", "subjects", "outages"] as const)
    writeLines(out, STREAM_FILES[s], readLines(full, STREAM_FILES[s]));
  for (const s of ["lessons", "works"] as const)
    writeLines(
      out,
      STREAM_FILES[s],
      readLines(full, STREAM_FILES[s]).filter((r) => classIds.has(String(r.classId))),
    );
  for (const s of ["marks", "attendance", "periodMarks"] as const)
    writeLines(
      out,
      STREAM_FILES[s],
      readLines(full, STREAM_FILES[s]).filter((r) => students.has(String(r.studentId))),
    );
  writeLines(
    out,
    STREAM_FILES.activity,
    readLines(full, STREAM_FILES.activity).filter((r) => personIds.has(String(r.personId))),
  );
  return out;
}

export interface DemoStore {
  db: Db;
  dir: string;
  schoolId: string;
}

export async function openDemoStore(
  grades: number[] = [2, 7],
  store: Parameters<typeof openStore>[0] = {},
): Promise<DemoStore> {
  const dir = await demoSubset(grades);
  const db = await openStore(store);
  const summary = await importDataset(db, dir);
  return { db, dir, schoolId: summary.schoolId };
}
