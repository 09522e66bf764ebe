// Prometheus metrics (prom-client), one registry per app. Sync, findings and outbox figures are read
// from the store when scraped (the store is the truth, whichever process ran the sync); HTTP
// latencies are observed as requests finish, labelled by route pattern (never by a URL with ids).
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../store/db.ts";

export interface ApiMetrics {
  registry: Registry;
  httpLatency: RequestHandler;
}

export function createMetrics(db: Db, opts: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by route pattern",
    labelNames: ["route", "method", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "reglament_sync_runs_total",
    help: "Sync runs in the store by source and status",
    labelNames: ["source", "status"],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.query<{ source: string; status: string; n: string }>(
        "SELECT source, status, count(*) AS n FROM sync_runs GROUP BY source, status",
      );
      for (const r of rows) this.set({ source: r.source, status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: "reglament_sync_duration_seconds",
    help: "Duration of the last finished sync run by source",
    labelNames: ["source"],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.query<{ source: string; seconds: string | number }>(
        `SELECT DISTINCT ON (source) source, EXTRACT(EPOCH FROM (finished_at - started_at)) AS seconds
         FROM sync_runs WHERE finished_at IS NOT NULL ORDER BY source, id DESC`,
      );
      for (const r of rows) this.set({ source: r.source }, Number(r.seconds));
    },
  });
  new Gauge({
    name: "reglament_platform_requests_total",
    help: "Requests the syncs made to platforms, by source",
    labelNames: ["source"],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.query<{ source: string; n: string | number | null }>(
        "SELECT source, sum(COALESCE((counts->>'requests')::bigint, 0)) AS n FROM sync_runs GROUP BY source",
      );
      for (const r of rows) this.set({ source: r.source }, Number(r.n ?? 0));
    },
  });
  new Gauge({
    name: "reglament_findings_open",
    help: "Open findings by rule",
    labelNames: ["rule"],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.query<{ rule_id: string; n: string }>(
        "SELECT rule_id, count(*) AS n FROM violations WHERE status = 'open' GROUP BY rule_id",
      );
      for (const r of rows) this.set({ rule: r.rule_id }, Number(r.n));
    },
  });
  new Gauge({
    name: "reglament_outbox_backlog",
    help: "Messages waiting in the outbox (pending or sending)",
    registers: [registry],
    async collect() {
      const [r] = await db.query<{ n: string }>(
        "SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')",
      );
      this.set(Number(r?.n ?? 0));
    },
  });
  const httpLatency: RequestHandler = (req, res, next) => {
    const end = http.startTimer();
    res.on("finish", () => {
      const route = req.route?.path
        ? `${req.baseUrl}${req.route.path}`
        : req.path.startsWith("/api/")
          ? "unmatched"
          : "static";
      end({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, httpLatency };
}
