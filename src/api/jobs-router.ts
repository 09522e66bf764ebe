// The job queue for the IT staff: counts by state, the newest jobs, and retrying a failed one.
import express from "express";
import { z } from "zod";
import { writeAudit } from "./audit.ts";
import { notFound } from "./problem.ts";
import { addRoute } from "./route.ts";
import type { ApiDeps } from "./types.ts";
import { parseParams, parseQuery } from "./validate.ts";

const STATES = ["waiting", "active", "delayed", "completed", "failed"] as const;
const jobsQuerySchema = z.object({
  state: z.enum(STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(STATES),
  attempts: z.number().int(),
  failedReason: z.string().nullable(),
  timestamp: z.string().nullable(),
  /** The job's ids (a source, a school): jobs carry no personal data. */
  data: z.record(z.string(), z.unknown()),
});

export function jobsRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  addRoute(
    router,
    {
      method: "get",
      path: "/jobs",
      summary: "Queue counts by state and the newest jobs",
      permission: "jobs.read",
      query: jobsQuerySchema,
      response: z.object({ counts: z.record(z.enum(STATES), z.number()), items: z.array(jobSchema) }),
      tags: ["jobs"],
    },
    async (req) => {
      const q = parseQuery(jobsQuerySchema, req);
      const [counts, jobs] = await Promise.all([deps.queue.counts(), deps.queue.list(q.state, q.limit)]);
      return {
        counts,
        items: jobs.map((j) => ({
          id: j.id,
          name: j.name,
          state: j.state,
          attempts: j.attemptsMade,
          failedReason: j.failedReason ?? null,
          timestamp: j.timestamp ? new Date(j.timestamp).toISOString() : null,
          data: j.data,
        })),
      };
    },
  );
  const idSchema = z.object({ id: z.string().min(1).max(600) });
  addRoute(
    router,
    {
      method: "post",
      path: "/jobs/:id/retry",
      summary: "Run a failed job again",
      permission: "jobs.change",
      response: z.object({ id: z.string(), retried: z.boolean() }),
      tags: ["jobs"],
    },
    async (req) => {
      const { id } = parseParams(idSchema, req);
      if (!(await deps.queue.retry(id))) throw notFound("Нет такого задания среди упавших.");
      await writeAudit(deps.db, req, { action: "job.retry", target: `job:${id}` });
      return { id, retried: true };
    },
  );
  return router;
}
