// HTTP access to a NetSchool server's web API (`<base>webapi/…`): the platform's own login
// (logindata → auth/getdata → login with the salted password proof), the `at` header and the
// session cookie on every call, one renewal of an expired session, logout. Raw bodies come back
// with their origin; mapping.ts validates them.
import { AuthFailedError, BadPayloadError, ConnectorError } from "../errors.ts";
import type { RetryOptions } from "../http/backoff.ts";
import type { BreakerOptions } from "../http/circuit-breaker.ts";
import type { Clock } from "../http/clock.ts";
import { buildQuery, HttpClient, type HttpResponseInfo, type QueryValue } from "../http/http-client.ts";
import { classifyNetschoolResponse } from "./classify.ts";
import { passwordProof } from "./login-hash.ts";
import { netschoolMessages } from "./messages.ru.ts";
import { authDataSchema, loginReplySchema } from "./schemas.ts";

export interface NetschoolClientOptions {
  baseUrl: string;
  login: string;
  password: string;
  schoolId: string;
  timeoutMs?: number;
  requestsPerSecond?: number;
  burst?: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  clock?: Clock;
  random?: () => number;
}

export interface Fetched {
  origin: string;
  body: unknown;
}

export class NetschoolClient {
  private readonly http: HttpClient;
  private at: string | null = null;
  private ver = "";
  private readonly cookies = new Map<string, string>();
  private loggingIn: Promise<void> | null = null;
  /** Sessions renewed in this run: one expiry is renewed, a second fails the run. */
  private renewals = 0;

  constructor(private readonly options: NetschoolClientOptions) {
    const base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.http = new HttpClient({
      baseUrl: `${base}webapi/`,
      timeoutMs: options.timeoutMs ?? 30_000,
      rateLimit: { requestsPerSecond: options.requestsPerSecond ?? 3, burst: options.burst },
      retry: { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, ...options.retry },
      breaker: { failureThreshold: 8, cooldownMs: 60_000, ...options.breaker },
      classify: (r) => {
        this.keepCookies(r);
        return classifyNetschoolResponse(r);
      },
      clock: options.clock,
      random: options.random,
    });
  }

  stats(): { requests: number; retries: number } {
    return this.http.stats();
  }

  /** Whether a session is open (after login, before logout). */
  loggedIn(): boolean {
    return this.at !== null;
  }

  private keepCookies(r: HttpResponseInfo): void {
    const raw = r.headers["set-cookie"];
    if (!raw) return;
    for (const part of raw.split(/,(?=\s*[A-Za-z0-9_.-]+=)/)) {
      const m = /^\s*([^=;\s]+)=([^;]*)/.exec(part);
      if (m) this.cookies.set(m[1], m[2]);
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.at) h.at = this.at;
    if (this.cookies.size > 0) h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return h;
  }

  /** Logs in once; concurrent callers wait for the same login. */
  login(signal?: AbortSignal): Promise<void> {
    this.loggingIn ??= this.doLogin(signal).finally(() => {
      this.loggingIn = null;
    });
    return this.loggingIn;
  }

  private async doLogin(signal?: AbortSignal): Promise<void> {
    this.at = null;
    await this.http.get("logindata", { headers: this.headers(), signal });
    const raw = await this.http.post("auth/getdata", new URLSearchParams(), {
      headers: this.headers(),
      signal,
    });
    const auth = authDataSchema.safeParse(raw);
    if (!auth.success) {
      // ЕСИА-only servers answer getdata with an empty body (lentryd issue #25).
      throw new AuthFailedError({
        detail: "POST webapi/auth/getdata: no {lt, ver, salt} in the answer (password login disabled?)",
        platformType: "esia-only",
        userMessage: netschoolMessages.esiaOnly,
      });
    }
    const { pw, pw2 } = passwordProof(this.options.password, auth.data.salt);
    const form = new URLSearchParams({
      loginType: "1",
      scid: this.options.schoolId,
      un: this.options.login,
      lt: auth.data.lt,
      pw2,
      ver: auth.data.ver,
      pw,
    });
    const reply = loginReplySchema.safeParse(
      await this.http.post("login", form, { headers: this.headers(), signal }),
    );
    if (!reply.success) throw new BadPayloadError({ detail: "POST webapi/login: no `at` in the answer" });
    this.at = reply.data.at;
    this.ver = auth.data.ver;
  }

  /** A call with the session: logs in first if needed; an expired session is renewed once per run. */
  async call(
    method: "GET" | "POST",
    path: string,
    options: {
      params?: Record<string, QueryValue>;
      body?: unknown;
      signal?: AbortSignal;
      text?: boolean;
    } = {},
  ): Promise<Fetched> {
    const origin = `${method} webapi/${path}${buildQuery(options.params)}`;
    for (;;) {
      if (!this.at) await this.login(options.signal);
      const sent = this.at;
      try {
        const request = {
          params: options.params,
          headers: this.headers(),
          signal: options.signal,
          text: options.text,
        };
        const body =
          method === "GET"
            ? await this.http.get(path, request)
            : await this.http.post(path, options.body ?? {}, request);
        return { origin, body };
      } catch (e) {
        if (!(e instanceof ConnectorError) || e.platformType !== "session-expired") throw e;
        // Another call may have renewed it already.
        if (this.at !== sent) continue;
        if (this.renewals >= 1) {
          throw new AuthFailedError({
            detail: `${origin}: the session expired again after it was renewed`,
            status: e.status,
            platformType: "session-expired",
            userMessage: netschoolMessages.sessionExpired,
            cause: e,
          });
        }
        this.renewals += 1;
        this.at = null;
      }
    }
  }

  get(path: string, params?: Record<string, QueryValue>, signal?: AbortSignal): Promise<Fetched> {
    return this.call("GET", path, { params, signal });
  }

  /** Ends the session (auth/logout, ≥5.29): a bot that stays logged in pushes a person out. */
  async logout(): Promise<void> {
    if (!this.at) return;
    try {
      await this.http.post("auth/logout", new URLSearchParams({ at: this.at, VER: this.ver }), {
        headers: this.headers(),
      });
    } catch {
      // The session ends by its idle timeout anyway.
    } finally {
      this.at = null;
      this.renewals = 0;
    }
  }

  context(signal?: AbortSignal): Promise<Fetched> {
    return this.get("context", undefined, signal);
  }
  diaryInit(signal?: AbortSignal): Promise<Fetched> {
    return this.get("student/diary/init", undefined, signal);
  }
  assignmentTypes(signal?: AbortSignal): Promise<Fetched> {
    return this.get("grade/assignment/types", { all: false }, signal);
  }
  diary(studentId: string, yearId: string, from: string, to: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(
      "student/diary",
      { studentId, yearId, weekStart: `${from}T00:00:00`, weekEnd: `${to}T00:00:00` },
      signal,
    );
  }
  /** The StudentGrades report's filters (terms of the selected pupil), BN §B6. */
  reportFilters(signal?: AbortSignal): Promise<Fetched> {
    return this.get("reports/studentgrades", undefined, signal);
  }
  /** The filters with some selected: the `period` range of a term comes only this way. */
  initFilters(selected: { filterId: string; filterValue: string }[], signal?: AbortSignal): Promise<Fetched> {
    return this.call("POST", "v2/reports/studentgrades/initfilters", {
      body: { params: null, selectedData: selected },
      signal,
    });
  }

  /** A report's filters: `reports/<name>` (SID, SGID, TERMID, period…). */
  reportFiltersOf(report: string, signal?: AbortSignal): Promise<Fetched> {
    return this.get(`reports/${report}`, undefined, signal);
  }
  /** The filters of a report with some selected (e.g. the subject groups of one pupil). */
  initReportFilters(
    report: string,
    selected: { filterId: string; filterValue: string }[],
    signal?: AbortSignal,
  ): Promise<Fetched> {
    return this.call("POST", `v2/reports/${report}/initfilters`, {
      body: { params: null, selectedData: selected },
      signal,
    });
  }
  /** Queues a report task: `{taskId}` (+ `queueKey` on current servers). */
  queueReport(path: string, body: unknown, signal?: AbortSignal): Promise<Fetched> {
    return this.call("POST", path, { body, signal });
  }
  /** A report file (HTML) by the id the queue hub named. */
  file(id: string, signal?: AbortSignal): Promise<Fetched> {
    return this.call("GET", `files/${encodeURIComponent(id)}`, { signal, text: true });
  }
  /** The hub's WebSocket URL and the session's headers (the `at` token also in the query, as the site sends it). */
  hubAccess(path: string): { url: string; headers: Record<string, string> } {
    const base = this.options.baseUrl.endsWith("/") ? this.options.baseUrl : `${this.options.baseUrl}/`;
    const url = new URL(path, base);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (this.at) url.searchParams.set("at", this.at);
    return { url: url.toString(), headers: this.headers() };
  }
}
