// A sync killed with SIGKILL mid-run and restarted ends in exactly the store of an uninterrupted run:
// each page and its cursor commit together, so nothing is lost and nothing is written twice.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { exportDataset } from "../../src/dataset/export.ts";
import { loadDataset } from "../../src/dataset/load.ts";
import { generateDemoSchool } from "../../src/demo/generate.ts";
import { openStore } from "../../src/store/open-store.ts";
import { dropSchema } from "../support/engines.ts";
import { type SimulatedSource, startSimulatedSource } from "./support/simulated-source.ts";

const CHILD = fileURLToPath(new URL("./support/sync-child.ts", import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL;

function runChild(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function exportedJournal(schema: string, schoolId: string): Promise<Record<string, string>> {
  const db = await openStore({ databaseUrl: DATABASE_URL, schema });
  const dir = mkdtempSync(join(tmpdir(), "reglament-crash-export-"));
  try {
    await exportDataset(db, schoolId, dir);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM record_versions");
    expect(n, "a restarted sync must not rewrite what it had committed").to.equal(0);
  } finally {
    await db.close();
  }
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

describe("sync crash safety [postgres]", function () {
  this.timeout(600_000);
  let sim: SimulatedSource;
  const schemas: string[] = [];
  const window = { FROM: "2025-09-01", TO: "2026-08-31" };

  before(async function () {
    if (!DATABASE_URL) {
      if (process.env.CI === "true")
        throw new Error("CI=true but DATABASE_URL is not set: the PostgreSQL suite is mandatory");
      this.skip();
    }
    const out = mkdtempSync(join(tmpdir(), "reglament-crash-demo-"));
    await generateDemoSchool({ size: "small", seed: 3, out });
    sim = await startSimulatedSource("dnevnik", await loadDataset(out));
  });
  after(async () => {
    await sim?.close();
    for (const s of schemas) await dropSchema(s);
  });

  it("SIGKILL mid-run, then a restart, ends in exactly the store of an uninterrupted run", async () => {
    const source = JSON.stringify({ kind: "dnevnik", ...sim.config });
    const reference = `t_${randomBytes(6).toString("hex")}`;
    const crashed = `t_${randomBytes(6).toString("hex")}`;
    schemas.push(reference, crashed);

    const clean = await runChild({ ...window, SCHEMA: reference, SOURCE: source });
    expect(clean.code, clean.stderr).to.equal(0);
    const { pages } = JSON.parse(clean.stdout.trim().split("\n").pop() ?? "{}") as { pages: number };
    expect(pages).to.be.greaterThan(6);

    const killed = await runChild({
      ...window,
      SCHEMA: crashed,
      SOURCE: source,
      KILL_AT_PAGE: String(Math.floor(pages / 2)),
    });
    expect(killed.signal).to.equal("SIGKILL");
    const restarted = await runChild({ ...window, SCHEMA: crashed, SOURCE: source });
    expect(restarted.code, restarted.stderr).to.equal(0);

    const db = await openStore({ databaseUrl: DATABASE_URL, schema: reference });
    const [{ id: schoolId }] = await db.query<{ id: string }>("SELECT id FROM schools");
    await db.close();
    const want = await exportedJournal(reference, schoolId);
    const got = await exportedJournal(crashed, schoolId);
    expect(Object.keys(got)).to.deep.equal(Object.keys(want));
    for (const f of Object.keys(want)) expect(got[f], f).to.equal(want[f]);
    expect(want["marks.jsonl"].length).to.be.greaterThan(1000);
  });
});
