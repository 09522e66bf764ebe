// npm run bench:cli — start-up of the `reglament` executable as a user runs it: `reglament --help` and
// `reglament status` on the embedded store (PGlite) holding the demo school, each beside its floor measured in
// the same run: `node -e 0` (Node's own start) and opening the same PGlite store alone (no CLI at all).
// Wall times of child processes, median of BENCH_RUNS (default 9), the cases interleaved so that load from
// other processes falls on all of them alike. BENCH_SIZE picks the demo school (small, as `npm start` makes).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freshBuild } from "../bin/build-freshness.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/reglament.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const SIZE = process.env.BENCH_SIZE ?? "small";

if (!freshBuild(ROOT)) {
  console.error("bench:cli: dist/ is missing or older than src/ — run `npm run build` first");
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "bench-cli-"));
const env = { ...process.env, DATABASE_URL: "", REDIS_URL: "", REGLAMENT_DATA_DIR: join(work, "pglite") };

function run(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env, cwd: work, encoding: "utf8" });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}\n${r.stderr}`);
  return ms;
}

console.log(`bench:cli — setting up the ${SIZE} demo school in embedded PGlite (${work})`);
run([BIN, "demo", "generate", "--size", SIZE, "--out", join(work, "demo")]);
run([BIN, "import", join(work, "demo")]);

const openPglite = `
  const { PGlite } = await import(${JSON.stringify(import.meta.resolve("@electric-sql/pglite"))});
  const pg = await PGlite.create(${JSON.stringify(join(work, "pglite"))});
  await pg.close();`;

const cases = {
  node: ["-e", "0"],
  help: [BIN, "--help"],
  pglite: ["--input-type=module", "-e", openPglite],
  status: [BIN, "status"],
};
const times: Record<keyof typeof cases, number[]> = { node: [], help: [], pglite: [], status: [] };
for (const args of Object.values(cases)) run(args); // warm the file cache
for (let i = 0; i < RUNS; i++)
  for (const [name, args] of Object.entries(cases)) times[name as keyof typeof cases].push(run(args));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
function report(label: string, figure: number, goal: number, floorLabel: string, floor: number): void {
  const verdict = figure <= goal ? "met" : "MISSED";
  console.log(
    `${label.padEnd(18)} ${s(figure)}  goal ≤${s(goal)} ${verdict.padEnd(6)}  floor (${floorLabel}) ${s(floor)}, ×${(figure / floor).toFixed(1)}`,
  );
}
console.log(`median of ${RUNS} runs each:`);
report("reglament --help", median(times.help), 300, "node -e 0", median(times.node));
report("reglament status", median(times.status), 1500, "PGlite store opened alone", median(times.pglite));
