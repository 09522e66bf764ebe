// A demo school generated once per size and seed under the system temp folder and reused by later
// runs. Generated into a scratch folder and renamed into place, so a killed run leaves no half school.
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDemoSchool } from "../../../src/demo/generate.ts";

export async function demoSchoolDir(size: "small" | "medium", seed: number): Promise<string> {
  const dir = join(tmpdir(), `reglament-demo-${size}-${seed}`);
  if (existsSync(join(dir, "manifest.json"))) return dir;
  const scratch = mkdtempSync(join(tmpdir(), `reglament-demo-${size}-${seed}-`));
  try {
    await generateDemoSchool({ size, seed, out: scratch });
    renameSync(scratch, dir);
  } catch (e) {
    // Another process may have put its copy in place first: the school is the same for a seed.
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(dir, "manifest.json"))) throw e;
  }
  return dir;
}
