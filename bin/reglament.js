#!/usr/bin/env node
// The `reglament` executable. Runs the CLI compiled ahead of time (dist/, built on `npm ci` by `prepare`) when
// that build is newer than every source; otherwise — a source edited since, or no build — the TypeScript
// sources through tsx, so nothing ever runs stale code. REGLAMENT_FROM_SOURCES=1 forces the sources.
import { fileURLToPath, pathToFileURL } from "node:url";
import { freshBuild } from "./build-freshness.js";

const built = process.env.REGLAMENT_FROM_SOURCES
  ? undefined
  : freshBuild(fileURLToPath(new URL("..", import.meta.url)));
if (built) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
