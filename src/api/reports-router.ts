// Reports in the console: the catalogue (kinds, titles, parameter schemas), generating a file the way
// `reglament report` does (buildReport → saveReport, listed in report_files), the files of the school,
// downloading one (only a file of this school, by its id), the automatic schedule, and the monthly
// control справка (001 §5.6).
import { createReadStream, existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import express from "express";
import { DateTime } from "luxon";
import { z } from "zod";
import { buildReport, REPORTS, reportKindSchema } from "../reports/catalog.ts";
import { contentType, type ReportFormat } from "../reports/render.ts";
import { ReportParamsError } from "../reports/report-data.ts";
import { type ReportParams, saveReport } from "../reports/report-files.ts";
import { dueReports } from "../reports/schedule.ts";
import type { Db } from "../store/db.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { schoolTimezone } from "./findings-query.ts";
import { describeRoute } from "./openapi-registry.ts";
import { mapPage, pageQuerySchema, pageSchema, queryPage } from "./paginate.ts";
import { badRequest, notFound } from "./problem.ts";
import type { ApiDeps } from "./types.ts";
import { parseBody, parseParams, parseQuery } from "./validate.ts";

const FORMATS = ["pdf", "xlsx", "csv"] as const;

export const catalogItemSchema = z.object({
  kind: z.string(),
  title: z.string(),
  scope: z.string(),
  formats: z.array(z.enum(FORMATS)),
  params: z.record(z.string(), z.unknown()),
});
export const createReportBodySchema = z
  .object({
    kind: reportKindSchema,
    format: z.enum(FORMATS),
    params: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
  })
  .strict();
export const spravkaBodySchema = z
  .object({
    month: z.string().regex(/^\d{4}-\d{2}$/, "ожидается месяц ГГГГ-ММ"),
    format: z.enum(FORMATS).default("pdf"),
  })
  .strict();
export const createdReportSchema = z.object({ id: z.number().int(), fileName: z.string(), url: z.string() });
export const reportFileSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  format: z.string(),
  fileName: z.string(),
  params: z.record(z.string(), z.unknown()),
  bytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
  url: z.string(),
});
export const reportsQuerySchema = pageQuerySchema.extend({ kind: reportKindSchema.optional() });
export const scheduleSchema = z.object({
  rules: z.array(z.object({ when: z.string(), kinds: z.array(z.string()) })),
  upcoming: z.array(
    z.object({
      date: z.string(),
      kind: z.string(),
      title: z.string(),
      params: z.record(z.string(), z.unknown()),
    }),
  ),
  files: z.array(reportFileSchema),
});

/** The automatic reports (src/reports/schedule.ts), as a coordinator reads the rules. */
const SCHEDULE_RULES = [
  { when: "В последний учебный день месяца", kinds: ["activity", "control-spravka", "control-figures"] },
  {
    when: "В первый рабочий день после окончания периода",
    kinds: ["performance", "movement", "school-performance", "class-results", "marks-sheet"],
  },
  { when: "За 10 учебных дней до конца периода", kinds: ["forecast", "class-teacher-preliminary"] },
  { when: "В последний учебный день недели", kinds: ["parent-weekly"] },
];

const titleOf = (kind: string) => REPORTS.find((r) => r.kind === kind)?.title ?? kind;

function paramsJsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return {};
  }
}

interface FileRow {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  format: string;
  path: string;
  sha256: string;
  bytes: number;
  created_at: Date;
}

const fileUrl = (schoolId: string, id: string | number) =>
  `/api/v1/schools/${encodeURIComponent(schoolId)}/reports/${id}/file`;

function fileView(schoolId: string, f: FileRow) {
  return {
    id: Number(f.id),
    kind: f.kind,
    title: titleOf(f.kind),
    format: f.format,
    fileName: basename(f.path),
    params: f.params,
    bytes: Number(f.bytes),
    sha256: f.sha256,
    createdAt: new Date(f.created_at).toISOString(),
    url: fileUrl(schoolId, f.id),
  };
}

const FILE_COLUMNS = "id::text AS id, kind, params, format, path, sha256, bytes::int AS bytes, created_at";

async function generate(
  deps: ApiDeps,
  schoolId: string,
  kind: string,
  format: ReportFormat,
  params: ReportParams,
): Promise<{ id: number; fileName: string; url: string }> {
  let report: Awaited<ReturnType<typeof buildReport>>;
  try {
    report = await buildReport(deps.db, schoolId, kind, params);
  } catch (e) {
    if (e instanceof ReportParamsError) throw badRequest(`Неверные параметры отчёта: ${e.message}`);
    throw e;
  }
  const [file] = await saveReport(deps.db, schoolId, report, params, [format], reportsDir(deps));
  const rows = await deps.db.query<{ id: string }>(
    "SELECT id::text AS id FROM report_files WHERE school_id = $1 AND path = $2",
    [schoolId, file.path],
  );
  return { id: Number(rows[0].id), fileName: basename(file.path), url: fileUrl(schoolId, rows[0].id) };
}

const reportsDir = (deps: ApiDeps) => resolve(deps.config.outDir, "reports");

async function recentFiles(db: Db, schoolId: string, limit: number): Promise<FileRow[]> {
  return db.query<FileRow>(
    `SELECT ${FILE_COLUMNS} FROM report_files WHERE school_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [schoolId, limit],
  );
}

/** `attachment` with an ASCII fallback name and the real (Russian) name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function reportsRouter(deps: ApiDeps): express.Router {
  const r = express.Router();
  const base = "/schools/:school/reports";

  describeRoute({
    method: "get",
    path: `${base}/catalog`,
    summary: "Каталог отчётов: виды, параметры, форматы",
    permission: "reports.read",
    response: z.array(catalogItemSchema),
    tags: ["reports"],
  });
  r.get(`${base}/catalog`, requirePermission("reports.read"), schoolScope, (_req, res) => {
    res.json(
      REPORTS.map((d) => ({
        kind: d.kind,
        title: d.title,
        scope: d.scope,
        formats: [...FORMATS],
        params: paramsJsonSchema(d.params),
      })),
    );
  });

  describeRoute({
    method: "post",
    path: base,
    summary: "Сформировать отчёт в файл",
    permission: "reports.create",
    body: createReportBodySchema,
    response: createdReportSchema,
    tags: ["reports"],
  });
  r.post(base, requirePermission("reports.create"), schoolScope, async (req, res) => {
    const body = parseBody(createReportBodySchema, req);
    const created = await generate(deps, req.schoolId!, body.kind, body.format, body.params as ReportParams);
    await writeAudit(deps.db, req, {
      action: "report.create",
      target: `report:${created.id}`,
      detail: { kind: body.kind, format: body.format, params: body.params },
    });
    res.status(201).json(created);
  });

  describeRoute({
    method: "post",
    path: `${base}/spravka`,
    summary: "Черновик ежемесячной справки по итогам контроля (001 §5.6)",
    permission: "reports.create",
    body: spravkaBodySchema,
    response: createdReportSchema,
    tags: ["reports"],
  });
  r.post(`${base}/spravka`, requirePermission("reports.create"), schoolScope, async (req, res) => {
    const body = parseBody(spravkaBodySchema, req);
    const created = await generate(deps, req.schoolId!, "control-spravka", body.format, {
      month: body.month,
    });
    await writeAudit(deps.db, req, {
      action: "report.create",
      target: `report:${created.id}`,
      detail: { kind: "control-spravka", format: body.format, month: body.month },
    });
    res.status(201).json(created);
  });

  describeRoute({
    method: "get",
    path: base,
    summary: "Сформированные файлы отчётов школы",
    permission: "reports.read",
    query: reportsQuerySchema,
    response: pageSchema(reportFileSchema),
    tags: ["reports"],
  });
  r.get(base, requirePermission("reports.read"), schoolScope, async (req, res) => {
    const q = parseQuery(reportsQuerySchema, req);
    const files = await queryPage<FileRow>(
      deps.db,
      q,
      {
        columns: FILE_COLUMNS,
        from: "report_files",
        where: "school_id = $1 AND ($2::text IS NULL OR kind = $2)",
        order: "created_at DESC, id DESC",
      },
      [req.schoolId!, q.kind ?? null],
    );
    await writeAudit(deps.db, req, { action: "reports.list", target: `school:${req.schoolId}` });
    res.json(mapPage(files, (f) => fileView(req.schoolId!, f)));
  });

  describeRoute({
    method: "get",
    path: `${base}/schedule`,
    summary: "Расписание автоматических отчётов и созданные файлы",
    permission: "reports.read",
    response: scheduleSchema,
    tags: ["reports"],
  });
  r.get(`${base}/schedule`, requirePermission("reports.read"), schoolScope, async (req, res) => {
    const zone = await schoolTimezone(deps.db, req.schoolId!);
    const start = DateTime.fromJSDate(deps.now(), { zone }).startOf("day");
    const upcoming = [];
    for (let i = 0; i < 31; i++) {
      const date = start.plus({ days: i }).toISODate()!;
      for (const job of await dueReports(deps.db, req.schoolId!, date)) {
        const { schoolId: _s, kind, formats: _f, ...params } = job.data;
        upcoming.push({ date, kind, title: titleOf(kind), params });
      }
    }
    const files = (await recentFiles(deps.db, req.schoolId!, 50)).map((f) => fileView(req.schoolId!, f));
    await writeAudit(deps.db, req, { action: "reports.schedule", target: `school:${req.schoolId}` });
    res.json({ rules: SCHEDULE_RULES, upcoming, files });
  });

  describeRoute({
    method: "get",
    path: `${base}/:id/file`,
    summary: "Скачать файл отчёта",
    permission: "reports.read",
    produces: [
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "text/csv",
    ],
    tags: ["reports"],
  });
  r.get(`${base}/:id/file`, requirePermission("reports.read"), schoolScope, async (req, res) => {
    const { id } = parseParams(
      z.object({
        school: z.string(),
        id: z.coerce
          .number()
          .int()
          .positive()
          .max(2 ** 53),
      }),
      req,
    );
    const rows = await deps.db.query<FileRow>(
      `SELECT ${FILE_COLUMNS} FROM report_files WHERE school_id = $1 AND id = $2`,
      [req.schoolId!, id],
    );
    const f = rows[0];
    if (!f || !existsSync(f.path)) throw notFound("Файл отчёта не найден.");
    await writeAudit(deps.db, req, { action: "report.download", target: `report:${id}` });
    res.setHeader("Content-Type", contentType(f.format as ReportFormat));
    res.setHeader("Content-Disposition", contentDisposition(basename(f.path)));
    res.setHeader("Content-Length", String(f.bytes));
    res.setHeader("X-Content-Type-Options", "nosniff");
    await new Promise<void>((ok, fail) => {
      const stream = createReadStream(f.path);
      stream.on("error", fail);
      res.on("finish", ok);
      res.on("close", ok);
      stream.pipe(res);
    });
  });

  return r;
}
