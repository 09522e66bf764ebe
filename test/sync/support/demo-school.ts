// A demo school generated once per size and seed under the system temp folder and reused by later
// runs. Generated into a scratch folder and renamed into place, so a killed run leaves no half school.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDemoSchool } from "../../../src/demo/generate.ts";
import type { Db } from "../../../src/store/db.ts";
import { openStore } from "../../../src/store/open-store.ts";
import { dropSchema } from "../../support/engines.ts";

/** A hash of the generator's sources (and the calendar it counts days with): a school cached by an
 * older generator is never reused. */
function generatorVersion(): string {
  const src = join(dirname(fileURLToPath(import.meta.url)), "../../../src");
  const hash = createHash("sha256");
  for (const sub of ["demo", "calendar", "model"]) {
    for (const f of readdirSync(join(src, sub)).sort()) {
      if (f.endsWith(".ts")) hash.update(readFileSync(join(src, sub, f)));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

export async function demoSchoolDir(size: "small" | "medium", seed: number): Promise<string> {
  const dir = join(tmpdir(), `reglament-demo-${size}-${seed}-${generatorVersion()}`);
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

/**
 * The store of a whole-school test, on one engine as the ground-truth test: a fresh PostgreSQL schema
 * when DATABASE_URL is set, else embedded PGlite. `close` also drops the schema.
 */
export async function openDemoStore(label: string): Promise<{ db: Db; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  const schema = url ? `${label}_${randomBytes(5).toString("hex")}` : undefined;
  const db = url ? await openStore({ databaseUrl: url, schema }) : await openStore({});
  return {
    db,
    async close() {
      await db.close();
      if (schema) await dropSchema(schema);
    },
  };
}
