// `npm start` = `reglament start`: the main job end to end on the configured store (embedded by default):
// generate the demo school, bring it into the store, print what the store holds.
import { resolve } from "node:path";
import type { Command } from "commander";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { generateDemo } from "./demo.ts";
import { runImport, summaryTable } from "./import-export.ts";
import { statusText } from "./status.ts";

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("run the main job on the demo school: generate, import, show the store")
    .action(async (_opts, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const dir = resolve(config.demo.dir);
      console.log(`1. Generating the ${config.demo.size} demo school (seed ${config.demo.seed}) in ${dir}`);
      await generateDemo(config.demo.size, config.demo.seed, dir);
      console.log(`2. Importing it into ${describeStore(config)}`);
      const db = await openStoreFrom(config);
      try {
        const summary = await runImport(db, dir);
        console.log(summaryTable(summary));
        console.log("3. What the store holds");
        console.log(await statusText(db, describeStore(config)));
      } finally {
        await db.close();
      }
    });
}
