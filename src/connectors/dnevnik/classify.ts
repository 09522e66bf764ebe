// Dnevnik's error bodies → typed errors. JSON `{type, description}` (platforms/dnevnik.md §7), or an
// HTML page with the message in `<div class="error__description">`; long and short type aliases.
import {
  AuthFailedError,
  type ConnectorError,
  type ConnectorErrorInit,
  InvalidRequestError,
  NotFoundError,
  NotPermittedError,
  PlatformDownError,
  RateLimitedError,
} from "../errors.ts";
import type { HttpResponseInfo } from "../http/http-client.ts";

type ErrorFactory = (init: ConnectorErrorInit & { retryAfterMs?: number }) => ConnectorError;

const auth: ErrorFactory = (i) => new AuthFailedError(i);
const forbidden: ErrorFactory = (i) => new NotPermittedError(i);
const limit: ErrorFactory = (i) => new RateLimitedError(i);
const down: ErrorFactory = (i) => new PlatformDownError(i);
const invalid: ErrorFactory = (i) => new InvalidRequestError(i);

/** The platform's error catalogue (S5 exceptions.py, S1, S4), long names and short aliases. */
export const DNEVNIK_ERROR_TYPES: Record<string, ErrorFactory> = {
  authorizationInvalidToken: auth,
  invalidToken: auth,
  authorizationTokenRequired: auth,
  tokenRequired: auth,
  authorizationFailed: auth,
  authorizationOutOfScope: forbidden,
  outOfScope: forbidden,
  authorizationNotOwner: forbidden,
  notOwner: forbidden,
  authorizationOwnerForbidden: forbidden,
  ownerForbidden: forbidden,
  authorizationSystemForbidden: forbidden,
  systemForbidden: forbidden,
  apiRequestLimit: limit,
  requestLimit: limit,
  apiServerError: down,
  serverError: down,
  apiUnknownError: down,
  invalidRequest: invalid,
  parameterInvalid: invalid,
  apiMethodNotSupported: invalid,
  methodNotSupported: invalid,
  apiHttpsRequired: invalid,
  httpsRequired: invalid,
};

/** `apiResourceUnavailable` means "not found" on a 404 and "down" otherwise. */
const RESOURCE_UNAVAILABLE = new Set(["apiResourceUnavailable", "resourceUnavailable"]);

function clip(text: string, max = 200): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The message of an HTML error page, if it has the platform's error block. */
export function htmlErrorDescription(html: string): string | null {
  const m = /<div[^>]*class="[^"]*error__description[^"]*"[^>]*>([\s\S]*?)<\/div>/i.exec(html);
  if (!m) return null;
  return clip(m[1].replace(/<[^>]+>/g, " "));
}

function isHtml(r: HttpResponseInfo): boolean {
  return /text\/html/i.test(r.contentType) || /^\s*<(!doctype|html)/i.test(r.text);
}

export function classifyDnevnikResponse(r: HttpResponseInfo): ConnectorError | null {
  const where = `${r.method} ${r.url} → HTTP ${r.status}`;
  const body = r.json as { type?: unknown; description?: unknown } | undefined;
  const type = body && typeof body === "object" && !Array.isArray(body) ? body.type : undefined;
  if (typeof type === "string") {
    const known = DNEVNIK_ERROR_TYPES[type];
    const description = typeof body?.description === "string" ? `: ${clip(body.description)}` : "";
    const init = { detail: `${where}, ${type}${description}`, status: r.status, platformType: type };
    // A 200 body with a `type` is ordinary data (EduGroup.type = "Group") unless it is a known error.
    if (known && (r.status >= 400 || (body && Object.keys(body).length <= 3))) {
      return known({ ...init, retryAfterMs: r.retryAfterMs });
    }
    if (RESOURCE_UNAVAILABLE.has(type)) {
      return r.status === 404 ? new NotFoundError(init) : new PlatformDownError(init);
    }
    if (r.status >= 400) return null; // unknown type: the status decides
  }
  if (r.status === 433) {
    // Seen from the platform's proxies as a throttle status (weak source S15).
    return new RateLimitedError({ detail: where, status: r.status, retryAfterMs: r.retryAfterMs });
  }
  if (isHtml(r) && r.status >= 400) {
    const description = htmlErrorDescription(r.text);
    const detail = `${where}, HTML page${description ? `: ${description}` : ""}`;
    if (r.status === 401) return new AuthFailedError({ detail, status: r.status });
    if (r.status === 403) return new NotPermittedError({ detail, status: r.status });
    if (r.status === 404) return new NotFoundError({ detail, status: r.status });
    if (r.status === 429)
      return new RateLimitedError({ detail, status: r.status, retryAfterMs: r.retryAfterMs });
    if (r.status >= 500) return new PlatformDownError({ detail, status: r.status });
    return new InvalidRequestError({ detail, status: r.status });
  }
  if (isHtml(r) && r.status < 300) {
    // A maintenance page served with 200 (seen on the platform's proxies): the platform is not serving.
    const description = htmlErrorDescription(r.text);
    if (description)
      return new PlatformDownError({ detail: `${where}, HTML page: ${description}`, status: r.status });
  }
  return null;
}
