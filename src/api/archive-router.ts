// The archive registry (реестр) for the director and the IT staff: each archived journal with its
// signature and the last fixity check of its copies. File names and hashes only, no contents.
import express from "express";
import { z } from "zod";
import { writeAudit } from "./audit.ts";
import { limitOffset, pageQuerySchema, pageSchema } from "./paginate.ts";
import { addRoute } from "./route.ts";
import type { ApiDeps } from "./types.ts";
import { parseQuery } from "./validate.ts";

const querySchema = pageQuerySchema.extend({
  status: z.enum(["awaiting-signature", "signed"]).optional(),
  period: z.string().max(100).optional(),
});

const rowSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  version: z.number().int(),
  kind: z.enum(["journal", "summary"]),
  journal: z.string(),
  period: z.string().nullable(),
  class: z.string().nullable(),
  year: z.string(),
  status: z.enum(["awaiting-signature", "signed"]),
  signedAt: z.string().nullable(),
  signer: z.string().nullable(),
  sha256: z.string(),
  archivedAt: z.string(),
  retentionUntil: z.string(),
  fixity: z.object({ lastCheckedAt: z.string().nullable(), ok: z.boolean().nullable() }),
  verification: z.array(
    z.object({ target: z.string(), status: z.string(), lastVerifiedAt: z.string().nullable() }),
  ),
});

interface Raw {
  id: string;
  file_name: string;
  version: number;
  kind: "journal" | "summary";
  class_label: string | null;
  period_label: string | null;
  year: string;
  sha256: string;
  signer_kind: string | null;
  signer_subject: string | null;
  signed_at: Date | null;
  archived_at: Date;
  retention_until: string | Date;
  replicas: unknown;
  last_checked_at: Date | null;
  bad_checks: string | number | null;
  total_checks: string | number | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function archiveRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  addRoute(
    router,
    {
      method: "get",
      path: "/schools/:school/archive",
      summary: "The archive registry with signature and fixity status",
      permission: "archive.read",
      query: querySchema,
      response: pageSchema(rowSchema),
      tags: ["archive"],
    },
    async (req) => {
      const q = parseQuery(querySchema, req);
      const { limit, offset } = limitOffset(q);
      const where = `a.school_id = $1 AND a.disposed_at IS NULL
        AND ($2::text IS NULL OR ($2 = 'signed') = (a.signed_at IS NOT NULL))
        AND ($3::text IS NULL OR a.period_id = $3 OR a.period_label = $3)`;
      const params = [req.schoolId as string, q.status ?? null, q.period ?? null];
      // The latest check of each copy says whether the document is intact now.
      const rows = await deps.db.query<Raw>(
        `SELECT a.*, c.last_checked_at, c.bad_checks, c.total_checks FROM archive_files a
         LEFT JOIN LATERAL (
           SELECT max(checked_at) AS last_checked_at, count(*) AS total_checks,
                  count(*) FILTER (WHERE status NOT IN ('ok', 'repaired')) AS bad_checks
           FROM (SELECT DISTINCT ON (target) target, status, checked_at FROM archive_checks
                 WHERE archive_file_id = a.id ORDER BY target, checked_at DESC, id DESC) latest
         ) c ON true
         WHERE ${where} ORDER BY a.year DESC, a.period_label, a.class_label, a.file_name, a.version DESC
         LIMIT $4 OFFSET $5`,
        [...params, limit, offset],
      );
      const [{ n }] = await deps.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM archive_files a WHERE ${where}`,
        params,
      );
      await writeAudit(deps.db, req, { action: "archive.list" });
      return {
        items: rows.map((r) => {
          const replicas = (typeof r.replicas === "string" ? JSON.parse(r.replicas) : r.replicas) as {
            target: string;
            status: string;
            lastVerifiedAt: string | null;
          }[];
          return {
            id: Number(r.id),
            fileName: r.file_name,
            version: r.version,
            kind: r.kind,
            journal: r.kind === "journal" ? `Журнал ${r.class_label ?? ""}`.trim() : "Сводная ведомость",
            period: r.period_label,
            class: r.class_label,
            year: r.year,
            status: r.signed_at ? ("signed" as const) : ("awaiting-signature" as const),
            signedAt: iso(r.signed_at),
            signer: r.signer_kind,
            sha256: r.sha256,
            archivedAt: iso(r.archived_at) as string,
            retentionUntil:
              r.retention_until instanceof Date
                ? r.retention_until.toISOString().slice(0, 10)
                : String(r.retention_until),
            fixity: {
              lastCheckedAt: iso(r.last_checked_at),
              ok: Number(r.total_checks ?? 0) === 0 ? null : Number(r.bad_checks ?? 0) === 0,
            },
            verification: replicas.map((x) => ({
              target: x.target,
              status: x.status,
              lastVerifiedAt: x.lastVerifiedAt,
            })),
          };
        }),
        total: Number(n),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );
  return router;
}
