// `reglament import-sheet <file...> --mapping <file|preset>`: journal spreadsheets (XLSX, CSV) into the store.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { SheetFileError } from "../../connectors/sheet/connector.ts";
import type { CsvEncoding } from "../../connectors/sheet/csv.ts";
import { DEFAULT_SHEET_SOURCE, importSheets } from "../../connectors/sheet/import-sheets.ts";
import { loadMapping, MappingError, presetNames } from "../../connectors/sheet/mapping.ts";
import { instantSchema, type School } from "../../model/records.ts";
import { listSchools } from "../../store/sync-state.ts";
import { configFrom, describeStore, globalOptions, openStoreFrom } from "../context.ts";
import { createProgress } from "../progress.ts";
import { UserError } from "../user-error.ts";
import { summaryTable } from "./import-export.ts";
import { quarantineSummary } from "./quarantine.ts";

interface Options {
  mapping: string;
  source: string;
  school?: string;
  schoolYear?: string;
  encoding?: string;
  observedAt?: string;
}

function parseOptions(o: Options): { encoding?: CsvEncoding; schoolYear?: number; observedAt?: string } {
  const enc = o.encoding
    ?.toLowerCase()
    .replace(/^cp/, "windows-")
    .replace(/^utf8$/, "utf-8");
  if (enc !== undefined && enc !== "utf-8" && enc !== "windows-1251")
    throw new UserError(`--encoding ${o.encoding}: expected utf-8 or windows-1251`);
  if (o.schoolYear !== undefined && !/^(19|20)\d\d$/.test(o.schoolYear))
    throw new UserError(`--school-year ${o.schoolYear}: expected the year it starts, e.g. 2025 for 2025/26`);
  if (o.observedAt !== undefined && !instantSchema.safeParse(o.observedAt).success)
    throw new UserError(`--observed-at ${o.observedAt}: expected an ISO 8601 time with offset`);
  return {
    encoding: enc as CsvEncoding | undefined,
    schoolYear: o.schoolYear ? Number(o.schoolYear) : undefined,
    observedAt: o.observedAt,
  };
}

export function registerImportSheet(program: Command): void {
  program
    .command("import-sheet")
    .description("import journal spreadsheets (XLSX, CSV) through a mapping: one observation of a school")
    .argument("<file...>", ".xlsx or .csv files (a CSV file is one sheet)")
    .requiredOption("--mapping <file|preset>", `mapping YAML, or a preset: ${presetNames().join(", ")}`)
    .option("--source <id>", "source id of these files (cursors, lock, history)", DEFAULT_SHEET_SOURCE)
    .option("--school <id>", "school in the store, when the mapping names none and the store holds several")
    .option("--school-year <yyyy>", "year the school year starts, for dates without one (default: now's)")
    .option("--encoding <name>", "CSV encoding: utf-8 or windows-1251 (default: detected)")
    .option("--observed-at <time>", "when the files were exported, ISO 8601 with offset (default: now)")
    .action(async (files: string[], opts: Options, cmd: Command) => {
      const parsed = parseOptions(opts);
      for (const f of files) if (!existsSync(f)) throw new UserError(`${f}: no such file`);
      let mapping: ReturnType<typeof loadMapping>;
      try {
        mapping = loadMapping(opts.mapping);
      } catch (err) {
        if (err instanceof MappingError) throw new UserError(err.message);
        throw err;
      }
      const config = configFrom(globalOptions(cmd));
      const db = await openStoreFrom(config);
      const progress = createProgress();
      try {
        let school: School | undefined;
        if (!mapping.mapping.school) {
          const schools = await listSchools(db);
          const named = opts.school ? schools.filter((s) => s.id === opts.school) : schools;
          if (named.length !== 1)
            throw new UserError(
              opts.school
                ? `no school "${opts.school}" in the store: name it in the mapping (school: id, name, timezone, workweek)`
                : `the mapping names no school and the store holds ${schools.length}: add \`school:\` to the mapping${schools.length > 1 ? " or use --school" : ""}`,
            );
          school = named[0];
        }
        const { summary, contents } = await importSheets(
          db,
          files.map((f) => resolve(f)),
          mapping.mapping,
          {
            ...parsed,
            school,
            source: opts.source,
            onProgress: (e) => progress.update(e.stream, e.done ?? e.read, e.total),
          },
        ).catch((err) => {
          if (err instanceof SheetFileError) throw new UserError(err.message);
          throw err;
        });
        progress.stop();
        console.log(
          `Imported ${contents.sheets} sheet(s) of ${files.length} file(s) with mapping ${mapping.name} into ${describeStore(config)}: school ${summary.schoolId}, observed ${summary.observedAt}`,
        );
        for (const [file, enc] of Object.entries(contents.encodings)) console.log(`${file}: read as ${enc}`);
        console.log(summaryTable(summary));
        if (contents.attendanceCodes > 0)
          console.log(
            `${contents.attendanceCodes} attendance code(s) seen and not stored: a sheet has no lesson records to hold them`,
          );
        for (const l of await quarantineSummary(db, summary.runId, summary.totals.quarantined))
          console.log(l);
        const t = summary.totals;
        if (t.inserted + t.updated + t.unchanged === 0)
          throw new UserError(`nothing usable was read from ${files.join(", ")}`);
      } finally {
        progress.stop();
        await db.close();
      }
    });
}
