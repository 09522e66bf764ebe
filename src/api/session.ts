// Sessions: a random cookie value, stored only as its sha256 in user_sessions with the user, a CSRF
// token and a sliding expiry. Login makes a NEW session every time (no fixation), counts failures per
// account (5 in a row lock it for 15 minutes) and attempts per IP (a rate limit
// in the store: several processes share it); logout deletes it.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import express, { type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { log } from "../log/logger.ts";
import { writeAudit } from "./audit.ts";
import { ApiProblem, forbidden, unauthorized } from "./problem.ts";
import { addRoute } from "./route.ts";
import { type ApiDeps, type ApiUser, ROLE_LABELS_RU, ROLES } from "./types.ts";
import {
  apiUserOf,
  findUserByLogin,
  getUser,
  schoolNames,
  timingDummyHash,
  verifyPassword,
} from "./users.ts";
import { parseBody } from "./validate.ts";

export const SESSION_COOKIE = "reglament_session";

export interface SessionPolicy {
  /** A session unused this long is dead (sliding: each request moves it on). */
  idleMs: number;
  /** Consecutive wrong passwords that lock an account, and for how long. */
  maxFailures: number;
  lockMs: number;
  /** Login attempts per IP per window, then 429. */
  loginAttemptsPerIp: number;
  loginWindowMs: number;
  /** Secure cookies also on plain http (behind a TLS-terminating proxy that does not say so). */
  secureCookies: boolean;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 8 * 3600_000,
  maxFailures: 5,
  lockMs: 15 * 60_000,
  loginAttemptsPerIp: 20,
  loginWindowMs: 5 * 60_000,
  secureCookies: false,
};

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

/** The CSRF token of the request's session (set by the session middleware). */
const csrfOf = new WeakMap<Request, string>();

function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Loads the signed-in user of the session cookie (if alive) into req.user, and slides its expiry. */
export function sessionMiddleware(deps: ApiDeps, policy: SessionPolicy): RequestHandler {
  return async (req, _res, next) => {
    const value = cookieValue(req, SESSION_COOKIE);
    if (!value || value.length > 200) return next();
    const idHash = sha256(value);
    const [row] = await deps.db.query<{ user_id: string; csrf_token: string; last_seen_at: Date }>(
      `SELECT s.user_id, s.csrf_token, s.last_seen_at FROM user_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
      [idHash, new Date()],
    );
    if (!row) return next();
    const user = await getUser(deps.db, Number(row.user_id));
    if (!user) return next();
    req.user = apiUserOf(user);
    req.sessionId = idHash;
    csrfOf.set(req, row.csrf_token);
    // Slide the expiry at most once a minute: a page's burst of requests writes once.
    if (Date.now() - new Date(row.last_seen_at).getTime() > 60_000)
      await deps.db.query("UPDATE user_sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1", [
        idHash,
        new Date(),
        new Date(Date.now() + policy.idleMs),
      ]);
    next();
  };
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const LOGIN_PATH = "/api/v1/session/login";

/** Every state-changing request of a session must carry its CSRF token (login has no session yet). */
export const csrfCheck: RequestHandler = (req, _res, next) => {
  if (!STATE_CHANGING.has(req.method) || req.originalUrl.split("?")[0] === LOGIN_PATH || !req.user)
    return next();
  const expected = csrfOf.get(req) ?? "";
  const given = String(req.headers["x-csrf-token"] ?? "");
  const ok =
    given.length === expected.length &&
    expected.length > 0 &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  next(ok ? undefined : forbidden("Нет или неверный CSRF-токен: обновите страницу."));
};

export const apiUserViewSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  schools: z.array(z.object({ id: z.string(), name: z.string(), timezone: z.string().nullable() })),
  personId: z.string().nullable(),
});
export type ApiUserView = z.infer<typeof apiUserViewSchema>;

export async function userView(deps: ApiDeps, u: ApiUser): Promise<ApiUserView> {
  return {
    id: u.id,
    login: u.login,
    displayName: u.displayName,
    role: u.role,
    roleLabel: ROLE_LABELS_RU[u.role],
    schools: await schoolNames(deps.db, u.schoolIds),
    personId: u.personId,
  };
}

const sessionSchema = z.object({ user: apiUserViewSchema, csrfToken: z.string() });
const loginSchema = z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

const wrongCredentials = () =>
  new ApiProblem(401, "Неверный логин или пароль", "Проверьте логин и пароль и попробуйте ещё раз.");
const locked = (until: Date) =>
  new ApiProblem(
    423,
    "Учётная запись временно заблокирована",
    `Учётная запись временно заблокирована после нескольких неверных паролей. Попробуйте после ${until.toISOString().slice(11, 16)} UTC или обратитесь к администратору.`,
  );

/**
 * Login attempts per IP in a fixed window, counted in the store (table login_rate) so that every
 * process serving the console shares one limit. One atomic upsert a try: a new window restarts at 1.
 */
export async function takeLoginAttempt(
  db: ApiDeps["db"],
  ip: string,
  policy: Pick<SessionPolicy, "loginAttemptsPerIp" | "loginWindowMs">,
  now = new Date(),
): Promise<boolean> {
  const windowOpen = new Date(now.getTime() - policy.loginWindowMs);
  const [row] = await db.query<{ hits: number }>(
    `INSERT INTO login_rate (ip, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (ip) DO UPDATE SET
       hits = CASE WHEN login_rate.window_start <= $3 THEN 1 ELSE login_rate.hits + 1 END,
       window_start = CASE WHEN login_rate.window_start <= $3 THEN $2 ELSE login_rate.window_start END
     RETURNING hits`,
    [ip.slice(0, 100), now, windowOpen],
  );
  // Now and then drop the windows that have passed, so the table stays as small as the traffic.
  if (Math.random() < 0.02) await db.query("DELETE FROM login_rate WHERE window_start <= $1", [windowOpen]);
  return Number(row.hits) <= policy.loginAttemptsPerIp;
}

function setSessionCookie(req: Request, res: Response, value: string, policy: SessionPolicy): void {
  res.cookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "strict",
    secure: policy.secureCookies || req.secure,
    path: "/",
  });
}

/** POST /session/login, GET /session, POST /session/logout. */
export function sessionRouter(deps: ApiDeps, policy: SessionPolicy = DEFAULT_SESSION_POLICY): express.Router {
  const router = express.Router();

  addRoute(
    router,
    {
      method: "post",
      path: "/session/login",
      summary: "Sign in: a new session cookie and its CSRF token",
      permission: null,
      body: loginSchema,
      response: sessionSchema,
      tags: ["session"],
    },
    async (req, res) => {
      if (!(await takeLoginAttempt(deps.db, req.ip ?? "?", policy)))
        throw new ApiProblem(
          429,
          "Слишком много попыток входа",
          "Подождите несколько минут и попробуйте снова.",
        );
      const { login, password } = parseBody(loginSchema, req);
      const user = await findUserByLogin(deps.db, login);
      if (!user || user.disabled) {
        await verifyPassword(await timingDummyHash(), password); // the same time as a real check
        await writeAudit(deps.db, req, { action: "login.failed", detail: { reason: "unknown-login" } });
        throw wrongCredentials();
      }
      const now = new Date();
      if (user.lockedUntil && user.lockedUntil > now) {
        await writeAudit(deps.db, req, { action: "login.locked", target: `user:${user.id}` });
        throw locked(user.lockedUntil);
      }
      if (!(await verifyPassword(user.passwordHash, password))) {
        const failures = user.failedLogins + 1;
        const lockUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
        await deps.db.query(
          "UPDATE users SET failed_logins = $2, locked_until = COALESCE($3, locked_until) WHERE id = $1",
          [user.id, lockUntil ? 0 : failures, lockUntil],
        );
        await writeAudit(deps.db, req, {
          action: "login.failed",
          target: `user:${user.id}`,
          detail: { reason: "wrong-password", locked: Boolean(lockUntil) },
        });
        if (lockUntil) {
          log.warn("console account locked after failed logins", { user: user.id });
          throw locked(lockUntil);
        }
        throw wrongCredentials();
      }
      // A new session whatever the request came with: a planted cookie never becomes signed in.
      const old = cookieValue(req, SESSION_COOKIE);
      if (old) await deps.db.query("DELETE FROM user_sessions WHERE id_hash = $1", [sha256(old)]);
      const value = randomBytes(32).toString("base64url");
      const csrfToken = randomBytes(32).toString("base64url");
      await deps.db.query(
        `INSERT INTO user_sessions (id_hash, user_id, csrf_token, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          sha256(value),
          user.id,
          csrfToken,
          new Date(now.getTime() + policy.idleMs),
          req.ip ?? null,
          String(req.headers["user-agent"] ?? "").slice(0, 300) || null,
        ],
      );
      await deps.db.query(
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins > 0 OR locked_until IS NOT NULL)",
        [user.id],
      );
      await deps.db.query("DELETE FROM user_sessions WHERE user_id = $1 AND expires_at < $2", [user.id, now]);
      req.user = apiUserOf(user);
      req.sessionId = sha256(value);
      await writeAudit(deps.db, req, { action: "login", target: `user:${user.id}` });
      setSessionCookie(req, res, value, policy);
      res.setHeader("Cache-Control", "no-store");
      return { user: await userView(deps, req.user), csrfToken };
    },
  );

  addRoute(
    router,
    {
      method: "get",
      path: "/session",
      summary: "The signed-in user and the session's CSRF token",
      permission: null,
      signedIn: true,
      response: sessionSchema,
      tags: ["session"],
    },
    async (req, res) => {
      if (!req.user) throw unauthorized();
      res.setHeader("Cache-Control", "no-store");
      return { user: await userView(deps, req.user), csrfToken: csrfOf.get(req) ?? "" };
    },
  );

  addRoute(
    router,
    {
      method: "post",
      path: "/session/logout",
      summary: "Sign out: the session is deleted",
      permission: null,
      signedIn: true,
      tags: ["session"],
    },
    async (req, res) => {
      await deps.db.query("DELETE FROM user_sessions WHERE id_hash = $1", [req.sessionId ?? ""]);
      await writeAudit(deps.db, req, { action: "logout", target: `user:${req.user?.id}` });
      res.clearCookie(SESSION_COOKIE, { path: "/" });
      res.status(204).end();
    },
  );
  return router;
}
