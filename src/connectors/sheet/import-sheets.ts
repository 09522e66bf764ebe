// `reglament import-sheet`: spreadsheet files are one observation of a school, synced like a platform
// (the same path as a sync: pages, scopes, quarantine, evidence of time).
import type { Db } from "../../store/db.ts";
import { runSync, type SyncOptions, type SyncSummary } from "../../sync/run-sync.ts";
import { SheetConnector, type SheetContents, type SheetImportOptions } from "./connector.ts";
import type { SheetMapping } from "./mapping.ts";

export const DEFAULT_SHEET_SOURCE = "sheet";

export interface SheetImportResult {
  summary: SyncSummary;
  /** Sheets read, attendance codes seen (not stored) and the encodings of CSV files. */
  contents: Pick<SheetContents, "sheets" | "attendanceCodes" | "encodings">;
}

export async function importSheets(
  db: Db,
  files: string[],
  mapping: SheetMapping,
  options: SheetImportOptions & { source?: string } & Pick<SyncOptions, "onProgress"> = {},
): Promise<SheetImportResult> {
  const connector = new SheetConnector(files, mapping, options);
  const summary = await runSync(db, connector, {
    source: options.source ?? DEFAULT_SHEET_SOURCE,
    full: true,
    onProgress: options.onProgress,
  });
  const { sheets, attendanceCodes, encodings } = await connector.loadContents();
  return { summary, contents: { sheets, attendanceCodes, encodings } };
}
