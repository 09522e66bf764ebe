import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { ciPackages, installCommand, SYSTEM_TOOLS, skippedSummary } from "./system-tools.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURE = "test/support/fixtures/needs-tools.fixture.ts";
const MOCHA = createRequire(import.meta.url).resolve("mocha/bin/mocha.js");

/** Runs the fixture through mocha with the project's .mocharc.json (only its spec replaced). */
function runFixture(env: Record<string, string | undefined>): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "reglament-tools-"));
  try {
    const config = JSON.parse(readFileSync(join(ROOT, ".mocharc.json"), "utf8"));
    const file = join(dir, "mocharc.json");
    writeFileSync(file, JSON.stringify({ ...config, spec: [FIXTURE] }));
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
    const result = spawnSync(process.execPath, [MOCHA, "--config", file, "--reporter", "spec"], {
      cwd: ROOT,
      env: childEnv,
      encoding: "utf8",
      timeout: 120_000,
    });
    return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("test support: tests that need a system tool (Preflight, pdfsig, the GOST engine)", () => {
  it("every tool's packages are in .ci/run's list, and the install command is that list", () => {
    const packages = ciPackages();
    for (const spec of Object.values(SYSTEM_TOOLS)) expect(packages).to.include.members([...spec.packages]);
    expect(installCommand()).to.match(
      new RegExp(`apt-get install -y --no-install-recommends ${packages.join(" ")}$`),
    );
  });

  it("outside CI a missing tool skips, and one note at the end names the tests and the command", function () {
    this.timeout(120_000);
    // PATH holding only node: java, pdfsig and openssl are all missing, as on a fresh machine
    const bin = mkdtempSync(join(tmpdir(), "reglament-path-"));
    try {
      symlinkSync(process.execPath, join(bin, "node"));
      const { code, output } = runFixture({ CI: undefined, PATH: bin, REGLAMENT_TEST_MISSING_TOOLS: "" });
      expect(code, output).to.equal(0);
      expect(output).to.match(/1 passing/);
      expect(output).to.match(/3 pending/);
      expect(output.split("Install the tools with:").length - 1, output).to.equal(1);
      expect(output).to.include(
        "needs Preflight [needs Apache PDFBox Preflight (Java): java is not on PATH]",
      );
      expect(output).to.include("needs pdfsig [needs poppler pdfsig: pdfsig is not on PATH]");
      expect(output).to.include("a suite that needs the GOST engine (whole suite)");
      expect(output).to.include(`apt-get install -y --no-install-recommends ${ciPackages().join(" ")}`);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it("under CI=true a missing tool fails the run", function () {
    this.timeout(120_000);
    const { code, output } = runFixture({ CI: "true", REGLAMENT_TEST_MISSING_TOOLS: "all" });
    expect(code, output).to.equal(3);
    expect(output).to.match(/3 failing/);
    expect(output).to.include("poppler pdfsig is missing (REGLAMENT_TEST_MISSING_TOOLS); CI=true");
    expect(output).not.to.include("Install the tools with:");
  });

  it("says nothing when no test was skipped", () => {
    expect(skippedSummary([])).to.equal(undefined);
  });
});
