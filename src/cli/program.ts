// The `reglament` command line. A user's mistake prints one line and exits 1; REGLAMENT_DEBUG=1 shows stacks.
// Commands load lazily: a call imports only the module of the command it runs (the others pull in the store,
// PDF, spreadsheet and queue libraries, seconds of start-up). The top-level help comes from a manifest the
// build writes (dist/cli/commands.json: each module's top-level names, help terms and descriptions).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Help } from "commander";
import { SCHOOL_CONFIG_HELP } from "./school-config-option.ts";

export type RegisterCommands = (program: Command) => void;

/**
 * Every command module: ONE line each, `key: async () => (await import("./commands/<file>.ts")).register<X>,`.
 * The register function adds the module's commands (names, options, actions) to the program as before; it
 * may add several top-level commands. Order here is the order of the help. The key only names the module in
 * the manifest. Nothing else to update: the build finds the module's command names itself.
 */
export const COMMAND_MODULES: Record<string, () => Promise<RegisterCommands>> = {
  check: async () => (await import("./commands/check.ts")).registerCheck,
  start: async () => (await import("./commands/start.ts")).registerStart,
  importExport: async () => (await import("./commands/import-export.ts")).registerImportExport,
  demo: async () => (await import("./commands/demo.ts")).registerDemo,
  sources: async () => (await import("./commands/sources.ts")).registerSources,
  report: async () => (await import("./commands/report.ts")).registerReport,
  status: async () => (await import("./commands/status.ts")).registerStatus,
  quarantine: async () => (await import("./commands/quarantine.ts")).registerQuarantine,
  worker: async () => (await import("./commands/worker.ts")).registerWorker,
  admin: async () => (await import("./commands/admin.ts")).registerAdmin,
  archive: async () => (await import("./commands/archive.ts")).registerArchive,
  escalate: async () => (await import("./commands/escalate.ts")).registerEscalate,
  user: async () => (await import("./commands/user.ts")).registerUser,
  importSheet: async () => (await import("./commands/import-sheet.ts")).registerImportSheet,
};

/** A top-level command as the root help shows it. */
export interface CommandStub {
  names: string[];
  term: string;
  description: string;
}

/** Per module key, its top-level commands. Written by the build beside the compiled program. */
export type CommandManifest = Record<string, CommandStub[]>;

export const MANIFEST_FILE = fileURLToPath(new URL("./commands.json", import.meta.url));

/** The build's manifest, or undefined when running from sources (then every module loads). */
export function readManifest(file = MANIFEST_FILE): CommandManifest | undefined {
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, "utf8")) as CommandManifest;
  // A manifest from another table (a module added since) is not trusted: load everything instead.
  const keys = Object.keys(COMMAND_MODULES);
  if (Object.keys(manifest).join() !== keys.join()) return undefined;
  return manifest;
}

function rootCommand(): Command {
  return (
    new Command()
      .name("reglament")
      .description("E-journal regulation compliance beside a school's vendor platform")
      .option("--config <file>", SCHOOL_CONFIG_HELP)
      // Global options only before the command: `source add … --config FILE` is the source's own file.
      .enablePositionalOptions()
      .showHelpAfterError("(run with --help for usage)")
      .exitOverride()
  );
}

function finish(program: Command): Command {
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

/**
 * The command a call names: the first operand after the global options (`help X` names X). None when the
 * help option comes first: `reglament --help status` shows the top-level help.
 */
export function commandNameOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--config") i++;
    else if (a === "-h" || a === "--help") return undefined;
    else if (a === "--") return args[i + 1];
    else if (a.startsWith("-")) continue;
    else if (a === "help") return args.slice(i + 1).find((x) => !x.startsWith("-"));
    else return a;
  }
  return undefined;
}

/** Every command, every module loaded: what the build describes, and the program when run from sources. */
export async function buildFullProgram(): Promise<Command> {
  const program = rootCommand();
  for (const load of Object.values(COMMAND_MODULES)) (await load())(program);
  return finish(program);
}

/**
 * The program for one call (`argv` as process.argv). With a manifest, only the module of the named command
 * is loaded; with no command or an unknown one, the top-level commands are stand-ins that only show help.
 */
export async function buildProgram(
  argv: string[] = process.argv,
  manifest: CommandManifest | undefined = readManifest(),
): Promise<Command> {
  if (!manifest) return buildFullProgram();
  const program = rootCommand();
  const name = commandNameOf(argv.slice(2));
  const key = Object.keys(manifest).find((k) => manifest[k].some((c) => c.names.includes(name ?? "")));
  if (key) {
    (await COMMAND_MODULES[key]())(program);
    return finish(program);
  }
  const terms = new Map<Command, CommandStub>();
  for (const stub of Object.values(manifest).flat()) {
    const c = program.command(stub.names[0]).description(stub.description);
    for (const alias of stub.names.slice(1)) c.alias(alias);
    terms.set(c, stub);
  }
  program.configureHelp({
    subcommandTerm: (c) => terms.get(c)?.term ?? new Help().subcommandTerm(c),
  });
  return finish(program);
}

/** The manifest of the full program: what `buildProgram` needs to show the top-level help without loading. */
export async function commandManifest(): Promise<CommandManifest> {
  const manifest: CommandManifest = {};
  const help = new Help();
  for (const [key, load] of Object.entries(COMMAND_MODULES)) {
    const program = rootCommand();
    (await load())(program);
    finish(program);
    manifest[key] = program.commands.map((c) => ({
      names: [c.name(), ...c.aliases()],
      term: help.subcommandTerm(c),
      description: help.subcommandDescription(c),
    }));
  }
  return manifest;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const message = err instanceof Error ? err.message : String(err);
    console.error(`reglament: ${message}`);
    if (process.env.REGLAMENT_DEBUG && err instanceof Error) console.error(err.stack);
    return 1;
  }
}
