// `reglament report …` through the real executable: writes the files and lists them.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parseFormats } from "../../src/cli/commands/report.ts";
import { UserError } from "../../src/cli/user-error.ts";
import { writeDataset } from "../support/dataset-builder.ts";
import { runCli } from "../support/run-cli.ts";
import { builderSchool } from "./builders/builder-dataset.ts";

describe("reglament report (CLI)", function () {
  this.timeout(180_000);
  const home = mkdtempSync(join(tmpdir(), "reglament-report-cli-"));
  const env = { REGLAMENT_DATA_DIR: join(home, "store") };
  const out = join(home, "reports");
  // the school's folder, then names as a coordinator reads them
  const performance = join(out, "sch1", "Успеваемость и качество обучения, 1 четверть 2025-2026");
  const classResults = join(out, "sch1", "Итоги успеваемости 5А, 1 четверть 2025-2026.pdf");

  before(async function () {
    this.timeout(180_000);
    const r = await runCli(["import", writeDataset(builderSchool())], env);
    expect(r.code, r.stderr).to.equal(0);
  });

  it("writes a report in the formats asked for and lists kinds and files", async () => {
    const r = await runCli(
      ["report", "performance", "--period", "q1", "--format", "pdf,xlsx,csv,json", "--out", out],
      env,
    );
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain("Отчёт об успеваемости и качестве обучения");
    for (const ext of ["pdf", "xlsx", "csv", "json"]) {
      const file = `${performance}.${ext}`;
      expect(existsSync(file), file).to.equal(true);
    }
    expect(JSON.parse(readFileSync(`${performance}.json`, "utf8")).report.kind).to.equal("performance");
    const classReport = await runCli(["report", "class-results", "--class", "5a", "--out", out], env);
    expect(classReport.code, classReport.stderr).to.equal(0);
    expect(existsSync(classResults)).to.equal(true); // the latest ended period by default

    const list = await runCli(["report", "list"], env);
    expect(list.code, list.stderr).to.equal(0);
    expect(list.stdout).to.match(/control-spravka\s+Справка по итогам контроля/);
    expect(list.stdout).to.contain(`${performance}.xlsx`);
    expect(list.stdout).to.contain(classResults);
  });

  it("a user's mistake prints one line and exits 1", async () => {
    // Few cases: every run starts a process (slow on a loaded machine); the rest is covered in-process.
    const cases: [string[], RegExp][] = [
      [["report", "nope"], /unknown report "nope"/],
      [["report", "performance", "--period", "q9"], /no period "q9" \(periods: q1\)/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli([...args, "--out", out], env);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).to.equal(1);
      expect(r.stderr.trim().split("\n")).to.have.length(1);
      expect(r.stderr).to.match(re);
    }
  });
});

describe("reglament report: option parsing", () => {
  it("reads a comma-separated format list and rejects unknown formats", () => {
    expect(parseFormats("pdf, xlsx,json")).to.deep.equal(["pdf", "xlsx", "json"]);
    expect(parseFormats(undefined)).to.deep.equal(["pdf"]);
    expect(() => parseFormats("pdf,docx")).to.throw(UserError, /unknown format "docx"/);
  });
});
