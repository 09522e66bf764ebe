// `reglament import <dir>`: a dataset folder is one observation of the school, synced like a platform.
import { FileConnector } from "../connectors/file/connector.ts";
import type { Db } from "../store/db.ts";
import { runSync, type SyncOptions, type SyncSummary } from "../sync/run-sync.ts";

export async function importDataset(
  db: Db,
  dir: string,
  options: Pick<SyncOptions, "onProgress" | "afterCommit"> = {},
): Promise<SyncSummary> {
  return runSync(db, new FileConnector(dir), { source: "file", full: true, ...options });
}

/** Nothing usable: every line was rejected (or there were none). */
export function nothingUsable(summary: SyncSummary): boolean {
  const t = summary.totals;
  return t.inserted + t.updated + t.unchanged === 0;
}
