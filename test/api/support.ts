// A console API on a fresh store for tests: two schools, a user of every role in school A (and one
// of every role in school B), the in-process queue with the real job handlers, and a client that
// signs in and carries the cookie and the CSRF token like the SPA does.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiAppOptions, createApiApp } from "../../src/api/app.ts";
import { ROLES, type Role } from "../../src/api/types.ts";
import { createUser } from "../../src/api/users.ts";
import { jobHandlers } from "../../src/cli/commands/worker.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { createMemoryQueue } from "../../src/queue/memory-queue.ts";
import type { JobQueue, QueueWorker } from "../../src/queue/types.ts";
import type { Db } from "../../src/store/db.ts";

export const SCHOOL_A = "school-a";
export const SCHOOL_B = "school-b";
export const PASSWORD = "correct-horse-1";
export const TEACHER_PERSON = "t-100";

export interface Harness {
  db: Db;
  queue: JobQueue;
  base: string;
  close(): Promise<void>;
}

export async function startHarness(db: Db, opts: ApiAppOptions = {}): Promise<Harness> {
  for (const [id, name] of [
    [SCHOOL_A, "Школа А"],
    [SCHOOL_B, "Школа Б"],
  ])
    await db.query("INSERT INTO schools (id, name, timezone, workweek) VALUES ($1, $2, 'Europe/Moscow', 5)", [
      id,
      name,
    ]);
  for (const school of [SCHOOL_A, SCHOOL_B])
    for (const role of ROLES)
      await createUser(db, {
        login: `${role}-${school}`,
        displayName: `${role} ${school}`,
        password: PASSWORD,
        role,
        schoolIds: [school],
        personId: role === "teacher" ? TEACHER_PERSON : null,
      });
  return serveApi(db, opts);
}

/** Another process serving the same store (no seeding): what a second server behind the proxy is. */
export async function serveApi(db: Db, opts: ApiAppOptions = {}): Promise<Harness> {
  const config = loadConfig({ env: {} });
  const queue = createMemoryQueue("api-test", { defaultAttempts: 1 });
  const worker: QueueWorker = queue.process(jobHandlers(db, queue, config), { concurrency: 1 });
  const app = createApiApp({ db, config, queue, now: () => new Date() }, { webDir: null, ...opts });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    db,
    queue,
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await worker.close();
      await queue.close();
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(readonly base: string) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && opts.csrf !== false) headers["x-csrf-token"] = this.csrf;
    if (body !== undefined || opts.raw !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(this.base + path, {
      method,
      headers,
      body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      redirect: "manual",
    });
    const setCookie = res.headers.get("set-cookie");
    const m = setCookie ? /reglament_session=([^;]*)/.exec(setCookie) : null;
    if (m) this.cookie = m[1] ? `reglament_session=${m[1]}` : null;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  async login(login: string, password = PASSWORD): Promise<Answer> {
    const r = await this.call("POST", "/api/v1/session/login", { login, password });
    if (r.status === 200) this.csrf = (r.body as { csrfToken: string }).csrfToken;
    return r;
  }
}

export async function signedIn(base: string, role: Role, school = SCHOOL_A): Promise<Client> {
  const c = new Client(base);
  const r = await c.login(`${role}-${school}`);
  if (r.status !== 200) throw new Error(`login ${role}: ${r.status} ${r.text}`);
  return c;
}
