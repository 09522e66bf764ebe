// HTTP access to BARS «Электронная школа»: the form login (`/auth/login`, then `/` once) or a copied
// `sessionid` cookie, then `/api/<Service>/<method>` calls with the cookie through the shared client
// (rate limit, retries, breaker, classify.ts). The pupil is server-side session state (`SetChild`).
// A password session that dies mid-run is renewed once per call; a copied cookie cannot be renewed.
import { AuthFailedError, PlatformDownError } from "../errors.ts";
import type { RetryOptions } from "../http/backoff.ts";
import type { BreakerOptions } from "../http/circuit-breaker.ts";
import type { Clock } from "../http/clock.ts";
import { HttpClient, type QueryValue } from "../http/http-client.ts";
import type { RateLimitOptions } from "../http/rate-limiter.ts";
import { classifyBarsResponse, LOCKOUT_TEXT } from "./classify.ts";
import { barsMessages } from "./messages.ru.ts";
import { loginAnswerSchema } from "./schemas.ts";

export type BarsAuth =
  | { method: "password"; login: string; password: string }
  | { method: "cookie"; sessionid: string };

export interface BarsClientOptions {
  url: string;
  auth: BarsAuth;
  timeoutMs?: number;
  requestsPerSecond?: number;
  rateLimit?: Partial<RateLimitOptions>;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  clock?: Clock;
  random?: () => number;
}

/** A raw platform body and where it came from (for RejectedRecord.origin). */
export interface Fetched {
  origin: string;
  body: unknown;
}

const SESSION_ERRORS = /UserNotAuthenticated|NotAuthenticated|http-403/;

export class BarsClient {
  private readonly http: HttpClient;
  private readonly base: string;
  private sessionid: string | undefined;
  /** Requests made outside the shared client (the login form and its landing page). */
  private loginRequests = 0;

  constructor(private readonly options: BarsClientOptions) {
    this.base = options.url.endsWith("/") ? options.url : `${options.url}/`;
    if (options.auth.method === "cookie") this.sessionid = options.auth.sessionid.replace(/^sessionid=/, "");
    this.http = new HttpClient({
      baseUrl: this.base,
      timeoutMs: options.timeoutMs ?? 30_000,
      rateLimit: { requestsPerSecond: options.requestsPerSecond ?? 5, ...options.rateLimit },
      retry: { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, ...options.retry },
      breaker: { failureThreshold: 8, cooldownMs: 60_000, ...options.breaker },
      classify: classifyBarsResponse,
      bigIntsAsStrings: true,
      clock: options.clock,
      random: options.random,
    });
  }

  stats(): { requests: number; retries: number } {
    const s = this.http.stats();
    return { requests: s.requests + this.loginRequests, retries: s.retries };
  }

  get authMethod(): BarsAuth["method"] {
    return this.options.auth.method;
  }

  /** Logs in by the form unless a cookie was given or a session is already open. */
  async ensureSession(signal?: AbortSignal): Promise<void> {
    if (this.sessionid === undefined) await this.login(signal);
  }

  /** The web form: POST `/auth/login`, then GET the redirect (`/`) once, as the browser does. */
  async login(signal?: AbortSignal): Promise<void> {
    const auth = this.options.auth;
    if (auth.method !== "password") throw this.expired("cookie cannot be renewed");
    const form = new URLSearchParams({ login_login: auth.login, login_password: auth.password });
    const res = await this.fetch("auth/login", { method: "POST", body: form, signal });
    const text = await res.text();
    if (text.includes(LOCKOUT_TEXT)) {
      throw new AuthFailedError({
        detail: `POST /auth/login → HTTP ${res.status}, login locked`,
        status: res.status,
        platformType: "locked",
        userMessage: barsMessages.lockedOut,
      });
    }
    if (/text\/html/i.test(res.headers.get("content-type") ?? "") && !text.trim().startsWith("{")) {
      // A maintenance page where the form's JSON belongs: the platform is not serving.
      throw new PlatformDownError({
        detail: `POST /auth/login → HTTP ${res.status}, HTML page`,
        status: res.status,
        userMessage: barsMessages.maintenance,
      });
    }
    if (res.status >= 500)
      throw new PlatformDownError({ detail: `POST /auth/login → HTTP ${res.status}`, status: res.status });
    let answer: ReturnType<typeof loginAnswerSchema.parse> | undefined;
    try {
      answer = loginAnswerSchema.parse(JSON.parse(text));
    } catch {
      answer = undefined;
    }
    const cookie = sessionCookie(res.headers.getSetCookie());
    if (!answer?.success || !cookie) {
      throw new AuthFailedError({
        detail: `POST /auth/login → HTTP ${res.status}, form not accepted`,
        status: res.status,
        platformType: "login-rejected",
        userMessage: barsMessages.passwordRejected,
      });
    }
    this.sessionid = cookie;
    const landing = (answer.redirect ?? "/").replace(/^\//, "");
    const page = await this.fetch(landing, { method: "GET", signal });
    await page.text();
    const to = page.headers.get("location");
    if (
      page.status >= 300 &&
      page.status < 400 &&
      to &&
      !/personal-area|^\/?$/.test(new URL(to, this.base).pathname.replace(/^\//, ""))
    ) {
      throw new AuthFailedError({
        detail: `GET /${landing} → ${page.status} to ${new URL(to, this.base).pathname}`,
        status: page.status,
        platformType: "registration",
        userMessage: barsMessages.registrationUnfinished,
      });
    }
    if (page.status >= 500)
      throw new PlatformDownError({ detail: `GET /${landing} → HTTP ${page.status}`, status: page.status });
  }

  /** GET `/api/<Service>/<method>` with the session; a password session that died is renewed once. */
  async api(path: string, params?: Record<string, QueryValue>, signal?: AbortSignal): Promise<Fetched> {
    return this.withSession(path, params, signal, () =>
      this.http.get<unknown>(`api/${path}`, {
        params,
        signal,
        headers: { Cookie: `sessionid=${this.sessionid}` },
      }),
    );
  }

  /** Selects the pupil every later `/api` call is about (`ProfileService/SetChild`, form `selected`). */
  async setChild(personId: string, signal?: AbortSignal): Promise<Fetched> {
    const path = "ProfileService/SetChild";
    return this.withSession(path, { selected: personId }, signal, () =>
      this.http.post<unknown>(`api/${path}`, new URLSearchParams({ selected: personId }), {
        signal,
        headers: { Cookie: `sessionid=${this.sessionid}` },
      }),
    );
  }

  /** Logs out at the end of a password run (a copied cookie is left alone: logout would kill the person's session). */
  async logout(signal?: AbortSignal): Promise<void> {
    if (this.options.auth.method !== "password" || this.sessionid === undefined) return;
    try {
      const res = await this.fetch("auth/force-logout", { method: "GET", signal });
      await res.text();
    } catch {
      // Best effort: the session times out on its own.
    }
    this.sessionid = undefined;
  }

  private async withSession(
    path: string,
    params: Record<string, QueryValue> | undefined,
    signal: AbortSignal | undefined,
    call: () => Promise<unknown>,
  ): Promise<Fetched> {
    await this.ensureSession(signal);
    const origin = `${path}${params ? `?${new URLSearchParams(params as Record<string, string>).toString()}` : ""}`;
    try {
      return { origin: `/api/${origin}`, body: await call() };
    } catch (e) {
      if (!(e instanceof AuthFailedError) || !SESSION_ERRORS.test(e.platformType ?? "")) throw e;
      if (this.options.auth.method !== "password") throw this.expired(e.detail);
      await this.login(signal);
      return { origin: `/api/${origin}`, body: await call() };
    }
  }

  private expired(detail: string): AuthFailedError {
    return new AuthFailedError({
      detail: `bars: session expired (${detail})`,
      platformType: "session-expired",
      userMessage: barsMessages.sessionExpired,
    });
  }

  private async fetch(
    path: string,
    init: { method: string; body?: URLSearchParams; signal?: AbortSignal },
  ): Promise<Response> {
    this.loginRequests += 1;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    try {
      return await fetch(new URL(path, this.base), {
        method: init.method,
        body: init.body,
        redirect: "manual",
        headers: this.sessionid ? { Cookie: `sessionid=${this.sessionid}` } : {},
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (e) {
      throw new PlatformDownError({ detail: `${init.method} /${path}: ${(e as Error).message}`, cause: e });
    }
  }
}

/** The `sessionid` value among Set-Cookie headers. */
export function sessionCookie(setCookies: string[]): string | undefined {
  for (const c of setCookies) {
    const m = /(?:^|;\s*)sessionid=([^;]+)/.exec(c);
    if (m) return m[1];
  }
  return undefined;
}
