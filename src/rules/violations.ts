// Reading and acting on stored violations: list, waive (the deputy, with a reason), resolve by hand,
// and the history of each. Waived violations stay waived on every later check.
import type { Db } from "../store/db.ts";
import type { Evidence, FindingEntity } from "./types.ts";

export type ViolationStatus = "open" | "resolved" | "waived";

export interface Violation {
  id: number;
  schoolId: string;
  fingerprint: string;
  ruleId: string;
  clause: string;
  entity: FindingEntity;
  responsibleId: string | null;
  deadline: string;
  detectedAt: string;
  status: ViolationStatus;
  level: number;
  evidence: Evidence;
  message: string;
  resolvedAt: string | null;
  resolution: Record<string, unknown> | null;
  waivedBy: string | null;
  waiveReason: string | null;
  lastCheckedAt: string;
}

export interface ViolationEvent {
  kind: "opened" | "escalated" | "resolved" | "waived" | "reopened";
  at: string;
  detail: Record<string, unknown>;
}

interface Row {
  id: string;
  school_id: string;
  fingerprint: string;
  rule_id: string;
  clause: string;
  entity: FindingEntity;
  responsible_id: string | null;
  deadline: Date;
  detected_at: Date;
  status: ViolationStatus;
  level: number;
  evidence: Evidence;
  message: string;
  resolved_at: Date | null;
  resolution: Record<string, unknown> | null;
  waived_by: string | null;
  waive_reason: string | null;
  last_checked_at: Date;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toViolation(r: Row): Violation {
  return {
    id: Number(r.id),
    schoolId: r.school_id,
    fingerprint: r.fingerprint,
    ruleId: r.rule_id,
    clause: r.clause,
    entity: r.entity,
    responsibleId: r.responsible_id,
    deadline: iso(r.deadline)!,
    detectedAt: iso(r.detected_at)!,
    status: r.status,
    level: r.level,
    evidence: r.evidence,
    message: r.message,
    resolvedAt: iso(r.resolved_at),
    resolution: r.resolution,
    waivedBy: r.waived_by,
    waiveReason: r.waive_reason,
    lastCheckedAt: iso(r.last_checked_at)!,
  };
}

export class ViolationNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no violation ${id}`);
  }
}

export interface ListFilter {
  status?: ViolationStatus;
  ruleId?: string;
  responsibleId?: string;
}

export async function listViolations(
  db: Db,
  schoolId: string,
  filter: ListFilter = {},
): Promise<Violation[]> {
  const rows = await db.query<Row>(
    `SELECT * FROM violations WHERE school_id = $1
       AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR rule_id = $3)
       AND ($4::text IS NULL OR responsible_id = $4)
     ORDER BY deadline, id`,
    [schoolId, filter.status ?? null, filter.ruleId ?? null, filter.responsibleId ?? null],
  );
  return rows.map(toViolation);
}

export async function getViolation(db: Db, schoolId: string, id: number): Promise<Violation> {
  const rows = await db.query<Row>("SELECT * FROM violations WHERE school_id = $1 AND id = $2", [
    schoolId,
    id,
  ]);
  if (!rows[0]) throw new ViolationNotFoundError(id);
  return toViolation(rows[0]);
}

export async function violationHistory(db: Db, id: number): Promise<ViolationEvent[]> {
  const rows = await db.query<{ kind: ViolationEvent["kind"]; at: Date; detail: Record<string, unknown> }>(
    "SELECT kind, at, detail FROM violation_events WHERE violation_id = $1 ORDER BY id",
    [id],
  );
  return rows.map((r) => ({ kind: r.kind, at: iso(r.at)!, detail: r.detail }));
}

/** The deputy waives a violation: it stays waived whatever later checks find. */
export async function waiveViolation(
  db: Db,
  schoolId: string,
  id: number,
  by: { personId?: string; reason: string; at?: Date },
): Promise<Violation> {
  if (!by.reason.trim()) throw new Error("a waiver needs a reason");
  const at = by.at ?? new Date();
  return db.transaction(async (tx) => {
    const v = await getViolation(tx, schoolId, id);
    await tx.query(
      "UPDATE violations SET status = 'waived', waived_by = $3, waive_reason = $4 WHERE school_id = $1 AND id = $2",
      [schoolId, id, by.personId ?? null, by.reason],
    );
    await tx.query(
      "INSERT INTO violation_events (violation_id, school_id, kind, at, detail) VALUES ($1, $2, 'waived', $3, $4)",
      [id, schoolId, at, JSON.stringify({ by: by.personId ?? null, reason: by.reason, previous: v.status })],
    );
    return getViolation(tx, schoolId, id);
  });
}

/** Resolves a violation by hand (the data cannot show the fix, e.g. a paper record). */
export async function resolveViolation(
  db: Db,
  schoolId: string,
  id: number,
  by: { personId?: string; reason: string; at?: Date },
): Promise<Violation> {
  if (!by.reason.trim()) throw new Error("a manual resolution needs a reason");
  const at = by.at ?? new Date();
  return db.transaction(async (tx) => {
    await getViolation(tx, schoolId, id);
    const resolution = { kind: "manual", by: by.personId ?? null, reason: by.reason };
    await tx.query(
      "UPDATE violations SET status = 'resolved', resolved_at = $3, resolution = $4 WHERE school_id = $1 AND id = $2",
      [schoolId, id, at, JSON.stringify(resolution)],
    );
    await tx.query(
      "INSERT INTO violation_events (violation_id, school_id, kind, at, detail) VALUES ($1, $2, 'resolved', $3, $4)",
      [id, schoolId, at, JSON.stringify(resolution)],
    );
    return getViolation(tx, schoolId, id);
  });
}

/**
 * Reopens a waived or resolved violation (the deputy changed her mind, or a manual resolution was
 * wrong): open again, the waiver cleared; the next check settles it anew from the data.
 */
export async function reopenViolation(
  db: Db,
  schoolId: string,
  id: number,
  by: { personId?: string; reason?: string; at?: Date },
): Promise<Violation> {
  const at = by.at ?? new Date();
  return db.transaction(async (tx) => {
    const v = await getViolation(tx, schoolId, id);
    await tx.query(
      `UPDATE violations SET status = 'open', waived_by = NULL, waive_reason = NULL, resolved_at = NULL,
         resolution = NULL WHERE school_id = $1 AND id = $2`,
      [schoolId, id],
    );
    await tx.query(
      "INSERT INTO violation_events (violation_id, school_id, kind, at, detail) VALUES ($1, $2, 'reopened', $3, $4)",
      [
        id,
        schoolId,
        at,
        JSON.stringify({
          by: by.personId ?? null,
          reason: by.reason ?? null,
          previous: v.status,
          manual: true,
        }),
      ],
    );
    return getViolation(tx, schoolId, id);
  });
}
