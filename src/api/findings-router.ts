// The deputy's inbox of violations (the director reads it too; a teacher sees only their own):
// list with filters, facets for the filters, one finding with its evidence and history, waive, reopen.
import express from "express";
import { z } from "zod";
import { findRule } from "../rules/registry.ts";
import { reopenViolation, violationHistory, waiveViolation } from "../rules/violations.ts";
import type { Db } from "../store/db.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { findingStatusSchema, findingViewSchema, toFindingView } from "./finding-view.ts";
import { findingFacets, getFindingRow, listFindings } from "./findings-query.ts";
import { describeRoute } from "./openapi-registry.ts";
import { limitOffset, pageQuerySchema, pageSchema } from "./paginate.ts";
import { conflict, notFound } from "./problem.ts";
import type { ApiDeps } from "./types.ts";
import { parseBody, parseParams, parseQuery } from "./validate.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "ожидается дата ГГГГ-ММ-ДД");
const idText = z.string().min(1).max(200);

export const findingsQuerySchema = pageQuerySchema.extend({
  status: findingStatusSchema.optional(),
  teacher: idText.optional(),
  class: idText.optional(),
  subject: idText.optional(),
  rule: idText.optional(),
  clause: idText.optional(),
  from: day.optional(),
  to: day.optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(["newest", "severity", "deadline"]).default("newest"),
});

const historyItemSchema = z.object({
  kind: z.enum(["opened", "escalated", "resolved", "waived", "reopened"]),
  at: z.string(),
  detail: z.record(z.string(), z.unknown()),
  by: z.string().nullable(),
  byName: z.string().nullable(),
});

export const findingDetailSchema = findingViewSchema.extend({
  evidence: z.record(z.string(), z.unknown()),
  entity: z.record(z.string(), z.unknown()),
  history: z.array(historyItemSchema),
  whatToFix: z.string(),
  resolution: z.record(z.string(), z.unknown()).nullable(),
  waiveReason: z.string().nullable(),
});

export const facetsSchema = z.object({
  teachers: z.array(z.object({ id: z.string(), name: z.string() })),
  classes: z.array(z.object({ id: z.string(), name: z.string() })),
  subjects: z.array(z.object({ id: z.string(), name: z.string() })),
  rules: z.array(z.object({ id: z.string(), title: z.string(), clause: z.string() })),
});

export const waiveBodySchema = z.object({ reason: z.string().trim().min(3).max(1000) }).strict();
export const reopenBodySchema = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
const idParams = z.object({
  school: z.string(),
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
});

/** A teacher reads only findings they must act on; "\u0000" matches no one when no person is linked. */
function ownerOf(req: express.Request): string | undefined {
  if (req.user?.role !== "teacher") return undefined;
  return req.user.personId ?? "\u0000";
}

/** What to fix, for the teacher: the finding's message, then by when. */
function whatToFix(message: string, status: string, ruleId: string): string {
  if (status === "waived") return "Ничего исправлять не нужно: замечание снято заместителем директора.";
  if (status === "resolved") return "Замечание устранено.";
  const title = findRule(ruleId)?.title;
  return `${message}${title ? ` Правило: ${title}.` : ""} Исправьте запись в электронном журнале — после следующей синхронизации замечание закроется само.`;
}

/** Who acted, as a person reads it: a staff member's name or a console user's display name. */
async function namesOf(db: Db, schoolId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string }>(
    `SELECT key AS id, name FROM persons WHERE school_id = $1 AND key = ANY($2::text[]) AND name IS NOT NULL
     UNION ALL SELECT 'user:' || login, display_name FROM users WHERE 'user:' || login = ANY($2::text[])`,
    [schoolId, ids],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The acting user as stored in events: their person id, else `user:<login>`. */
const actor = (req: express.Request) => req.user!.personId ?? `user:${req.user!.login}`;

async function detail(db: Db, schoolId: string, id: number, owner?: string) {
  const row = await getFindingRow(db, schoolId, id, owner);
  if (!row) throw notFound("Нарушение не найдено.");
  const history = await violationHistory(db, id);
  const byIds = [
    ...new Set(history.map((h) => h.detail.by).filter((b): b is string => typeof b === "string")),
  ];
  const names = await namesOf(db, schoolId, byIds);
  const view = toFindingView(row);
  return {
    ...view,
    evidence: row.evidence as unknown as Record<string, unknown>,
    entity: row.entity,
    history: history.map((h) => {
      const by = typeof h.detail.by === "string" ? h.detail.by : null;
      return { ...h, by, byName: by ? (names.get(by) ?? null) : null };
    }),
    whatToFix: whatToFix(view.message, view.status, view.ruleId),
    resolution: row.resolution,
    waiveReason: row.waive_reason,
  };
}

export function findingsRouter(deps: ApiDeps): express.Router {
  const r = express.Router();
  const base = "/schools/:school/findings";

  describeRoute({
    method: "get",
    path: base,
    summary: "Нарушения школы: фильтры, сортировка, страницы",
    permission: "findings.read",
    query: findingsQuerySchema,
    response: pageSchema(findingViewSchema),
    tags: ["findings"],
  });
  r.get(base, requirePermission("findings.read"), schoolScope, async (req, res) => {
    const q = parseQuery(findingsQuerySchema, req);
    const { limit, offset } = limitOffset(q);
    const { page, pageSize, sort, ...filter } = q;
    const result = await listFindings(
      deps.db,
      req.schoolId!,
      { ...filter, ownerOnly: ownerOf(req) },
      sort,
      limit,
      offset,
    );
    await writeAudit(deps.db, req, {
      action: "findings.list",
      target: `school:${req.schoolId}`,
      detail: { filter, page, count: result.items.length },
    });
    res.json({ items: result.items, total: result.total, page, pageSize });
  });

  describeRoute({
    method: "get",
    path: `${base}/facets`,
    summary: "Значения фильтров нарушений (учителя, классы, предметы, правила)",
    permission: "findings.read",
    response: facetsSchema,
    tags: ["findings"],
  });
  r.get(`${base}/facets`, requirePermission("findings.read"), schoolScope, async (req, res) => {
    const facets = await findingFacets(deps.db, req.schoolId!, ownerOf(req));
    await writeAudit(deps.db, req, { action: "findings.facets", target: `school:${req.schoolId}` });
    res.json(facets);
  });

  describeRoute({
    method: "get",
    path: `${base}/:id`,
    summary: "Одно нарушение: доказательство, история, что исправить",
    permission: "findings.read",
    response: findingDetailSchema,
    tags: ["findings"],
  });
  r.get(`${base}/:id`, requirePermission("findings.read"), schoolScope, async (req, res) => {
    const { id } = parseParams(idParams, req);
    const body = await detail(deps.db, req.schoolId!, id, ownerOf(req));
    await writeAudit(deps.db, req, { action: "finding.read", target: `finding:${id}` });
    res.json(body);
  });

  describeRoute({
    method: "post",
    path: `${base}/:id/waive`,
    summary: "Снять нарушение с указанием причины",
    permission: "findings.change",
    body: waiveBodySchema,
    response: findingDetailSchema,
    tags: ["findings"],
  });
  r.post(`${base}/:id/waive`, requirePermission("findings.change"), schoolScope, async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { reason } = parseBody(waiveBodySchema, req);
    const row = await getFindingRow(deps.db, req.schoolId!, id);
    if (!row) throw notFound("Нарушение не найдено.");
    if (row.status === "waived") throw conflict("Нарушение уже снято.");
    await waiveViolation(deps.db, req.schoolId!, id, { personId: actor(req), reason, at: deps.now() });
    await writeAudit(deps.db, req, { action: "finding.waive", target: `finding:${id}`, detail: { reason } });
    res.json(await detail(deps.db, req.schoolId!, id));
  });

  describeRoute({
    method: "post",
    path: `${base}/:id/reopen`,
    summary: "Вернуть снятое или устранённое нарушение в работу",
    permission: "findings.change",
    body: reopenBodySchema,
    response: findingDetailSchema,
    tags: ["findings"],
  });
  r.post(`${base}/:id/reopen`, requirePermission("findings.change"), schoolScope, async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { reason } = parseBody(reopenBodySchema, req);
    const row = await getFindingRow(deps.db, req.schoolId!, id);
    if (!row) throw notFound("Нарушение не найдено.");
    if (row.status === "open") throw conflict("Нарушение и так открыто.");
    await reopenViolation(deps.db, req.schoolId!, id, {
      personId: actor(req),
      ...(reason ? { reason } : {}),
      at: deps.now(),
    });
    await writeAudit(deps.db, req, {
      action: "finding.reopen",
      target: `finding:${id}`,
      detail: reason ? { reason } : {},
    });
    res.json(await detail(deps.db, req.schoolId!, id));
  });

  return r;
}
