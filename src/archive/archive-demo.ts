/**
 * What `reglament start` calls for the demo: archive the last closed period of every school in the
 * store with the configured signer, or the throwaway «ДЕМО» certificate when none is configured.
 */
import { resolve } from "node:path";
import type { Config } from "../config/schema.ts";
import type { Db } from "../store/db.ts";
import type { ArchiveConfig } from "./archive-config.ts";
import { type ArchivePeriodResult, archivePeriod } from "./archive-run.ts";
import type { StorageTarget } from "./replicas.ts";
import { signerFromConfig } from "./signer-from-config.ts";

export function targetsFromConfig(archive: ArchiveConfig): StorageTarget[] {
  return archive.targets.map((t) => ({ ...t, path: resolve(t.path) }));
}

/**
 * The period to archive by default: the latest (non-year) period that ended on or before the last
 * day with lessons in the store — the last closed one; else the latest period with lessons.
 */
export async function lastClosedPeriod(db: Db, schoolId: string): Promise<string | undefined> {
  const [closed] = await db.query<{ id: string }>(
    `SELECT p.id FROM periods p
      WHERE p.school_id = $1 AND p.deleted_at IS NULL AND p.kind <> 'year'
        AND p.end_date <= (SELECT max(day) FROM lessons WHERE school_id = $1 AND deleted_at IS NULL)
        AND EXISTS (SELECT 1 FROM lessons l WHERE l.school_id = $1 AND l.deleted_at IS NULL
                     AND l.day BETWEEN p.start_date AND p.end_date)
      ORDER BY p.end_date DESC, p.id LIMIT 1`,
    [schoolId],
  );
  if (closed) return closed.id;
  const [any] = await db.query<{ id: string }>(
    `SELECT p.id FROM periods p
      WHERE p.school_id = $1 AND p.deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM lessons l WHERE l.school_id = $1 AND l.deleted_at IS NULL
                     AND l.day BETWEEN p.start_date AND p.end_date)
      ORDER BY (p.kind = 'year'), p.end_date DESC, p.id LIMIT 1`,
    [schoolId],
  );
  return any?.id;
}

export interface ArchiveDemoResult {
  /** Absolute paths of every archived journal on every target. */
  paths: string[];
  /** True when signed with the «ДЕМО» certificate. */
  demoCertificate: boolean;
  results: { schoolId: string; periodId: string; result: ArchivePeriodResult }[];
}

/** Archives the last closed period of every school in the store; returns the written paths. */
export async function archiveDemo(
  db: Db,
  config: Config,
  options: { onProgress?: (done: number, total: number, label: string) => void } = {},
): Promise<ArchiveDemoResult> {
  const { signer, demo } = await signerFromConfig(config.archive, { allowDemo: true });
  const targets = targetsFromConfig(config.archive);
  const schools = await db.query<{ id: string }>("SELECT id FROM schools ORDER BY id");
  const out: ArchiveDemoResult = { paths: [], demoCertificate: demo, results: [] };
  for (const { id } of schools) {
    const periodId = await lastClosedPeriod(db, id);
    if (!periodId) continue;
    const result = await archivePeriod(db, {
      schoolId: id,
      periodId,
      signer,
      targets,
      template: config.archive.nameTemplate,
      tmpDir: resolve(config.archive.tmpDir),
      retention: config.archive.retention,
      onProgress: options.onProgress,
    });
    out.results.push({ schoolId: id, periodId, result });
    for (const a of result.archived) out.paths.push(...a.paths);
  }
  return out;
}
