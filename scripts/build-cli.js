// `npm run build:cli` (run by `prepare`, so by `npm ci`): compiles src/ to dist/ with tsc, writes the command
// manifest the top-level help is shown from (dist/cli/commands.json), then the stamp bin/reglament.js trusts
// the build by. The stamp holds the moment the build started and is written last: a source edited during the
// build, or a failed build, leaves dist/ untrusted and the executable on the sources.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { STAMP_FILE } from "../bin/build-freshness.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const stamp = join(root, STAMP_FILE);
const startedAt = Date.now();
rmSync(stamp, { force: true });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);

const program = await import(pathToFileURL(join(root, "dist/cli/program.js")).href);
writeFileSync(program.MANIFEST_FILE, `${JSON.stringify(await program.commandManifest(), null, 2)}\n`);

mkdirSync(dirname(stamp), { recursive: true });
writeFileSync(stamp, `${JSON.stringify({ startedAt })}\n`);
process.exit(0); // the command modules loaded above may hold timers
