// The default reading of an HTTP status when the platform's body says nothing more specific.
import {
  AuthFailedError,
  type ConnectorError,
  InvalidRequestError,
  NotFoundError,
  NotPermittedError,
  PlatformDownError,
  RateLimitedError,
} from "../errors.ts";

export interface HttpResponseInfo {
  method: string;
  /** Path and query as requested, relative to the base URL. */
  url: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  contentType: string;
  text: string;
  /** The body parsed as JSON (unsafe integers as strings when enabled); undefined when not JSON. */
  json?: unknown;
  /** Retry-After in milliseconds when the response carried one. */
  retryAfterMs?: number;
}

export type Classify = (response: HttpResponseInfo) => ConnectorError | null;

export function classifyStatus(r: HttpResponseInfo): ConnectorError | null {
  const detail = `${r.method} ${r.url} → HTTP ${r.status}`;
  const s = r.status;
  if (s >= 200 && s < 300) return null;
  if (s === 401) return new AuthFailedError({ detail, status: s });
  if (s === 403) return new NotPermittedError({ detail, status: s });
  if (s === 404) return new NotFoundError({ detail, status: s });
  if (s === 429) return new RateLimitedError({ detail, status: s, retryAfterMs: r.retryAfterMs });
  if (s === 408 || s >= 500) return new PlatformDownError({ detail, status: s });
  if (s >= 400) return new InvalidRequestError({ detail, status: s });
  // 1xx/3xx that axios did not follow: nothing we can read.
  return new PlatformDownError({ detail: `${detail} (unexpected status)`, status: s });
}
