// The `reglament` command line. A user's mistake prints one line and exits 1; REGLAMENT_DEBUG=1 shows stacks.
import { Command, CommanderError } from "commander";
import { registerAdmin } from "./commands/admin.ts";
import { registerArchive } from "./commands/archive.ts";
import { registerCheck } from "./commands/check.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerEscalate } from "./commands/escalate.ts";
import { registerImportExport } from "./commands/import-export.ts";
import { registerImportSheet } from "./commands/import-sheet.ts";
import { registerQuarantine } from "./commands/quarantine.ts";
import { registerReport } from "./commands/report.ts";
import { registerSources } from "./commands/sources.ts";
import { registerStart } from "./commands/start.ts";
import { registerStatus } from "./commands/status.ts";
import { registerWorker } from "./commands/worker.ts";
import { SCHOOL_CONFIG_HELP } from "./context.ts";

export function buildProgram(): Command {
  const program = new Command()
    .name("reglament")
    .description("E-journal regulation compliance beside a school's vendor platform")
    .option("--config <file>", SCHOOL_CONFIG_HELP)
    // Global options only before the command: `source add … --config FILE` is the source's own file.
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCheck(program);
  registerStart(program);
  registerImportExport(program);
  registerImportSheet(program);
  registerDemo(program);
  registerSources(program);
  registerReport(program);
  registerStatus(program);
  registerQuarantine(program);
  registerWorker(program);
  registerAdmin(program);
  registerArchive(program);
  registerEscalate(program);
  const overrideAll = (c: Command) => {
    c.exitOverride();
    // After the command, --config is still the school's file, unless the command has its own.
    if (c !== program && c.commands.length === 0 && !c.options.some((o) => o.long === "--config"))
      c.option("--config <file>", SCHOOL_CONFIG_HELP);
    c.commands.forEach(overrideAll);
  };
  overrideAll(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`reglament: ${message}`);
    if (process.env.REGLAMENT_DEBUG && err instanceof Error) console.error(err.stack);
    return 1;
  }
}
