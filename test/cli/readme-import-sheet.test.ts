// The README's "Spreadsheet import" section run as written: its example mapping is written to the file
// it names, exactly as the README shows it, and its commands run by the real executable on files built
// here (a CSV with title rows, an XLSX journal with a merged month row).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import {
  tempDir,
  writeCsv,
  writeMonthDaysXlsx,
  writeSummaryXlsx,
} from "../connectors/sheet/support/journal-files.ts";
import { runCli } from "../support/run-cli.ts";

const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
const SECTION = /## Spreadsheet import\n([\s\S]*?)\n## /.exec(README)?.[1] ?? "";
/** The example mappings: [text, the file name its first line gives]. */
const MAPPINGS = [...SECTION.matchAll(/```yaml\n(# (\S+)[\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
const COMMANDS = [...SECTION.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
  m[1].split("\n").filter((l) => l.startsWith("reglament ")),
);

const USAGE = "reglament import-sheet <file...> --mapping <file|preset> [--source ID]";

async function run(command: string, env: NodeJS.ProcessEnv, cwd: string) {
  const r = await runCli(command.replace(/^reglament /, "").split(/\s+/), env, cwd);
  expect(r.code, `${command}\n${r.stderr}`).to.equal(0);
  expect(r.stderr).not.to.match(/\n\s+at /);
  return r.stdout;
}

/** The summary table's total row: read, inserted, updated, unchanged, quarantined, deleted. */
function totals(stdout: string): number[] {
  const line = stdout.split("\n").find((l) => /^\s*total\b/.test(l.replace(/[│|]/g, " ")));
  return (line ?? "").replace(/[│|]/g, " ").trim().split(/\s+/).slice(1).map(Number);
}

describe("the README's spreadsheet import", function () {
  this.timeout(1_200_000);

  it("shows a mapping and the commands this test runs, and every import-sheet command is here", () => {
    expect(MAPPINGS.map((m) => m[1])).to.deep.equal(["my-journal.yaml", "my-summary.yaml"]);
    expect(COMMANDS).to.deep.equal([
      "reglament import-sheet history-7b.csv --mapping my-journal.yaml",
      "reglament import-sheet journal-7a.xlsx --mapping journal-month-days --school-year 2025",
      "reglament import-sheet svodnaya-7a.xlsx --mapping my-summary.yaml",
    ]);
    const everywhere = [...README.matchAll(/reglament import-sheet [^`\n]+/g)].map((m) =>
      m[0].replace(/\\\|/g, "|"),
    );
    expect([...new Set(everywhere)].sort()).to.deep.equal([...COMMANDS, USAGE].sort());
  });

  it("runs the commands as written, a re-import writes nothing, and the usage line's --source", async () => {
    const cwd = tempDir();
    const env = { REGLAMENT_DATA_DIR: join(cwd, "data", "pglite") };
    for (const [text, name] of MAPPINGS) writeFileSync(join(cwd, name), text);
    writeCsv(
      join(cwd, "history-7b.csv"),
      [
        ["", "Класс: 7Б"],
        ["", "Предмет: История"],
        [],
        ["№", "ФИО", "02.09", "05.09", "17 сен", "Ср. балл"],
        ["1", "Ёлкина Мария", "5", "н", "4 5", "4,7"],
        ["2", "Щукин Юрий", "зч", "7", "", ""],
      ],
      "windows-1251",
    );
    await writeMonthDaysXlsx(join(cwd, "journal-7a.xlsx"), [
      {
        name: "7А Математика",
        months: [
          { name: "Сентябрь", days: [2, 5] },
          { name: "Октябрь", days: [3] },
        ],
        pupils: [{ name: "Иванов Иван", cells: ["5", "н/а", "осв"] }],
      },
    ]);

    const first = await run(COMMANDS[0], env, cwd);
    expect(first).to.include("history-7b.csv: read as windows-1251");
    expect(first).to.include("1 attendance code(s) seen and not stored");
    expect(first).to.include("history-7b.csv:history-7b!D6: not a mark (1-5) or a journal code");
    expect(totals(first)).to.deep.equal([
      // subjects 1, classes 1, persons 2, marks 4 good + 1 bad
      9, 8, 0, 0, 1, 0,
    ]);
    const second = await run(COMMANDS[1], env, cwd);
    expect(totals(second)).to.deep.equal([6, 6, 0, 0, 0, 0]);
    const again = await run(COMMANDS[0], env, cwd);
    expect(totals(again)).to.deep.equal([9, 0, 0, 8, 1, 0]);

    // The «Сводная ведомость»: period marks into the mapping's periods, a bad cell quarantined with its
    // place, and a re-import writes nothing.
    await writeSummaryXlsx(join(cwd, "svodnaya-7a.xlsx"), [
      {
        name: "7А",
        subjects: [
          { name: "Математика", periods: ["I четв", "II четв", "год"] },
          { name: "Литература", periods: ["I четв"] },
        ],
        pupils: [{ name: "Иванов Иван", cells: ["5", "4", "5", "нб"] }],
      },
    ]);
    const summary = await run(COMMANDS[2], env, cwd);
    expect(summary).to.include("svodnaya-7a.xlsx:7А!F3");
    // periods 3, subjects 2 (Математика known), class 7А and its pupil known, period marks 3 good + 1 bad
    expect(totals(summary)).to.deep.equal([11, 7, 0, 3, 1, 0]);
    const summaryAgain = await run(COMMANDS[2], env, cwd);
    expect(totals(summaryAgain)).to.deep.equal([11, 0, 0, 10, 1, 0]);

    // The usage line with its optional --source: another source, the same journal, nothing written.
    const usage = await run(
      "reglament import-sheet history-7b.csv --mapping my-journal.yaml --source sheets-2025",
      env,
      cwd,
    );
    expect(totals(usage)).to.deep.equal([9, 0, 0, 8, 1, 0]);
  });
});
