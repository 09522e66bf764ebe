// What every command needs: the validated config and a store opened from it.
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load-config.ts";
import type { Config } from "../config/schema.ts";
import type { Db } from "../store/db.ts";
import { listSchools } from "../store/sync-state.ts";
import { SCHOOL_CONFIG_HELP } from "./school-config-option.ts";
import { UserError } from "./user-error.ts";

export { SCHOOL_CONFIG_HELP };

export interface GlobalOptions {
  config?: string;
}

/** The school config file of a command: its own --config when that is the global one, else the program's. */
export function globalOptions(cmd: Command): GlobalOptions {
  const own = cmd.options.find((o) => o.long === "--config");
  if (!own || own.description === SCHOOL_CONFIG_HELP) return cmd.optsWithGlobals<GlobalOptions>();
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

export function configFrom(opts: GlobalOptions): Config {
  return loadConfig({ file: opts.config });
}

/** The configured store; `brief` for a short call that reads little (see StoreOptions). */
export async function openStoreFrom(config: Config, how: { brief?: boolean } = {}): Promise<Db> {
  // Loaded here, not at the top: commands that never open the store (help, config validate) skip PGlite.
  const { openStore } = await import("../store/open-store.ts");
  return openStore(
    config.store.databaseUrl
      ? { databaseUrl: config.store.databaseUrl }
      : { dataDir: resolve(config.store.dataDir), brief: how.brief },
  );
}

export function describeStore(config: Config): string {
  return config.store.databaseUrl
    ? `PostgreSQL ${config.store.databaseUrl.replace(/\/\/[^@/]*@/, "//***@")}`
    : `embedded PGlite in ${resolve(config.store.dataDir)}`;
}

/** The school a command is about: the one named, or the only one in the store. */
export async function pickSchool(db: Db, requested?: string): Promise<string> {
  const schools = await listSchools(db);
  if (requested) {
    if (!schools.some((s) => s.id === requested))
      throw new UserError(`no school "${requested}" in the store`);
    return requested;
  }
  if (schools.length === 0)
    throw new UserError("the store holds no school yet: run `reglament import <dir>` first");
  if (schools.length > 1) {
    throw new UserError(
      `the store holds ${schools.length} schools; name one with --school (${schools.map((s) => s.id).join(", ")})`,
    );
  }
  return schools[0].id;
}
