import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Command, CommanderError } from "commander";
import { buildFullProgram, buildProgram, commandManifest } from "../../src/cli/program.ts";
import { tinySchool, writeDataset } from "../support/dataset-builder.ts";
import { runCli } from "../support/run-cli.ts";

describe("reglament CLI", function () {
  // Each case starts the real executable (and an embedded database): slow on a busy machine, not a speed test.
  this.timeout(300_000);
  const dataDir = () => mkdtempSync(join(tmpdir(), "reglament-cli-"));

  it("has --help on every command", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).to.equal(0);
    expect(top.stdout).to.match(/Usage: reglament/);
    // Every (sub)command, in process: walk the tree and ask each for its help text.
    const paths: string[][] = [];
    const walk = (c: Command, path: string[]) => {
      for (const sub of c.commands) {
        if (sub.name() === "help") continue;
        paths.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(await buildFullProgram(), []);
    expect(paths.length).to.be.greaterThan(15);
    // Each through the lazy program the built executable runs: only the named command's module loaded.
    const manifest = await commandManifest();
    for (const path of paths) {
      let out = "";
      const program = await buildProgram(["node", "reglament", ...path, "--help"], manifest);
      const capture = (c: Command) => {
        c.configureOutput({
          writeOut: (text) => {
            out += text;
          },
          writeErr: (text) => {
            out += text;
          },
        });
        c.commands.forEach(capture);
      };
      capture(program);
      let code: number | undefined;
      try {
        await program.parseAsync(["node", "reglament", ...path, "--help"]);
      } catch (err) {
        code = (err as CommanderError).exitCode;
      }
      expect(code, path.join(" ")).to.equal(0);
      expect(out, path.join(" ")).to.contain(`Usage: reglament ${path.join(" ")}`);
    }
  });

  it("imports, re-imports with 0 writes, exports and shows status", async () => {
    const env = { REGLAMENT_DATA_DIR: dataDir() };
    const dir = writeDataset(tinySchool(), { extraLines: { marks: ["{oops"] } });
    const first = await runCli(["import", dir], env);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/marks\s+3\s+2\s+0\s+0\s+1\s+0/);
    expect(first.stdout).to.match(/marks\.jsonl:3: invalid JSON/);
    const again = await runCli(["import", dir], env);
    expect(again.stdout).to.match(/total\s+\d+\s+0\s+0\s+\d+\s+1\s+0/);
    const out = join(dataDir(), "export");
    const exp = await runCli(["export", out], env);
    expect(exp.code, exp.stderr).to.equal(0);
    expect(exp.stdout).to.match(/marks\s+2/);
    const status = await runCli(["status"], env);
    expect(status.stdout).to.match(/School sch1 «МБОУ СОШ № 1»/);
    expect(status.stdout).to.match(/Quarantined records: 1/);
  });

  it("a user mistake is one clear line and exit 1, never a stack trace", async () => {
    const env = { REGLAMENT_DATA_DIR: dataDir() };
    const cases: [string[], RegExp][] = [
      [["import", "/no/such/dir"], /no such folder/],
      [["export", "/tmp/x"], /holds no school yet/],
      [["demo", "generate", "--size", "huge", "--out", "/tmp/x"], /expected one of small, medium, large/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, env);
      expect(r.code, args.join(" ")).to.equal(1);
      expect(r.stderr).to.match(re);
      expect(r.stderr).not.to.match(/\n\s+at /);
    }
  });

  it("exits non-zero when nothing usable was read", async () => {
    const ds = tinySchool();
    for (const k of Object.keys(ds.streams) as (keyof typeof ds.streams)[]) ds.streams[k] = [];
    const dir = writeDataset(ds, { extraLines: { subjects: ["garbage"] } });
    const r = await runCli(["import", dir], { REGLAMENT_DATA_DIR: dataDir() });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/nothing usable was read/);
  });

  it("config validate names the file, the key and what was expected", async () => {
    const file = join(dataDir(), "school.yaml");
    writeFileSync(file, "queue:\n  concurrency: many\n");
    const r = await runCli(["config", "validate", file]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`${file}: key "queue.concurrency"`);
    expect(r.stderr).to.match(/expected number/);
    writeFileSync(file, "store:\n  datadir: ./x\n");
    const typo = await runCli(["config", "validate", file]);
    expect(typo.stderr).to.match(/key "store": unknown key\(s\) "datadir"/);
    const ok = await runCli(["config", "validate"]);
    expect(ok.code).to.equal(0);
  });
});
