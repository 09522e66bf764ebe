// The lazy program the built executable runs must behave as the program with every command loaded: same
// top-level help, same errors, same help of each command, while loading only the module a call names.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Command, CommanderError } from "commander";
import {
  buildFullProgram,
  buildProgram,
  COMMAND_MODULES,
  type CommandManifest,
  commandManifest,
  commandNameOf,
  readManifest,
} from "../../src/cli/program.ts";

/** What a call prints (stdout and stderr together) and its exit code, the program built as `build` says. */
async function call(program: Command, args: string[]): Promise<{ out: string; code: number }> {
  let out = "";
  const capture = (c: Command) => {
    const write = (text: string) => {
      out += text;
    };
    c.configureOutput({ writeOut: write, writeErr: write });
    c.commands.forEach(capture);
  };
  capture(program);
  let code = 0;
  try {
    await program.parseAsync(["node", "reglament", ...args]);
  } catch (err) {
    code = (err as CommanderError).exitCode;
  }
  return { out, code };
}

describe("the lazy CLI program", function () {
  this.timeout(120_000);
  let manifest: CommandManifest;
  before(async () => {
    manifest = await commandManifest();
  });

  it("describes every module and every top-level command of the full program", async () => {
    expect(Object.keys(manifest)).to.deep.equal(Object.keys(COMMAND_MODULES));
    const full = await buildFullProgram();
    const described = Object.values(manifest).flatMap((stubs) => stubs.map((s) => s.names[0]));
    expect(described).to.deep.equal(full.commands.map((c) => c.name()));
    expect(described).to.include.members(["check", "status", "import", "archive", "serve", "source", "sync"]);
  });

  for (const args of [
    ["--help"],
    [],
    ["help"],
    ["nope"],
    ["stauts"],
    ["help", "archive"],
    ["archive"],
    ["archive", "--help"],
    ["--help", "status"],
    ["--config", "x.yaml", "report", "--help"],
    ["source", "add", "--help"],
    ["check", "--bogus"],
  ]) {
    it(`prints what the full program prints for \`reglament ${args.join(" ")}\``, async () => {
      const lazy = await call(await buildProgram(["node", "reglament", ...args], manifest), args);
      const full = await call(await buildFullProgram(), args);
      expect(lazy).to.deep.equal(full);
      expect(lazy.out).to.match(/Usage: reglament|error:/);
    });
  }

  it("loads only the module of the command a call names", async () => {
    const status = await buildProgram(["node", "reglament", "status"], manifest);
    expect(status.commands.map((c) => c.name())).to.deep.equal(["status"]);
    const sources = await buildProgram(
      ["node", "reglament", "--config", "s.yaml", "sync", "--full"],
      manifest,
    );
    expect(sources.commands.map((c) => c.name())).to.deep.equal(["source", "sync"]);
  });

  it("finds the command after the global options, and the one `help` names", () => {
    expect(commandNameOf(["status"])).to.equal("status");
    expect(commandNameOf(["--config", "status", "check"])).to.equal("check");
    expect(commandNameOf(["--config=s.yaml", "import", "dir", "-h"])).to.equal("import");
    expect(commandNameOf(["-h", "import"])).to.equal(undefined);
    expect(commandNameOf(["help", "--x", "archive"])).to.equal("archive");
    expect(commandNameOf(["help"])).to.equal(undefined);
    expect(commandNameOf(["--help"])).to.equal(undefined);
  });

  it("distrusts a manifest written for another table of modules", () => {
    const dir = mkdtempSync(join(tmpdir(), "reglament-manifest-"));
    const file = join(dir, "commands.json");
    writeFileSync(file, JSON.stringify(manifest));
    expect(readManifest(file)).to.deep.equal(manifest);
    const { check: _dropped, ...fewer } = manifest;
    writeFileSync(file, JSON.stringify(fewer));
    expect(readManifest(file)).to.equal(undefined);
    expect(readManifest(join(dir, "missing.json"))).to.equal(undefined);
  });
});
