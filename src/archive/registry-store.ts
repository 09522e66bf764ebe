/**
 * The archive registry (реестр) in the store: `archive_files` (one row per archived document
 * version, never overwritten) and `archive_checks` (fixity history). Migration 004.
 */
import { z } from "zod";
import type { Db } from "../store/db.ts";

export const replicaStateSchema = z.object({
  target: z.string(),
  /** Relative path of the document on the target. */
  path: z.string(),
  lastVerifiedAt: z.string().nullable(),
  status: z.enum(["ok", "missing", "changed", "unsigned"]),
});
export type ReplicaState = z.infer<typeof replicaStateSchema>;

export interface ArchiveFileRow {
  id: number;
  schoolId: string;
  fileName: string;
  version: number;
  kind: "journal" | "summary";
  classId: string | null;
  classLabel: string | null;
  periodId: string | null;
  periodLabel: string | null;
  year: string;
  sha256: string;
  /** Every file of the document on a medium (document first), relative paths with hashes. */
  files: { file: string; sha256: string }[];
  archivedPath: string;
  pages: number | null;
  signerKind: string | null;
  signerSubject: string | null;
  signedAt: Date | null;
  archivedAt: Date;
  retentionUntil: string;
  replicas: ReplicaState[];
  lastVerifiedAt: Date | null;
  disposalAct: string | null;
}

export type NewArchiveFile = Omit<ArchiveFileRow, "id" | "archivedAt" | "lastVerifiedAt" | "disposalAct"> & {
  archivedAt?: Date;
};

interface Raw {
  id: string | number;
  school_id: string;
  file_name: string;
  version: number;
  kind: "journal" | "summary";
  class_id: string | null;
  class_label: string | null;
  period_id: string | null;
  period_label: string | null;
  year: string;
  sha256: string;
  files: unknown;
  archived_path: string;
  pages: number | null;
  signer_kind: string | null;
  signer_subject: string | null;
  signed_at: Date | null;
  archived_at: Date;
  retention_until: string;
  replicas: unknown;
  last_verified_at: Date | null;
  disposal_act: string | null;
}

const json = (v: unknown): unknown => (typeof v === "string" ? JSON.parse(v) : v);

function fromRaw(r: Raw): ArchiveFileRow {
  return {
    id: Number(r.id),
    schoolId: r.school_id,
    fileName: r.file_name,
    version: r.version,
    kind: r.kind,
    classId: r.class_id,
    classLabel: r.class_label,
    periodId: r.period_id,
    periodLabel: r.period_label,
    year: r.year,
    sha256: r.sha256,
    files: z.array(z.object({ file: z.string(), sha256: z.string() })).parse(json(r.files)),
    archivedPath: r.archived_path,
    pages: r.pages,
    signerKind: r.signer_kind,
    signerSubject: r.signer_subject,
    signedAt: r.signed_at,
    archivedAt: r.archived_at,
    retentionUntil: r.retention_until,
    replicas: z.array(replicaStateSchema).parse(json(r.replicas)),
    lastVerifiedAt: r.last_verified_at,
    disposalAct: r.disposal_act,
  };
}

export async function insertArchiveFile(db: Db, row: NewArchiveFile): Promise<ArchiveFileRow> {
  const [raw] = await db.query<Raw>(
    `INSERT INTO archive_files (school_id, file_name, version, kind, class_id, class_label, period_id,
       period_label, year, sha256, files, archived_path, pages, signer_kind, signer_subject, signed_at,
       archived_at, retention_until, replicas, last_verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16,
       COALESCE($17::timestamptz, now()), $18, $19::jsonb, COALESCE($17::timestamptz, now()))
     RETURNING *`,
    [
      row.schoolId,
      row.fileName,
      row.version,
      row.kind,
      row.classId,
      row.classLabel,
      row.periodId,
      row.periodLabel,
      row.year,
      row.sha256,
      JSON.stringify(row.files),
      row.archivedPath,
      row.pages,
      row.signerKind,
      row.signerSubject,
      row.signedAt,
      row.archivedAt ?? null,
      row.retentionUntil,
      JSON.stringify(row.replicas),
    ],
  );
  return fromRaw(raw);
}

export async function listArchiveFiles(db: Db, schoolId?: string): Promise<ArchiveFileRow[]> {
  const rows = await db.query<Raw>(
    `SELECT * FROM archive_files WHERE ($1::text IS NULL OR school_id = $1)
      ORDER BY school_id, year, period_id, class_label, file_name, version`,
    [schoolId ?? null],
  );
  return rows.map(fromRaw);
}

/** Highest version already registered for a file name (0 when none). */
export async function lastVersion(db: Db, schoolId: string, fileName: string): Promise<number> {
  const [row] = await db.query<{ v: number | null }>(
    "SELECT max(version) AS v FROM archive_files WHERE school_id = $1 AND file_name = $2",
    [schoolId, fileName],
  );
  return row?.v ?? 0;
}

export async function updateReplicaStates(
  db: Db,
  id: number,
  replicas: readonly ReplicaState[],
  verifiedAt: Date,
): Promise<void> {
  await db.query("UPDATE archive_files SET replicas = $2::jsonb, last_verified_at = $3 WHERE id = $1", [
    id,
    JSON.stringify(replicas),
    verifiedAt,
  ]);
}

export type CheckStatus = ReplicaState["status"] | "repaired";

export interface ArchiveCheck {
  schoolId: string;
  archiveFileId: number;
  target: string;
  path: string;
  status: CheckStatus;
  detail?: string;
  expectedSha256?: string;
  actualSha256?: string;
  checkedAt: Date;
}

export async function insertChecks(db: Db, checks: readonly ArchiveCheck[]): Promise<void> {
  if (checks.length === 0) return;
  await db.transaction(async (tx) => {
    for (const c of checks) {
      await tx.query(
        `INSERT INTO archive_checks (school_id, archive_file_id, target, path, status, detail,
           expected_sha256, actual_sha256, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          c.schoolId,
          c.archiveFileId,
          c.target,
          c.path,
          c.status,
          c.detail ?? null,
          c.expectedSha256 ?? null,
          c.actualSha256 ?? null,
          c.checkedAt,
        ],
      );
    }
  });
}

export async function listChecks(
  db: Db,
  archiveFileId: number,
): Promise<{ target: string; status: CheckStatus; checkedAt: Date }[]> {
  const rows = await db.query<{ target: string; status: CheckStatus; checked_at: Date }>(
    "SELECT target, status, checked_at FROM archive_checks WHERE archive_file_id = $1 ORDER BY id",
    [archiveFileId],
  );
  return rows.map((r) => ({ target: r.target, status: r.status, checkedAt: r.checked_at }));
}

/** Records that the rows are listed in a disposal act (the files stay until the commission acts). */
export async function markInDisposalAct(db: Db, ids: readonly number[], act: string): Promise<void> {
  await db.query("UPDATE archive_files SET disposal_act = $2 WHERE id = ANY($1::bigint[])", [
    ids.map(String),
    act,
  ]);
}
