// `reglament import <dir>` and `reglament export <dir>`.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { exportDataset } from "../../dataset/export.ts";
import { importDataset, nothingUsable } from "../../dataset/import.ts";
import type { Db } from "../../store/db.ts";
import type { SyncSummary } from "../../sync/run-sync.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom, pickSchool } from "../context.ts";
import { table } from "../format.ts";
import { createProgress } from "../progress.ts";
import { UserError } from "../user-error.ts";
import { quarantineSummary } from "./quarantine.ts";

export function summaryTable(s: SyncSummary): string {
  const rows = Object.entries(s.streams).map(([stream, c]) => [
    stream,
    c.read,
    c.inserted,
    c.updated,
    c.unchanged,
    c.quarantined,
    c.deleted,
  ]);
  const t = s.totals;
  rows.push(["total", t.read, t.inserted, t.updated, t.unchanged, t.quarantined, t.deleted]);
  return table(["stream", "read", "inserted", "updated", "unchanged", "quarantined", "deleted"], rows);
}

export async function runImport(db: Db, dir: string): Promise<SyncSummary> {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
  const progress = createProgress();
  try {
    return await importDataset(db, dir, {
      onProgress: (e) => progress.update(e.stream, e.done ?? e.read, e.total),
    });
  } finally {
    progress.stop();
  }
}

export function registerImportExport(program: Command): void {
  program
    .command("import")
    .description("import a reglament dataset v1 folder (one observation of a school)")
    .argument("<dir>", "dataset folder with manifest.json and *.jsonl")
    .action(async (dir: string, _opts, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
      const db = await openStoreFrom(config);
      try {
        const s = await runImport(db, resolve(dir));
        console.log(
          `Imported ${dir} into ${describeStore(config)}: school ${s.schoolId}, observed ${s.observedAt}`,
        );
        console.log(summaryTable(s));
        for (const l of await quarantineSummary(db, s.runId, s.totals.quarantined)) console.log(l);
        if (nothingUsable(s)) throw new UserError(`nothing usable was read from ${dir}`);
      } finally {
        await db.close();
      }
    });

  program
    .command("export")
    .description("write the store's live journal of a school as a reglament dataset v1 folder")
    .argument("<dir>", "folder to write (created if missing)")
    .option("--school <id>", "school id (needed when the store holds several)")
    .action(async (dir: string, opts: { school?: string }, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const db = await openStoreFrom(config);
      const progress = createProgress();
      try {
        const school = await pickSchool(db, opts.school);
        const counts = await exportDataset(db, school, resolve(dir), (stream, n) =>
          progress.update(stream, n),
        );
        progress.stop();
        console.log(`Exported school ${school} to ${dir}`);
        console.log(table(["stream", "records"], Object.entries(counts)));
      } finally {
        progress.stop();
        await db.close();
      }
    });
}
