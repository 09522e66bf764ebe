// Access breaches (001 §4.2–4.3): the deputy records that an account was compromised; every change
// made through it after the report is listed for review.
import express from "express";
import { z } from "zod";
import { addIncident, changesAfterIncident, getIncident } from "../rules/incidents.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { describeRoute } from "./openapi-registry.ts";
import { pageQuerySchema, pageSchema, queryPage } from "./paginate.ts";
import { notFound } from "./problem.ts";
import type { ApiDeps } from "./types.ts";
import { parseBody, parseParams, parseQuery } from "./validate.ts";

export const incidentSchema = z.object({
  id: z.number().int(),
  accountId: z.string(),
  accountName: z.string().nullable(),
  reportedAt: z.string(),
  note: z.string().nullable(),
  changes: z.number().int(),
});
export const incidentChangeSchema = z.object({
  stream: z.string(),
  key: z.string(),
  field: z.string(),
  at: z.string(),
  basis: z.string(),
  certain: z.boolean(),
  lessonId: z.string().optional(),
  studentId: z.string().optional(),
  subjectId: z.string().optional(),
});
export const incidentDetailSchema = incidentSchema.extend({ items: z.array(incidentChangeSchema) });
export const incidentBodySchema = z
  .object({
    accountId: z.string().trim().min(1).max(200),
    reportedAt: z.iso.datetime({ offset: true }),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
const idParams = z.object({
  school: z.string(),
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
});

async function nameOf(deps: ApiDeps, schoolId: string, personId: string): Promise<string | null> {
  const rows = await deps.db.query<{ name: string | null }>(
    "SELECT name FROM persons WHERE school_id = $1 AND key = $2",
    [schoolId, personId],
  );
  return rows[0]?.name ?? null;
}

async function view(deps: ApiDeps, schoolId: string, id: number) {
  const inc = await getIncident(deps.db, id).catch(() => undefined);
  if (!inc || inc.schoolId !== schoolId) throw notFound("Инцидент не найден.");
  const changes = await changesAfterIncident(deps.db, id);
  return {
    detail: {
      id: inc.id,
      accountId: inc.accountId,
      accountName: await nameOf(deps, schoolId, inc.accountId),
      reportedAt: inc.reportedAt,
      note: inc.note,
      changes: changes.length,
    },
    changes,
  };
}

export function incidentsRouter(deps: ApiDeps): express.Router {
  const r = express.Router();
  const base = "/schools/:school/incidents";

  describeRoute({
    method: "get",
    path: base,
    summary: "Инциденты: нарушения доступа к учётным записям (001 §4.3)",
    permission: "incidents.read",
    query: pageQuerySchema,
    response: pageSchema(incidentSchema),
    tags: ["incidents"],
  });
  r.get(base, requirePermission("incidents.read"), schoolScope, async (req, res) => {
    const q = parseQuery(pageQuerySchema, req);
    const ids = await queryPage<{ id: string }>(
      deps.db,
      q,
      {
        columns: "id::text AS id",
        from: "incidents",
        where: "school_id = $1",
        order: "reported_at DESC, id DESC",
      },
      [req.schoolId!],
    );
    const items = [];
    for (const { id } of ids.items) items.push((await view(deps, req.schoolId!, Number(id))).detail);
    await writeAudit(deps.db, req, { action: "incidents.list", target: `school:${req.schoolId}` });
    res.json({ ...ids, items });
  });

  describeRoute({
    method: "post",
    path: base,
    summary: "Зарегистрировать нарушение доступа к учётной записи",
    permission: "incidents.change",
    body: incidentBodySchema,
    response: incidentDetailSchema,
    tags: ["incidents"],
  });
  r.post(base, requirePermission("incidents.change"), schoolScope, async (req, res) => {
    const body = parseBody(incidentBodySchema, req);
    const inc = await addIncident(deps.db, {
      schoolId: req.schoolId!,
      accountId: body.accountId,
      reportedAt: body.reportedAt,
      ...(body.note ? { note: body.note } : {}),
    });
    await writeAudit(deps.db, req, {
      action: "incident.create",
      target: `incident:${inc.id}`,
      detail: { accountId: body.accountId },
    });
    const v = await view(deps, req.schoolId!, inc.id);
    res.status(201).json({ ...v.detail, items: v.changes });
  });

  describeRoute({
    method: "get",
    path: `${base}/:id`,
    summary: "Инцидент и изменения, сделанные после сообщения (на проверку)",
    permission: "incidents.read",
    response: incidentDetailSchema,
    tags: ["incidents"],
  });
  r.get(`${base}/:id`, requirePermission("incidents.read"), schoolScope, async (req, res) => {
    const { id } = parseParams(idParams, req);
    const v = await view(deps, req.schoolId!, id);
    await writeAudit(deps.db, req, { action: "incident.read", target: `incident:${id}` });
    res.json({ ...v.detail, items: v.changes });
  });

  return r;
}
