/**
 * Fixity of the archive: re-hashes every replica and checks every signature (verifyReplicas),
 * optionally repairs from a healthy copy, records the outcome in the registry (archive_files.replicas,
 * archive_checks) and returns the findings for the escalation side to alert on.
 */
import type { Db } from "../store/db.ts";
import { archiveMessages } from "./messages.ru.ts";
import {
  type ArchiveCheck,
  type ArchiveFileRow,
  insertChecks,
  listArchiveFiles,
  type ReplicaState,
  updateReplicaStates,
} from "./registry-store.ts";
import {
  type RepairAction,
  type ReplicaCheck,
  type ReplicaStatus,
  repairReplicas,
  type StorageTarget,
  verifyReplicas,
} from "./replicas.ts";
import type { Signer } from "./signer.ts";

export interface VerifyArchiveOptions {
  /** Repair missing or changed replicas from a healthy copy, then check again. */
  repair?: boolean;
  /** Signer(s) to check signatures with (by kind); without one only hashes are checked. */
  signer?: Signer | readonly Signer[];
  /** Only this school's registry rows are updated; default all. */
  schoolId?: string;
  now?: Date;
}

export interface FixityFinding {
  /** Relative path on the medium. */
  file: string;
  target: string;
  status: Exclude<ReplicaStatus, "ok">;
  detail?: string;
  /** Registry row of the document, when the registry knows it. */
  archiveFileId?: number;
  schoolId?: string;
  /** What repair did about it (only with repair). */
  repair?: RepairAction["action"];
}

export interface FixityReport {
  checkedAt: string;
  /** Replica files checked (document and signature files, per target). */
  checked: number;
  /** Problems found before any repair. */
  findings: FixityFinding[];
  repairs: RepairAction[];
  /** Problems still there after repair (equal to findings without repair). */
  remaining: FixityFinding[];
  /**
   * Document copies whose signature is intact but whose signer was not verified (no trusted CA
   * certificates given): never reported as plainly valid.
   */
  integrityOnly: { file: string; target: string; archiveFileId?: number; schoolId?: string }[];
}

const SEVERITY: Record<ReplicaStatus, number> = { ok: 0, unsigned: 1, changed: 2, missing: 3 };

function indexByFile(rows: readonly ArchiveFileRow[]): Map<string, ArchiveFileRow> {
  const byFile = new Map<string, ArchiveFileRow>();
  for (const row of rows) for (const f of row.files) byFile.set(f.file, row);
  return byFile;
}

function findingsOf(report: readonly ReplicaCheck[], byFile: Map<string, ArchiveFileRow>): FixityFinding[] {
  return report
    .filter((c) => c.status !== "ok")
    .map((c) => {
      const row = byFile.get(c.file);
      return {
        file: c.file,
        target: c.target,
        status: c.status as FixityFinding["status"],
        detail: c.detail,
        archiveFileId: row?.id,
        schoolId: row?.schoolId,
      };
    });
}

/** Registry rows no target knows at all: lost everywhere (no manifest, registry or file left). */
function lostEverywhere(
  rows: readonly ArchiveFileRow[],
  report: readonly ReplicaCheck[],
  targets: readonly StorageTarget[],
): ReplicaCheck[] {
  const seen = new Set(report.map((c) => c.file));
  const extra: ReplicaCheck[] = [];
  for (const row of rows) {
    for (const f of row.files) {
      if (seen.has(f.file)) continue;
      for (const t of targets) {
        extra.push({
          file: f.file,
          target: t.id,
          status: "missing",
          expectedSha256: f.sha256,
          detail: "in the registry only",
        });
      }
    }
  }
  return extra;
}

export async function verifyArchive(
  db: Db,
  targets: readonly StorageTarget[],
  options: VerifyArchiveOptions = {},
): Promise<FixityReport> {
  const now = options.now ?? new Date();
  const rows = await listArchiveFiles(db, options.schoolId);
  const byFile = indexByFile(rows);
  // the store's registry votes with the media on what each file should hash to
  const registered = new Map(rows.flatMap((row) => row.files.map((f) => [f.file, f.sha256] as const)));
  let report = await verifyReplicas(targets, { signer: options.signer, registered });
  report = [...report, ...lostEverywhere(rows, report, targets)];
  const findings = findingsOf(report, byFile);
  let repairs: RepairAction[] = [];
  if (options.repair && findings.length > 0) {
    repairs = await repairReplicas(report, targets);
    for (const finding of findings) {
      finding.repair = repairs.find((a) => a.file === finding.file && a.target === finding.target)?.action;
    }
    report = await verifyReplicas(targets, { signer: options.signer, registered });
    report = [...report, ...lostEverywhere(rows, report, targets)];
  }

  // Registry: per document and target the worst status of its files; one history row each.
  const checks: ArchiveCheck[] = [];
  const repaired = new Set(
    repairs.filter((a) => a.action !== "unrepairable").map((a) => `${a.target}\n${a.file}`),
  );
  for (const row of rows) {
    const replicas: ReplicaState[] = targets.map((t) => {
      const mine = report.filter((c) => c.target === t.id && row.files.some((f) => f.file === c.file));
      const worst = mine.reduce<ReplicaCheck | undefined>(
        (w, c) => (w === undefined || SEVERITY[c.status] > SEVERITY[w.status] ? c : w),
        undefined,
      );
      const status: ReplicaStatus = worst?.status ?? "missing";
      const wasRepaired = row.files.some((f) => repaired.has(`${t.id}\n${f.file}`));
      if (wasRepaired) {
        checks.push({
          schoolId: row.schoolId,
          archiveFileId: row.id,
          target: t.id,
          path: row.archivedPath,
          status: "repaired",
          checkedAt: now,
        });
      }
      checks.push({
        schoolId: row.schoolId,
        archiveFileId: row.id,
        target: t.id,
        path: row.archivedPath,
        status,
        detail: worst?.detail,
        expectedSha256: worst?.expectedSha256,
        actualSha256: worst?.actualSha256,
        checkedAt: now,
      });
      return { target: t.id, path: row.archivedPath, lastVerifiedAt: now.toISOString(), status };
    });
    await updateReplicaStates(db, row.id, replicas, now);
  }
  await insertChecks(db, checks);
  const files = new Set(report.map((c) => `${c.target}\n${c.file}`));
  const integrityOnly = report
    .filter((c) => c.status === "ok" && c.signature === "integrity-only")
    .map((c) => ({
      file: c.file,
      target: c.target,
      archiveFileId: byFile.get(c.file)?.id,
      schoolId: byFile.get(c.file)?.schoolId,
    }));
  return {
    checkedAt: now.toISOString(),
    checked: files.size,
    findings,
    repairs,
    remaining: options.repair ? findingsOf(report, byFile) : findings,
    integrityOnly,
  };
}

export interface FixityAlert {
  schoolId?: string;
  /** critical: a copy is lost or altered with no repair; warning: repaired or signature problem. */
  severity: "critical" | "warning";
  file: string;
  target: string;
  status: FixityFinding["status"];
  /** Russian, for the director / IT staff. */
  message: string;
}

/** Alert data for the escalation side: one per problem still present, or repaired (as a warning). */
export function fixityAlerts(report: FixityReport): FixityAlert[] {
  const remaining = new Set(report.remaining.map((f) => `${f.target}\n${f.file}`));
  return report.findings.map((f) => {
    const open = remaining.has(`${f.target}\n${f.file}`);
    const state = archiveMessages.replicaStatus[f.status];
    const repaired = !open && f.repair !== undefined && f.repair !== "unrepairable";
    return {
      schoolId: f.schoolId,
      severity: open && f.status !== "unsigned" ? "critical" : "warning",
      file: f.file,
      target: f.target,
      status: f.status,
      message: repaired
        ? `Архивный файл «${f.file}» на носителе «${f.target}» был ${state}; ${archiveMessages.repair.restored}.`
        : `Архивный файл «${f.file}» на носителе «${f.target}»: ${state}.`,
    };
  });
}
