/**
 * System tools some tests need (PDFBox Preflight, poppler's pdfsig, OpenSSL's GOST engine, chromium) come from
 * Debian packages that only `.ci/run` installs. A test calls `requireTool(this, tool)`: when the tool
 * is missing it FAILS under CI=true (a skip there would hide a broken setup) and skips elsewhere, so
 * `npm ci && npm test` passes on a fresh machine; the root hook in `system-tools-hooks.ts` then prints,
 * once at the end, which tests were skipped and the apt-get line that installs the tools.
 *
 * REGLAMENT_TEST_MISSING_TOOLS=preflight,pdfsig,gost-engine (or "all") makes tools count as missing,
 * to see the local behaviour on a machine that has them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export type SystemTool = "preflight" | "pdfsig" | "gost-engine" | "chromium";

interface ToolSpec {
  /** What the tool is, for the messages. */
  what: string;
  /** Debian packages that provide it (each also in `.ci/run`'s list). */
  packages: readonly string[];
  /** Why it is missing, or undefined when it is there. */
  probe(): string | undefined;
}

/** The jars Preflight needs, as Debian bookworm installs them. */
export const PREFLIGHT_JARS = [
  "preflight.jar",
  "pdfbox2.jar",
  "xmpbox.jar",
  "fontbox2.jar",
  "commons-logging.jar",
  "javax.activation.jar",
  "jaxb-api.jar",
].map((jar) => `/usr/share/java/${jar}`);

function onPath(program: string): boolean {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .some((dir) => dir !== "" && existsSync(join(dir, program)));
}

function gostEngineMissing(): string | undefined {
  if (!onPath("openssl")) return "openssl is not on PATH";
  let version: string;
  try {
    version = execFileSync("openssl", ["version", "-e"], { encoding: "utf8" });
  } catch (error) {
    return `openssl version -e failed: ${(error as Error).message}`;
  }
  const enginesDir = /ENGINESDIR:\s*"([^"]+)"/.exec(version)?.[1];
  if (!enginesDir) return "openssl reports no ENGINESDIR";
  return existsSync(join(enginesDir, "gost.so")) ? undefined : `${join(enginesDir, "gost.so")} not found`;
}

export const SYSTEM_TOOLS: Readonly<Record<SystemTool, ToolSpec>> = {
  preflight: {
    what: "Apache PDFBox Preflight (Java)",
    packages: ["default-jre-headless", "libpdfbox2-java", "libactivation-java", "libjaxb-api-java"],
    probe: () => {
      if (!onPath("java")) return "java is not on PATH";
      const absent = PREFLIGHT_JARS.find((jar) => !existsSync(jar));
      return absent ? `${absent} not found` : undefined;
    },
  },
  pdfsig: {
    what: "poppler pdfsig",
    packages: ["poppler-utils"],
    probe: () => (onPath("pdfsig") ? undefined : "pdfsig is not on PATH"),
  },
  "gost-engine": {
    what: "OpenSSL with the GOST engine",
    packages: ["openssl", "libengine-gost-openssl"],
    probe: gostEngineMissing,
  },
  chromium: {
    what: "Chromium (headless, driven by playwright-core for the console's browser tests)",
    packages: ["chromium"],
    probe: () => (chromiumPath() ? undefined : "chromium is not on PATH"),
  },
};

/** Debian's chromium (never a browser download): the first `chromium` on PATH. */
export function chromiumPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, "chromium"))) return join(dir, "chromium");
  }
  return undefined;
}

const CI_RUN = fileURLToPath(new URL("../../.ci/run", import.meta.url));

/** The Debian packages `.ci/run` installs, read from its `packages=(…)` line. */
export function ciPackages(file = CI_RUN): string[] {
  const match = /^packages=\(([^)]*)\)/m.exec(readFileSync(file, "utf8"));
  if (!match) throw new Error(`${file}: no packages=(…) line`);
  return match[1].split(/\s+/).filter(Boolean);
}

/** The one command that installs every tool the tests use (the same list as `.ci/run`). */
export function installCommand(): string {
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  return `${sudo}apt-get install -y --no-install-recommends ${ciPackages().join(" ")}`;
}

function forcedMissing(): Set<string> {
  return new Set(
    (process.env.REGLAMENT_TEST_MISSING_TOOLS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

const probed = new Map<SystemTool, string | undefined>();

/** Why the tool is missing on this machine, or undefined when it can be used. */
export function toolMissing(tool: SystemTool): string | undefined {
  const forced = forcedMissing();
  if (forced.has(tool) || forced.has("all")) return "REGLAMENT_TEST_MISSING_TOOLS";
  if (!probed.has(tool)) probed.set(tool, SYSTEM_TOOLS[tool].probe());
  return probed.get(tool);
}

export interface SkippedForTool {
  test: string;
  tool: SystemTool;
  why: string;
}

/** Tests skipped in this run for a missing tool (read by the root hook at the end). */
export const skippedForTools: SkippedForTool[] = [];

/**
 * Call first in a test or a `before` hook that needs the tool: returns when it is there, throws under
 * CI=true, and otherwise records the skip and skips the test (or the suite, from a `before` hook).
 */
export function requireTool(context: Mocha.Context, tool: SystemTool): void {
  const why = toolMissing(tool);
  if (why === undefined) return;
  const spec = SYSTEM_TOOLS[tool];
  if (process.env.CI === "true") {
    throw new Error(
      `${spec.what} is missing (${why}); CI=true, so this test fails instead of skipping. Install: ${installCommand()}`,
    );
  }
  // from a `before` (all) hook the whole suite is skipped: name the suite
  const runnable = context.test;
  const test =
    (runnable as { type?: string } | undefined)?.type === "hook" && runnable?.title.startsWith('"before all"')
      ? `${runnable.parent?.fullTitle() ?? ""} (whole suite)`
      : (context.currentTest ?? runnable)?.fullTitle();
  skippedForTools.push({ test: test ?? "(unknown test)", tool, why });
  context.skip();
}

/** The end-of-run note: which tests were skipped for which tool, and the command that installs them. */
export function skippedSummary(skipped: readonly SkippedForTool[] = skippedForTools): string | undefined {
  if (skipped.length === 0) return undefined;
  const lines = [
    `${skipped.length} test(s) skipped because a system tool is missing (under CI=true they fail):`,
    ...skipped.map((s) => `  - ${s.test} [needs ${SYSTEM_TOOLS[s.tool].what}: ${s.why}]`),
    "Install the tools with:",
    `  ${installCommand()}`,
  ];
  return lines.join("\n");
}
