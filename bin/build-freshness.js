// Is the ahead-of-time build (dist/) current? It is when its stamp (written last by scripts/build-cli.js,
// holding the moment the build started) is later than every file and folder under src/. Folders count too:
// deleting or renaming a source changes its folder's time. Costs one stat per source file (a few ms).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const STAMP_FILE = "dist/build-stamp.json";
export const ENTRY_FILE = "dist/cli/main.js";

/** The newest modification time (ms) of `dir` and everything under it. */
export function newestMtime(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** The compiled entry point under `root` when the build is newer than src/, else undefined. */
export function freshBuild(root) {
  let startedAt;
  try {
    startedAt = JSON.parse(readFileSync(join(root, STAMP_FILE), "utf8")).startedAt;
  } catch {
    return undefined;
  }
  if (typeof startedAt !== "number") return undefined;
  return newestMtime(join(root, "src")) < startedAt ? join(root, ENTRY_FILE) : undefined;
}
