// The audit log (who, what, when, from where) of every read of personal data and every change.
// Rows hold ids, never names or marks; the director reads them through the API.
import type { Request } from "express";
import type { Db } from "../store/db.ts";

export interface AuditEntry {
  /** e.g. "findings.list", "finding.waive", "source.sync", "login.failed" */
  action: string;
  /** What was read or changed: "finding:123", "source:school-1", "report:45". */
  target?: string;
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Db, req: Request, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (school_id, user_id, login, action, target, detail, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [
      req.schoolId ?? null,
      req.user?.id ?? null,
      req.user?.login ?? null,
      entry.action,
      entry.target ?? null,
      JSON.stringify(entry.detail ?? {}),
      req.ip ?? null,
      String(req.headers["user-agent"] ?? "").slice(0, 300) || null,
    ],
  );
}
