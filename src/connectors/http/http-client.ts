// The one HTTP client every connector uses: token-bucket rate limit, retries with exponential
// backoff and full jitter, Retry-After, a circuit breaker, typed errors and big-int-safe JSON.
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from "axios";
import { BadPayloadError, ConnectorError, PlatformDownError, RateLimitedError } from "../errors.ts";
import { connectorMessages } from "../messages.ru.ts";
import { backoffDelay, parseRetryAfter, type RetryOptions } from "./backoff.ts";
import { type BreakerOptions, CircuitBreaker } from "./circuit-breaker.ts";
import { type Classify, classifyStatus, type HttpResponseInfo } from "./classify-status.ts";
import { type Clock, systemClock } from "./clock.ts";
import { type RateLimitOptions, TokenBucket } from "./rate-limiter.ts";
import { parseJson } from "./safe-json.ts";

export type { Classify, HttpResponseInfo } from "./classify-status.ts";

export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  rateLimit: RateLimitOptions;
  retry: RetryOptions;
  breaker: BreakerOptions;
  /** Platform-specific reading of a response (error bodies, HTML pages); null defers to the status. */
  classify?: Classify;
  /** Parse integers beyond 2^53 as exact strings (default true: platform ids must survive). */
  bigIntsAsStrings?: boolean;
  clock?: Clock;
  random?: () => number;
}

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;

export interface RequestOptions {
  /** Query parameters; arrays repeat the key (`schools=1&schools=2`), undefined/null are left out. */
  params?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Return the body as text (a report file in HTML) instead of parsing JSON. */
  text?: boolean;
}

export interface HttpStats {
  requests: number;
  retries: number;
}

const NETWORK_CODES = new Set([
  "ECONNABORTED",
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_NETWORK",
  "ERR_BAD_RESPONSE",
]);

export function buildQuery(params: Record<string, QueryValue> | undefined): string {
  if (!params) return "";
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) q.append(key, String(v));
    else q.append(key, String(value));
  }
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

export class HttpClient {
  private readonly http: AxiosInstance;
  private readonly limiter: TokenBucket;
  private readonly breaker: CircuitBreaker;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly counters: HttpStats = { requests: 0, retries: 0 };
  /** The failure that last counted against the breaker: what an open circuit amounts to. */
  private lastFailure: ConnectorError | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.limiter = new TokenBucket(options.rateLimit, this.clock);
    this.breaker = new CircuitBreaker(options.breaker, this.clock);
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      headers: { Accept: "application/json", ...options.headers },
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 3,
    });
  }

  get<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("GET", path, undefined, options);
  }

  /** POSTs `body` as JSON, or as a form (`application/x-www-form-urlencoded`) when it is URLSearchParams. */
  post<T = unknown>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>("POST", path, body, options);
  }

  stats(): HttpStats {
    return { ...this.counters };
  }

  breakerState(): ReturnType<CircuitBreaker["current"]> {
    return this.breaker.current();
  }

  async request<T>(method: "GET" | "POST", path: string, body: unknown, options: RequestOptions): Promise<T> {
    const url = path + buildQuery(options.params);
    const { retry } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      options.signal?.throwIfAborted();
      if (!this.breaker.tryAcquire()) {
        throw new PlatformDownError({
          detail: `${method} ${url}: circuit open, ${this.breaker.remainingCooldownMs()} ms of cooldown left`,
          userMessage: connectorMessages.circuitOpen,
          cause: this.lastFailure,
        });
      }
      await this.limiter.take(options.signal);
      this.counters.requests += 1;
      const outcome = await this.attempt(method, url, body, options);
      if (!(outcome instanceof ConnectorError)) {
        this.breaker.onSuccess();
        return outcome as T;
      }
      if (outcome instanceof PlatformDownError) {
        this.lastFailure = outcome;
        this.breaker.onFailure();
      } else if (outcome instanceof RateLimitedError) this.breaker.release();
      else this.breaker.onSuccess(); // the platform answered: it is up

      if (!outcome.retryable || attempt >= retry.retries) throw outcome;
      const waitFor = this.delayFor(outcome, attempt);
      if (waitFor === undefined) throw outcome;
      this.counters.retries += 1;
      await this.clock.sleep(waitFor, options.signal);
    }
  }

  /** How long to wait before the next attempt; undefined when the platform asks for too long. */
  private delayFor(error: ConnectorError, attempt: number): number | undefined {
    const retryAfter = error instanceof RateLimitedError ? error.retryAfterMs : undefined;
    if (retryAfter !== undefined) {
      const cap = this.options.retry.maxRetryAfterMs ?? 60_000;
      return retryAfter > cap ? undefined : retryAfter;
    }
    return backoffDelay(attempt, this.options.retry, this.random);
  }

  /** One request on the wire: the parsed body, or the typed error it amounts to. */
  private async attempt(
    method: string,
    url: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<unknown | ConnectorError> {
    let response: AxiosResponse<string>;
    try {
      // A URLSearchParams body travels as an HTML form (Moodle's REST server); anything else as JSON.
      const form = body instanceof URLSearchParams;
      response = await this.http.request<string>({
        method,
        url,
        data: body === undefined ? undefined : form ? body.toString() : JSON.stringify(body),
        headers: {
          ...(body === undefined
            ? {}
            : { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" }),
          ...options.headers,
        },
        signal: options.signal,
      });
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      return this.networkError(method, url, e);
    }
    const info = this.describe(method, url, response);
    const error = this.options.classify?.(info) ?? classifyStatus(info);
    if (error) return this.withRetryAfter(error, info);
    if (options.text) return info.text;
    if (info.text.trim() === "") return null;
    if (info.json === undefined) {
      return new BadPayloadError({
        detail: `${method} ${url} → HTTP ${info.status}: body is not JSON (${info.contentType || "no content type"})`,
        status: info.status,
      });
    }
    return info.json;
  }

  private describe(method: string, url: string, response: AxiosResponse<string>): HttpResponseInfo {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers ?? {})) {
      if (v !== undefined && v !== null)
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    }
    const text = typeof response.data === "string" ? response.data : String(response.data ?? "");
    const contentType = headers["content-type"] ?? "";
    let json: unknown;
    const looksJson = /json/i.test(contentType) || /^\s*[[{"]/.test(text);
    if (looksJson && text.trim() !== "" && !/html/i.test(contentType)) {
      try {
        json = parseJson(text, { bigIntsAsStrings: this.options.bigIntsAsStrings ?? true });
      } catch {
        json = undefined;
      }
    }
    return {
      method,
      url,
      status: response.status,
      headers,
      contentType,
      text,
      json,
      retryAfterMs: parseRetryAfter(headers["retry-after"], this.clock.now()),
    };
  }

  private withRetryAfter(error: ConnectorError, info: HttpResponseInfo): ConnectorError {
    if (
      error instanceof RateLimitedError &&
      error.retryAfterMs === undefined &&
      info.retryAfterMs !== undefined
    ) {
      return new RateLimitedError({
        detail: error.detail,
        userMessage: error.userMessage,
        status: error.status,
        platformType: error.platformType,
        retryAfterMs: info.retryAfterMs,
      });
    }
    return error;
  }

  private networkError(method: string, url: string, e: unknown): ConnectorError {
    const code = isAxiosError(e) ? (e.code ?? "") : "";
    const reason = code || (e instanceof Error ? e.message : String(e));
    const timeout = code === "ECONNABORTED" || code === "ETIMEDOUT";
    // Every transport failure (known network code or not) means we could not reach the platform.
    const what = timeout
      ? `timed out after ${this.options.timeoutMs} ms`
      : NETWORK_CODES.has(code)
        ? code
        : reason;
    return new PlatformDownError({
      detail: `${method} ${url}: ${what}`,
      cause: e,
    });
  }
}
