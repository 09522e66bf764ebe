// `reglament migrate` and `reglament config validate`.
import type { Command } from "commander";
import { loadConfig, validateConfigFile } from "../../config/load-config.ts";
import { migrate } from "../../store/migrate.ts";
import { openStore } from "../../store/open-store.ts";
import { configFrom, describeStore, type GlobalOptions } from "../context.ts";

export function registerAdmin(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (they also run on every start)")
    .action(async (_opts, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const db = await openStore({
        ...(config.store.databaseUrl
          ? { databaseUrl: config.store.databaseUrl }
          : { dataDir: config.store.dataDir }),
        skipMigrations: true,
      });
      try {
        const applied = await migrate(db);
        console.log(
          applied.length
            ? `Applied ${applied.join(", ")} to ${describeStore(config)}`
            : `${describeStore(config)} is up to date`,
        );
      } finally {
        await db.close();
      }
    });

  const configCmd = program.command("config").description("configuration tools");
  configCmd
    .command("validate")
    .description("check config/default.yaml, a school's config file and the environment")
    .argument("[file]", "a config file to check on its own as well")
    .action((file: string | undefined, _opts, cmd: Command) => {
      if (file) validateConfigFile(file);
      loadConfig({ file: file ?? cmd.optsWithGlobals<GlobalOptions>().config });
      console.log(`Configuration is valid${file ? ` (${file})` : ""}.`);
    });
}
