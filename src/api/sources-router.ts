// The IT staff's sources: list, add, edit, pause, check, sync now, and per source its runs, quarantine
// and outages. The same store functions as `reglament source …` and the same "sync" job as the
// scheduler. Operations data only; a source of another school is "not found" (its id is not leaked).
import express, { type Request } from "express";
import { z } from "zod";
import { isConnectorError } from "../connectors/errors.ts";
import type { Db } from "../store/db.ts";
import { isPlatformFailure, platformAnswered, platformFailed } from "../sync/outages.ts";
import {
  addSource,
  connectorFor,
  listSources,
  SECRET_KEYS,
  SourceError,
  type SourceRow,
  updateSource,
} from "../sync/sources.ts";
import { writeAudit } from "./audit.ts";
import { mapPage, pageQuerySchema, pageSchema, queryPage } from "./paginate.ts";
import { type ApiProblem, badRequest, conflict, forbidden, notFound } from "./problem.ts";
import { addRoute } from "./route.ts";
import type { ApiDeps } from "./types.ts";
import { parseBody, parseParams, parseQuery } from "./validate.ts";

export const SECRET_MASK = "••••";

export const runViewSchema = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(["running", "ok", "failed"]),
  mode: z.string(),
  counts: z.object({
    read: z.number(),
    inserted: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    deleted: z.number(),
    quarantined: z.number(),
  }),
  requests: z.number(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type RunView = z.infer<typeof runViewSchema>;

const sourceViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  schoolId: z.string().nullable(),
  paused: z.boolean(),
  lastRun: runViewSchema.nullable(),
  config: z.record(z.string(), z.unknown()),
});

const sourceIdSchema = z.object({ id: z.string().min(1).max(63) });
const configSchema = z.record(z.string().max(100), z.unknown());
const addSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, "буквы, цифры, «-» и «_», до 63 знаков"),
  kind: z.string().min(1).max(40),
  config: configSchema,
});
const patchSchema = z
  .object({ config: configSchema.optional(), paused: z.boolean().optional() })
  .refine((v) => v.config !== undefined || v.paused !== undefined, "нужно config или paused");
const syncSchema = z.object({ full: z.boolean().optional() });
const runsQuerySchema = pageQuerySchema;
const quarantineQuerySchema = pageQuerySchema.extend({ run: z.coerce.number().int().min(1).optional() });

const maskConfig = (config: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET_KEYS.has(k) ? SECRET_MASK : v]));

interface RunRaw {
  id: string | number;
  started_at: Date;
  finished_at: Date | null;
  status: "running" | "ok" | "failed";
  mode: string;
  counts: unknown;
  error: string | null;
}

const RUN_COLUMNS = "id, started_at, finished_at, status, mode, counts, error";

export function runView(r: RunRaw): RunView {
  const c = (typeof r.counts === "string" ? JSON.parse(r.counts) : r.counts) as {
    totals?: Partial<RunView["counts"]>;
    requests?: number;
  } | null;
  const t = c?.totals ?? {};
  return {
    id: Number(r.id),
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    status: r.status,
    mode: r.mode,
    counts: {
      read: t.read ?? 0,
      inserted: t.inserted ?? 0,
      updated: t.updated ?? 0,
      unchanged: t.unchanged ?? 0,
      deleted: t.deleted ?? 0,
      quarantined: t.quarantined ?? 0,
    },
    requests: c?.requests ?? 0,
    durationMs: r.finished_at ? new Date(r.finished_at).getTime() - new Date(r.started_at).getTime() : null,
    error: r.error,
  };
}

/** The source, if the admin may see it: not yet synced (no school), or of one of their schools. */
async function visibleSource(db: Db, req: Request): Promise<SourceRow> {
  const { id } = parseParams(sourceIdSchema, req);
  const s = (await listSources(db)).find((x) => x.id === id);
  if (!s || (s.schoolId !== null && !req.user?.schoolIds.includes(s.schoolId)))
    throw notFound("Нет такого источника.");
  return s;
}

/** A connector's refusal of a config as a 400 with its reason (English from the connector's zod). */
function configProblem(err: unknown): ApiProblem {
  if (err instanceof SourceError)
    return /exists already/.test(err.message)
      ? conflict("Источник с таким id уже есть.")
      : badRequest(err.message);
  return badRequest(`Настройки источника не подходят: ${(err as Error).message}`);
}

export function sourcesRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  const tags = ["sources"];

  addRoute(
    router,
    {
      method: "get",
      path: "/schools/:school/sources",
      summary: "Sources of the school and those not synced yet (secrets masked)",
      permission: "sources.read",
      response: z.array(sourceViewSchema),
      tags,
    },
    async (req) => {
      const sources = (await listSources(deps.db)).filter(
        (s) => s.schoolId === null || s.schoolId === req.schoolId,
      );
      const out = [];
      for (const s of sources) {
        const [last] = await deps.db.query<RunRaw>(
          `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE source = $1 ORDER BY id DESC LIMIT 1`,
          [s.id],
        );
        out.push({
          id: s.id,
          kind: s.kind,
          schoolId: s.schoolId,
          paused: s.paused,
          lastRun: last ? runView(last) : null,
          config: maskConfig(s.config),
        });
      }
      return out;
    },
  );

  addRoute(
    router,
    {
      method: "post",
      path: "/sources",
      summary: "Add a source (its school is learned at the first sync)",
      permission: "sources.change",
      body: addSchema,
      response: sourceViewSchema,
      tags,
    },
    async (req, res) => {
      const body = parseBody(addSchema, req);
      if ((req.user?.schoolIds.length ?? 0) === 0)
        throw forbidden("Администратор без школы не добавляет источники.");
      try {
        await addSource(deps.db, body);
      } catch (err) {
        throw configProblem(err);
      }
      await writeAudit(deps.db, req, {
        action: "source.add",
        target: `source:${body.id}`,
        detail: { kind: body.kind },
      });
      const s = (await listSources(deps.db)).find((x) => x.id === body.id) as SourceRow;
      res.status(201);
      return {
        id: s.id,
        kind: s.kind,
        schoolId: s.schoolId,
        paused: s.paused,
        lastRun: null,
        config: maskConfig(s.config),
      };
    },
  );

  addRoute(
    router,
    {
      method: "patch",
      path: "/sources/:id",
      summary: "Edit a source's settings (a masked secret keeps its value) or pause it",
      permission: "sources.change",
      body: patchSchema,
      tags,
    },
    async (req, res) => {
      const current = await visibleSource(deps.db, req);
      const body = parseBody(patchSchema, req);
      let config: Record<string, unknown> | undefined;
      if (body.config) {
        config = { ...body.config };
        for (const [k, v] of Object.entries(config)) if (v === SECRET_MASK) config[k] = current.config[k];
      }
      try {
        await updateSource(deps.db, current.id, { config, paused: body.paused });
      } catch (err) {
        throw configProblem(err);
      }
      await writeAudit(deps.db, req, {
        action: "source.change",
        target: `source:${current.id}`,
        detail: { config: config ? Object.keys(config).sort() : undefined, paused: body.paused },
      });
      res.status(204).end();
    },
  );

  addRoute(
    router,
    {
      method: "post",
      path: "/sources/:id/check",
      summary:
        "Can reglament reach and authenticate to the source (as `reglament source check`): what the account reads, and what it cannot (missing rights or functions, skipped courses or pupils)",
      permission: "sources.change",
      response: z.object({
        ok: z.boolean(),
        detail: z.string(),
        problems: z.array(z.object({ code: z.string(), message: z.string() })),
      }),
      tags,
    },
    async (req) => {
      const s = await visibleSource(deps.db, req);
      await writeAudit(deps.db, req, { action: "source.check", target: `source:${s.id}` });
      try {
        const result = await connectorFor(s).check();
        if (s.schoolId) await platformAnswered(deps.db, s.schoolId, s.id);
        // What the account cannot read: each problem the connector found, usable source or not.
        const problems = (result.problems ?? []).map((message) => ({ code: "capability", message }));
        if (!result.ok && problems.length === 0)
          problems.push({ code: "not-ready", message: `Не готов к синхронизации: ${result.detail}` });
        return { ok: result.ok, detail: result.detail, problems };
      } catch (err) {
        if (s.schoolId && isPlatformFailure(err))
          await platformFailed(deps.db, s.schoolId, s.id, (err as Error).message);
        if (!isConnectorError(err)) throw err;
        return { ok: false, detail: err.detail, problems: [{ code: err.kind, message: err.userMessage }] };
      }
    },
  );

  addRoute(
    router,
    {
      method: "post",
      path: "/sources/:id/sync",
      summary: "Sync now: enqueues a sync job of this source",
      permission: "sources.change",
      body: syncSchema,
      response: z.object({ jobId: z.string() }),
      tags,
    },
    async (req, res) => {
      const s = await visibleSource(deps.db, req);
      const { full } = parseBody(syncSchema, req);
      const job = await deps.queue.add("sync", { sourceId: s.id, full: full === true }, { attempts: 1 });
      await writeAudit(deps.db, req, {
        action: "source.sync",
        target: `source:${s.id}`,
        detail: { jobId: job.id, full: full === true },
      });
      res.status(202);
      return { jobId: job.id };
    },
  );

  addRoute(
    router,
    {
      method: "get",
      path: "/sources/:id/runs",
      summary: "The source's sync runs, newest first",
      permission: "sources.read",
      query: runsQuerySchema,
      response: pageSchema(runViewSchema),
      tags,
    },
    async (req) => {
      const s = await visibleSource(deps.db, req);
      const q = parseQuery(runsQuerySchema, req);
      const runs = await queryPage<RunRaw>(
        deps.db,
        q,
        { columns: RUN_COLUMNS, from: "sync_runs", where: "source = $1", order: "id DESC" },
        [s.id],
      );
      return mapPage(runs, runView);
    },
  );

  const quarantineItem = z.object({
    id: z.number().int(),
    runId: z.number().int().nullable(),
    stream: z.string(),
    origin: z.string(),
    field: z.string().nullable(),
    reason: z.string(),
    raw: z.string(),
    createdAt: z.string(),
  });
  addRoute(
    router,
    {
      method: "get",
      path: "/sources/:id/quarantine",
      summary: "Records the source's syncs quarantined, with the reason and the raw record",
      permission: "sources.read",
      query: quarantineQuerySchema,
      response: pageSchema(quarantineItem),
      tags,
    },
    async (req) => {
      const s = await visibleSource(deps.db, req);
      const q = parseQuery(quarantineQuerySchema, req);
      const rows = await queryPage<{
        id: string;
        sync_run_id: string | null;
        stream: string;
        origin: string;
        field: string | null;
        reason: string;
        raw: string;
        created_at: Date;
      }>(
        deps.db,
        q,
        {
          columns: "q.id, q.sync_run_id, q.stream, q.origin, q.field, q.reason, q.raw, q.created_at",
          from: "quarantine q",
          where:
            "q.sync_run_id IN (SELECT id FROM sync_runs WHERE source = $1) AND ($2::bigint IS NULL OR q.sync_run_id = $2)",
          order: "q.id DESC",
        },
        [s.id, q.run ?? null],
      );
      await writeAudit(deps.db, req, {
        action: "source.quarantine.read",
        target: `source:${s.id}`,
        detail: { run: q.run },
      });
      return mapPage(rows, (r) => ({
        id: Number(r.id),
        runId: r.sync_run_id === null ? null : Number(r.sync_run_id),
        stream: r.stream,
        origin: r.origin,
        field: r.field,
        reason: r.reason,
        raw: r.raw,
        createdAt: new Date(r.created_at).toISOString(),
      }));
    },
  );

  const outageItem = z.object({
    id: z.number().int(),
    from: z.string(),
    to: z.string().nullable(),
    reason: z.string(),
  });
  addRoute(
    router,
    {
      method: "get",
      path: "/sources/:id/outages",
      summary: "Outages of the platform this source syncs, newest first",
      permission: "sources.read",
      query: pageQuerySchema,
      response: pageSchema(outageItem),
      tags,
    },
    async (req) => {
      const s = await visibleSource(deps.db, req);
      const q = parseQuery(pageQuerySchema, req);
      const rows = await queryPage<{ id: string; from_at: Date; to_at: Date | null; reason: string }>(
        deps.db,
        q,
        {
          columns: "id, from_at, to_at, reason",
          from: "platform_outages",
          where: "source = $1",
          order: "from_at DESC",
        },
        [s.id],
      );
      return mapPage(rows, (r) => ({
        id: Number(r.id),
        from: new Date(r.from_at).toISOString(),
        to: r.to_at ? new Date(r.to_at).toISOString() : null,
        reason: r.reason,
      }));
    },
  );
  return router;
}
