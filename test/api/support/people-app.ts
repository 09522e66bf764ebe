// The people's routers on a real express app over a real store, with users signed in by a test header
// (api-core's sessions are tested on their own; here the routers' role and school rules are what runs).
import type { AddressInfo } from "node:net";
import express from "express";
import { analyticsRouter } from "../../../src/api/analytics-router.ts";
import { complianceRouter } from "../../../src/api/compliance-router.ts";
import { escalationRouter } from "../../../src/api/escalation-router.ts";
import { findingsRouter } from "../../../src/api/findings-router.ts";
import { incidentsRouter } from "../../../src/api/incidents-router.ts";
import { lookupsRouter } from "../../../src/api/lookups-router.ts";
import { messagesRouter } from "../../../src/api/messages-router.ts";
import { problemHandler } from "../../../src/api/problem.ts";
import { reportsRouter } from "../../../src/api/reports-router.ts";
import type { ApiDeps, ApiUser, Role } from "../../../src/api/types.ts";
import { type Config, configSchema } from "../../../src/config/schema.ts";
import { MemoryJobQueue } from "../../../src/queue/memory-queue.ts";
import type { Db } from "../../../src/store/db.ts";

export const PEOPLE_ROUTERS = [
  findingsRouter,
  complianceRouter,
  incidentsRouter,
  escalationRouter,
  messagesRouter,
  reportsRouter,
  analyticsRouter,
  lookupsRouter,
];

export interface TestApp {
  url: string;
  /** Signs in as `user` (or anonymous) and returns the response. */
  call(
    method: string,
    path: string,
    options?: { as?: ApiUser; body?: unknown },
  ): Promise<{
    status: number;
    headers: Headers;
    // biome-ignore lint/suspicious/noExplicitAny: JSON of many shapes, asserted by the tests
    json: any;
    raw: Buffer;
  }>;
  close(): Promise<void>;
}

export function user(role: Role, schoolIds: string[], personId: string | null = null, id = 1): ApiUser {
  return { id, login: `${role}-${id}`, displayName: `Тест ${role}`, role, schoolIds, personId };
}

export function testConfig(outDir: string, extra: Record<string, unknown> = {}): Config {
  return configSchema.parse({ outDir, ...extra });
}

export async function startPeopleApp(db: Db, config: Config, now: Date): Promise<TestApp> {
  const deps: ApiDeps = { db, config, queue: new MemoryJobQueue("api-test"), now: () => now };
  const signedIn = new Map<string, ApiUser>();
  const app = express();
  app.use(express.json({ limit: "100kb" }));
  app.use((req, _res, next) => {
    const token = req.header("x-test-user");
    if (token) req.user = signedIn.get(token);
    next();
  });
  for (const router of PEOPLE_ROUTERS) app.use("/api/v1", router(deps));
  app.use(
    problemHandler((err) => {
      console.error(err);
    }),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((ok) => server.once("listening", () => ok()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let n = 0;
  return {
    url,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.as) {
        const token = String(++n);
        signedIn.set(token, options.as);
        headers["x-test-user"] = token;
      }
      if (options.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(url + path, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const raw = Buffer.from(await res.arrayBuffer());
      const type = res.headers.get("content-type") ?? "";
      const json = type.includes("json") && raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
      return { status: res.status, headers: res.headers, json, raw };
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
