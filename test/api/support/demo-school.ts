// The small demo school, cut to two classes, imported into a store and checked by the real rules
// engine as of its observation: the API tests read real findings, names and marks.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importDataset } from "../../../src/dataset/import.ts";
import { loadDataset } from "../../../src/dataset/load.ts";
import { runCheck } from "../../../src/rules/engine.ts";
import type { Db } from "../../../src/store/db.ts";
import { demoSubset } from "../../reports/builders/demo-store.ts";

let dir: Promise<string> | undefined;

export interface DemoSchool {
  schoolId: string;
  observedAt: Date;
  outDir: string;
}

/** Imports the demo subset (generated once per process) and runs the default preset's check. */
export async function loadDemoSchool(db: Db): Promise<DemoSchool> {
  dir ??= demoSubset([2, 7]);
  const d = await dir;
  const ds = await loadDataset(d);
  const summary = await importDataset(db, d);
  const observedAt = new Date(ds.manifest.observedAt);
  await runCheck(db, summary.schoolId, { preset: "default", asOf: observedAt });
  return { schoolId: summary.schoolId, observedAt, outDir: mkdtempSync(join(tmpdir(), "reglament-api-")) };
}
