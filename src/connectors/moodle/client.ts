// Moodle Web Services REST client: one `call(wsfunction, args)` over the shared HttpClient
// (rate limit, retries, breaker). Every call is a form POST, so the token travels in the body and
// never in a URL (proxy and server access logs keep URLs). Moodle answers errors with HTTP 200 and
// an `exception` body; those are recognised here and turned into typed errors. The token never
// reaches an error text.
import {
  AuthFailedError,
  BadPayloadError,
  type ConnectorError,
  InvalidRequestError,
  isConnectorError,
  NotFoundError,
  NotPermittedError,
  PlatformDownError,
  RateLimitedError,
} from "../errors.ts";
import type { RetryOptions } from "../http/backoff.ts";
import type { BreakerOptions } from "../http/circuit-breaker.ts";
import { classifyStatus } from "../http/classify-status.ts";
import type { Clock } from "../http/clock.ts";
import { HttpClient, type HttpResponseInfo } from "../http/http-client.ts";
import type { RateLimitOptions } from "../http/rate-limiter.ts";
import { flattenParams, type WsValue } from "./params.ts";
import { tokenErrorSchema, wsExceptionSchema } from "./ws-types.ts";

export const REST_PATH = "webservice/rest/server.php";

export interface MoodleClientOptions {
  /** Site root, e.g. https://school.example/moodle; a sub-path is kept. */
  url: string;
  token: string;
  timeoutMs?: number;
  requestsPerSecond?: number;
  burst?: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  rateLimit?: Partial<RateLimitOptions>;
  clock?: Clock;
  random?: () => number;
}

const AUTH_CODES = new Set([
  "invalidtoken",
  "usernotconfirmed",
  "passwordisexpired",
  "invalidlogin",
  "forcepasswordchangenotice",
  "usernamenotfound",
  "missingtoken",
]);
const PERMISSION_CODES = new Set([
  "nopermissions",
  // core_course_get_courses / require_login on a course the account may not open (F4).
  "errorcoursecontextnotvalid",
  "requireloginerror",
  "accessdenied",
  "notingroup",
  "servicenotavailable",
  "restrictedcontextexception",
  "coursehidden",
  "enablewsdescription",
  "webservicesnotenabled",
  "nopermissiontoviewgrades",
  "nopermissiontoshow",
]);
const NOT_FOUND_CODES = new Set([
  "invalidrecord",
  "invalidrecordunknown",
  "invalidcourseid",
  "invaliduser",
  "invaliduserid",
  "coursenotexist",
  "invalidcoursemodule",
]);
const DOWN_CODES = new Set([
  "sitemaintenance",
  "dmlreadexception",
  "dmlwriteexception",
  "dbconnectionfailed",
]);

/** The typed error for a Moodle error body (`exception`/`errorcode`/`message`, or token.php's `error`). */
export function moodleError(
  where: string,
  errorcode: string,
  message: string,
  exception = "",
  status?: number,
): ConnectorError {
  const code = errorcode.toLowerCase();
  // Moodle messages name functions and capabilities, not people; still keep them short in logs.
  const init = {
    detail: `${where}: ${exception ? `${exception}/` : ""}${errorcode || "?"}: ${message.slice(0, 200)}`,
    platformType: errorcode || exception || undefined,
    status,
  };
  if (AUTH_CODES.has(code)) return new AuthFailedError(init);
  // accessexception covers an expired token and a function outside the service (§2).
  if (code === "accessexception") {
    return /token/i.test(message) ? new AuthFailedError(init) : new NotPermittedError(init);
  }
  if (PERMISSION_CODES.has(code) || /required_capability|require_login/.test(exception)) {
    return new NotPermittedError(init);
  }
  if (NOT_FOUND_CODES.has(code) || exception === "dml_missing_record_exception")
    return new NotFoundError(init);
  if (DOWN_CODES.has(code)) return new PlatformDownError(init);
  if (code === "invalidparameter" && /permission/i.test(message)) return new NotPermittedError(init);
  if (code === "invalidresponse") return new BadPayloadError(init);
  return new InvalidRequestError(init);
}

/** Replaces the token wherever it could appear in a text (a GET URL, should one ever carry it). */
export function redactToken(text: string, token: string): string {
  let out = text.replace(/wstoken=[^&\s#]*/g, "wstoken=***");
  if (token.length >= 4) out = out.split(token).join("***");
  return out;
}

/** The function named in a URL's query (GET calls); POST calls name it in the body. */
function functionOf(url: string): string | undefined {
  return /[?&]wsfunction=([^&]*)/.exec(url)?.[1];
}

/** The `classify` hook for the shared HttpClient: Moodle error bodies and HTML pages. */
export function classifyMoodleResponse(info: HttpResponseInfo, token: string): ConnectorError | null {
  const safe = { ...info, url: redactToken(info.url, token) };
  const fn = functionOf(info.url);
  const where = `${info.method} ${safe.url.split("?")[0]}${fn ? ` ${fn}` : ""}`;
  // Throttling and server errors go by status, whatever the body says.
  if (info.status === 429 || info.status === 408 || info.status >= 500) return classifyStatus(safe);
  if (
    info.json !== undefined &&
    info.json !== null &&
    typeof info.json === "object" &&
    !Array.isArray(info.json)
  ) {
    const ex = wsExceptionSchema.safeParse(info.json);
    if (ex.success)
      return moodleError(where, ex.data.errorcode, ex.data.message, ex.data.exception, info.status);
    const te = tokenErrorSchema.safeParse(info.json);
    if (te.success) return moodleError(where, te.data.errorcode, te.data.error, "", info.status);
  }
  if (info.status < 200 || info.status >= 300) return classifyStatus(safe);
  const html = /html/i.test(info.contentType) || /^\s*</.test(info.text);
  if (html) {
    const maintenance = /maintenance|обслуживани/i.test(info.text);
    const detail = `${where} → HTTP ${info.status}: an HTML page where JSON belongs${maintenance ? " (maintenance)" : ""}`;
    return maintenance
      ? new PlatformDownError({ detail, status: info.status })
      : new BadPayloadError({ detail, status: info.status });
  }
  return null;
}

/**
 * Re-creates a connector error with the token scrubbed from its texts (and no raw cause: an axios
 * error holds the request body, token included), naming the web-service function it came from.
 */
function redacted(e: ConnectorError, token: string, wsfunction: string): ConnectorError {
  const detail = redactToken(e.detail, token);
  const init = {
    detail: detail.includes(wsfunction) ? detail : `${wsfunction}: ${detail}`,
    userMessage: e.userMessage,
    status: e.status,
    platformType: e.platformType,
  };
  if (e instanceof RateLimitedError) return new RateLimitedError({ ...init, retryAfterMs: e.retryAfterMs });
  const Ctor = e.constructor as new (i: typeof init) => ConnectorError;
  return new Ctor(init);
}

export class MoodleClient {
  private readonly http: HttpClient;
  private readonly token: string;

  constructor(options: MoodleClientOptions) {
    this.token = options.token;
    const perSecond = options.rateLimit?.requestsPerSecond ?? options.requestsPerSecond ?? 5;
    this.http = new HttpClient({
      baseUrl: options.url.endsWith("/") ? options.url : `${options.url}/`,
      timeoutMs: options.timeoutMs ?? 60_000,
      rateLimit: { requestsPerSecond: perSecond, burst: options.rateLimit?.burst ?? options.burst },
      retry: { retries: 4, baseDelayMs: 500, maxDelayMs: 15_000, maxRetryAfterMs: 60_000, ...options.retry },
      breaker: { failureThreshold: 5, cooldownMs: 30_000, ...options.breaker },
      classify: (info) => classifyMoodleResponse(info, this.token),
      clock: options.clock,
      random: options.random,
    });
  }

  /**
   * Calls one web-service function with PHP-style flattened arguments and returns its JSON. A form
   * POST (platforms/moodle.md §1: GET and POST are merged, POST preferred): the token stays out of
   * URLs, and long argument lists do not meet URL length limits (callers still chunk for max_input_vars).
   */
  async call(wsfunction: string, args: Record<string, WsValue> = {}, signal?: AbortSignal): Promise<unknown> {
    const form = new URLSearchParams({
      wstoken: this.token,
      wsfunction,
      moodlewsrestformat: "json",
      moodlewssettingfilter: "0",
      moodlewssettingfileurl: "0",
      ...flattenParams(args),
    });
    try {
      return await this.http.post<unknown>(REST_PATH, form, { signal });
    } catch (e) {
      if (isConnectorError(e)) throw redacted(e, this.token, wsfunction);
      throw e;
    }
  }

  stats(): { requests: number; retries: number } {
    return this.http.stats();
  }
}
