// The audit log for the director: who read or changed what, when and from where, in their school
// (sign-ins of the school's users included). Filters are bound parameters, never SQL text.
import express from "express";
import { z } from "zod";
import { writeAudit } from "./audit.ts";
import { limitOffset, pageQuerySchema, pageSchema } from "./paginate.ts";
import { addRoute } from "./route.ts";
import type { ApiDeps } from "./types.ts";
import { parseQuery } from "./validate.ts";

const querySchema = pageQuerySchema.extend({
  action: z.string().max(100).optional(),
  login: z.string().max(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
const rowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  login: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export function auditRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  addRoute(
    router,
    {
      method: "get",
      path: "/schools/:school/audit",
      summary: "The audit log of the school, newest first",
      permission: "audit.read",
      query: querySchema,
      response: pageSchema(rowSchema),
      tags: ["audit"],
    },
    async (req) => {
      const q = parseQuery(querySchema, req);
      const { limit, offset } = limitOffset(q);
      const where = `(l.school_id = $1 OR (l.school_id IS NULL AND l.user_id IN
          (SELECT user_id FROM user_schools WHERE school_id = $1)))
        AND ($2::text IS NULL OR l.action = $2 OR l.action LIKE $2 || '.%')
        AND ($3::text IS NULL OR lower(l.login) = lower($3))
        AND ($4::date IS NULL OR l.at >= $4::date)
        AND ($5::date IS NULL OR l.at < $5::date + 1)`;
      const params = [
        req.schoolId as string,
        q.action ?? null,
        q.login ?? null,
        q.from ?? null,
        q.to ?? null,
      ];
      const rows = await deps.db.query<{
        id: string;
        at: Date;
        login: string | null;
        action: string;
        target: string | null;
        detail: unknown;
        ip: string | null;
        user_agent: string | null;
      }>(`SELECT l.* FROM audit_log l WHERE ${where} ORDER BY l.id DESC LIMIT $6 OFFSET $7`, [
        ...params,
        limit,
        offset,
      ]);
      const [{ n }] = await deps.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM audit_log l WHERE ${where}`,
        params,
      );
      await writeAudit(deps.db, req, { action: "audit.list" });
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          at: new Date(r.at).toISOString(),
          login: r.login,
          action: r.action,
          target: r.target,
          detail: (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
          ip: r.ip,
          userAgent: r.user_agent,
        })),
        total: Number(n),
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );
  return router;
}
