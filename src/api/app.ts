// The console's HTTP app: security headers, JSON bodies (100 kB), sessions and CSRF, the REST API
// under /api/v1 (the routers of routers.ts), health and metrics, and the built SPA from dist/web.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import helmet from "helmet";
import { log } from "../log/logger.ts";
import { createMetrics } from "./metrics.ts";
import { openApiDocument } from "./openapi.ts";
import { notFound, problemHandler } from "./problem.ts";
import { API_ROUTERS } from "./routers.ts";
import {
  csrfCheck,
  DEFAULT_SESSION_POLICY,
  type SessionPolicy,
  sessionMiddleware,
  sessionRouter,
} from "./session.ts";
import type { ApiDeps } from "./types.ts";

export interface ApiAppOptions {
  /** The built SPA (default: dist/web of the package); null or a missing folder = not built. */
  webDir?: string | null;
  /** JSON body limit (express/body-parser syntax). */
  bodyLimit?: string;
  session?: Partial<SessionPolicy>;
  /** Behind a reverse proxy: express's "trust proxy" (then req.ip and req.secure come from it). */
  trustProxy?: boolean | number | string;
  /** Process metrics (CPU, memory) in /metrics too; off in tests that build many apps. */
  defaultMetrics?: boolean;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const DEFAULT_WEB_DIR = join(packageRoot(), "dist", "web");

const NOT_BUILT_HTML = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>reglament — консоль не собрана</title></head>
<body><h1>Консоль не собрана</h1>
<p>API работает (<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>), но страницы консоли ещё не собраны.
Выполните <code>npm run build:web</code> и перезапустите сервер.</p></body></html>
`;

export function createApiApp(deps: ApiDeps, opts: ApiAppOptions = {}): express.Express {
  const policy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...opts.session };
  const metrics = createMetrics(deps.db, { defaultMetrics: opts.defaultMetrics });
  const app = express();
  app.disable("x-powered-by");
  if (opts.trustProxy !== undefined) app.set("trust proxy", opts.trustProxy);
  app.use(metrics.httpLatency);
  app.use(
    helmet({
      // Plain http on 127.0.0.1 is the demo's normal case: no forced upgrade of its requests.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      strictTransportSecurity: policy.secureCookies,
    }),
  );

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const probe = async (f: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          f(),
          new Promise((_r, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), 3000);
          }),
        ]);
        return "ok";
      } catch {
        return "unreachable";
      } finally {
        clearTimeout(timer);
      }
    };
    const [store, queue] = await Promise.all([
      probe(() => deps.db.query("SELECT 1")),
      probe(() => deps.queue.counts()),
    ]);
    res.status(store === "ok" && queue === "ok" ? 200 : 503).json({ store, queue });
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(express.json({ limit: opts.bodyLimit ?? "100kb" }));
  api.use(sessionMiddleware(deps, policy));
  api.use(csrfCheck);
  api.use((_req, res, next) => {
    // API answers are per user: never stored by shared caches (the browser revalidates with ETags).
    res.setHeader("Cache-Control", "private, no-cache");
    next();
  });
  api.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });
  api.use(sessionRouter(deps, policy));
  for (const factory of API_ROUTERS) api.use(factory(deps));
  api.use((_req, _res, next) => next(notFound("Нет такого адреса API.")));
  app.use("/api/v1", api);
  app.use("/api", (_req, _res, next) => next(notFound("Нет такого адреса API.")));

  const webDir = opts.webDir === undefined ? DEFAULT_WEB_DIR : opts.webDir;
  const index = webDir ? join(webDir, "index.html") : null;
  if (webDir && index && existsSync(index)) {
    app.use(
      express.static(webDir, {
        index: "index.html",
        maxAge: "1h",
        setHeaders: (res, path) => {
          if (path.endsWith("index.html")) res.setHeader("Cache-Control", "no-cache");
        },
      }),
    );
    // Client-side routes (/findings/42, …) load the SPA, which reads the path itself.
    app.get("/{*path}", (req, res, next) => {
      if (!req.accepts("html")) return next();
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(index);
    });
  } else {
    app.get("/{*path}", (req, res, next) => {
      if (!req.accepts("html")) return next();
      res.status(503).type("html").send(NOT_BUILT_HTML);
    });
  }
  app.use((_req, _res, next) => next(notFound()));
  app.use(
    problemHandler((err) =>
      log.error("console API: unexpected error", {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
    ),
  );
  return app;
}
