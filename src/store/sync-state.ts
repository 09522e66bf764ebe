// Bookkeeping of observations: schools, sync runs, per-stream cursors, the quarantine, source locks.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { AttendanceEvidence, RejectedRecord } from "../connectors/types.ts";
import type { School, StreamName } from "../model/records.ts";
import type { Db } from "./db.ts";

export async function upsertSchool(db: Db, school: School): Promise<void> {
  await db.query(
    `INSERT INTO schools (id, name, timezone, workweek) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, workweek = excluded.workweek,
       updated_at = now()
     WHERE (schools.name, schools.timezone, schools.workweek) IS DISTINCT FROM (excluded.name, excluded.timezone, excluded.workweek)`,
    [school.id, school.name, school.timezone, school.workweek],
  );
}

/** Records what the school's platform says by a lesson without attendance rows (Discovery). */
export async function setAttendanceEvidence(
  db: Db,
  schoolId: string,
  evidence: AttendanceEvidence,
): Promise<void> {
  await db.query(
    "UPDATE schools SET attendance_evidence = $2 WHERE id = $1 AND attendance_evidence IS DISTINCT FROM $2",
    [schoolId, evidence],
  );
}

export async function listSchools(db: Db): Promise<School[]> {
  const rows = await db.query<{ id: string; name: string; timezone: string; workweek: number }>(
    "SELECT id, name, timezone, workweek FROM schools ORDER BY id",
  );
  return rows.map((r) => ({ ...r, workweek: r.workweek as 5 | 6 }));
}

/** The latest observation of a school that finished well; a later import must not be older. */
export async function lastObservedAt(db: Db, schoolId: string): Promise<Date | null> {
  const rows = await db.query<{ at: Date | null }>(
    "SELECT max(observed_at) AS at FROM sync_runs WHERE school_id = $1 AND status = 'ok'",
    [schoolId],
  );
  return rows[0]?.at ?? null;
}

export async function startRun(
  db: Db,
  run: { schoolId: string; source: string; mode: "full" | "incremental"; observedAt: Date },
): Promise<number> {
  const rows = await db.query<{ id: string }>(
    "INSERT INTO sync_runs (school_id, source, mode, status, observed_at) VALUES ($1, $2, $3, 'running', $4) RETURNING id",
    [run.schoolId, run.source, run.mode, run.observedAt],
  );
  return Number(rows[0].id);
}

export async function finishRun(
  db: Db,
  runId: number,
  status: "ok" | "failed",
  counts: unknown,
  error?: string,
): Promise<void> {
  await db.query(
    "UPDATE sync_runs SET status = $2, finished_at = now(), counts = $3::jsonb, error = $4 WHERE id = $1",
    [runId, status, JSON.stringify(counts), error ?? null],
  );
}

export interface StreamState {
  cursor: string | null;
  lastObservedAt: Date | null;
  lastFullReadAt: Date | null;
}

export async function getStreamState(db: Db, schoolId: string, stream: StreamName): Promise<StreamState> {
  const rows = await db.query<{
    cursor: string | null;
    last_observed_at: Date | null;
    last_full_read_at: Date | null;
  }>(
    "SELECT cursor, last_observed_at, last_full_read_at FROM stream_state WHERE school_id = $1 AND stream = $2",
    [schoolId, stream],
  );
  const r = rows[0];
  return {
    cursor: r?.cursor ?? null,
    lastObservedAt: r?.last_observed_at ?? null,
    lastFullReadAt: r?.last_full_read_at ?? null,
  };
}

/** Moves a stream's cursor; called in the same transaction as the page's data, so neither is lost alone. */
export async function saveCursor(
  tx: Db,
  s: { schoolId: string; stream: StreamName; source: string; cursor: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO stream_state (school_id, stream, source, cursor) VALUES ($1, $2, $3, $4)
     ON CONFLICT (school_id, stream) DO UPDATE SET cursor = excluded.cursor, source = excluded.source
     WHERE stream_state.cursor IS DISTINCT FROM excluded.cursor OR stream_state.source <> excluded.source`,
    [s.schoolId, s.stream, s.source, s.cursor],
  );
}

/** A stream read to its end: its observation clock moves (and the full-read clock, for a full read). */
export async function completeStream(
  tx: Db,
  s: { schoolId: string; stream: StreamName; source: string; observedAt: Date; fullRead: boolean },
): Promise<void> {
  await tx.query(
    `INSERT INTO stream_state (school_id, stream, source, last_observed_at, last_full_read_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (school_id, stream) DO UPDATE SET last_observed_at = excluded.last_observed_at,
       last_full_read_at = COALESCE(excluded.last_full_read_at, stream_state.last_full_read_at)
     WHERE stream_state.last_observed_at IS DISTINCT FROM excluded.last_observed_at
        OR (excluded.last_full_read_at IS NOT NULL AND stream_state.last_full_read_at IS DISTINCT FROM excluded.last_full_read_at)`,
    [s.schoolId, s.stream, s.source, s.observedAt, s.fullRead ? s.observedAt : null],
  );
}

/** Keeps rejected records with their reason; the same rejection seen again is not stored twice. */
export async function quarantine(
  tx: Db,
  schoolId: string,
  runId: number,
  rejected: RejectedRecord[],
): Promise<number> {
  if (rejected.length === 0) return 0;
  const raws = rejected.map((r) => (typeof r.raw === "string" ? r.raw : JSON.stringify(r.raw ?? null)));
  const fingerprints = rejected.map((r, i) =>
    createHash("sha1").update(`${r.stream}\u0000${r.origin}\u0000${r.reason}\u0000${raws[i]}`).digest("hex"),
  );
  const rows = await tx.query(
    `INSERT INTO quarantine (school_id, sync_run_id, stream, origin, field, reason, raw, fingerprint)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (school_id, fingerprint) DO NOTHING RETURNING id`,
    [
      schoolId,
      runId,
      rejected.map((r) => r.stream),
      rejected.map((r) => r.origin),
      rejected.map((r) => r.field ?? null),
      rejected.map((r) => r.reason),
      raws,
      fingerprints,
    ],
  );
  return rows.length;
}

const OWNER = `${hostname()}:${process.pid}`;
const LOCK_TTL_MS = 10 * 60_000;

function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch {
    return true;
  }
}

/** Takes the source's lock; null when another live process holds it. */
export async function acquireSourceLock(db: Db, source: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const rows = await db.query<{ owner: string }>(
      `INSERT INTO sync_locks (source, owner, locked_until) VALUES ($1, $2, now() + $3::interval)
       ON CONFLICT (source) DO UPDATE SET owner = excluded.owner, locked_until = excluded.locked_until
       WHERE sync_locks.locked_until < now() OR sync_locks.owner = excluded.owner
       RETURNING owner`,
      [source, OWNER, `${LOCK_TTL_MS} milliseconds`],
    );
    if (rows.length > 0) return true;
    const held = await db.query<{ owner: string }>("SELECT owner FROM sync_locks WHERE source = $1", [
      source,
    ]);
    // A holder killed on this host (SIGKILL leaves no chance to release) does not block the restart.
    if (held[0] && ownerIsDead(held[0].owner)) {
      await db.query("DELETE FROM sync_locks WHERE source = $1 AND owner = $2", [source, held[0].owner]);
      continue;
    }
    return false;
  }
  return false;
}

export async function renewSourceLock(db: Db, source: string): Promise<void> {
  await db.query(
    "UPDATE sync_locks SET locked_until = now() + $3::interval WHERE source = $1 AND owner = $2",
    [source, OWNER, `${LOCK_TTL_MS} milliseconds`],
  );
}

export async function releaseSourceLock(db: Db, source: string): Promise<void> {
  await db.query("DELETE FROM sync_locks WHERE source = $1 AND owner = $2", [source, OWNER]);
}

/** A school's own regulation preset (migration 016), or null when it follows the deployment's. */
export async function schoolPreset(db: Db, schoolId: string): Promise<string | null> {
  const rows = await db.query<{ preset: string | null }>("SELECT preset FROM schools WHERE id = $1", [
    schoolId,
  ]);
  return rows[0]?.preset ?? null;
}

/** Sets (or with null clears) a school's own preset; false when there is no such school. */
export async function setSchoolPreset(db: Db, schoolId: string, preset: string | null): Promise<boolean> {
  const rows = await db.query(
    "UPDATE schools SET preset = $2, updated_at = now() WHERE id = $1 RETURNING id",
    [schoolId, preset],
  );
  return rows.length > 0;
}
