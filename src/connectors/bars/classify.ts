// BARS error answers → typed errors: HTTP 403, the JSON `{faultcode, faultstring}` body
// (`Server.UserNotAuthenticated…`, `Client.ValidationError`), the login lockout text, and HTML pages
// where JSON belongs (the login page after a session died, a maintenance page).
import {
  AuthFailedError,
  type ConnectorError,
  InvalidRequestError,
  NotPermittedError,
  PlatformDownError,
} from "../errors.ts";
import type { HttpResponseInfo } from "../http/http-client.ts";
import { barsMessages } from "./messages.ru.ts";

/** The lockout text of the login form (denisov/notifier `shkolanso/parser.go`). */
export const LOCKOUT_TEXT = "Account locked: too many login attempts";

function clip(text: string, max = 160): string {
  const t = text
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

const isHtml = (r: HttpResponseInfo) =>
  /text\/html/i.test(r.contentType) || /^\s*<(!doctype|html)/i.test(r.text);
/** The login form: the session is gone and the server sent us to log in again. */
const isLoginPage = (text: string) => /login_login|login_password|\/auth\/login/i.test(text);

export function classifyBarsResponse(r: HttpResponseInfo): ConnectorError | null {
  const where = `${r.method} ${r.url} → HTTP ${r.status}`;
  if (r.text.includes(LOCKOUT_TEXT)) {
    return new AuthFailedError({
      detail: `${where}, login locked`,
      status: r.status,
      platformType: "locked",
      userMessage: barsMessages.lockedOut,
    });
  }
  const body = r.json as { faultcode?: unknown; faultstring?: unknown } | undefined;
  if (body && typeof body === "object" && !Array.isArray(body) && typeof body.faultcode === "string") {
    const code = body.faultcode;
    const init = {
      detail: `${where}, ${code}${typeof body.faultstring === "string" ? `: ${clip(body.faultstring)}` : ""}`,
      status: r.status,
      platformType: code,
    };
    if (/UserNotAuthenticated|NotAuthenticated|SessionExpired/i.test(code))
      return new AuthFailedError({ ...init, userMessage: barsMessages.sessionExpired });
    if (/^Client\.ValidationError/i.test(code))
      return new InvalidRequestError({ ...init, userMessage: barsMessages.validation });
    if (/PermissionDenied|AccessDenied|Forbidden/i.test(code)) return new NotPermittedError(init);
    if (/^Server\./i.test(code)) return new PlatformDownError(init);
    return new InvalidRequestError(init);
  }
  if (r.status === 403) {
    // BARS answers 403 to a request whose session it does not accept (bars-api `_request`).
    return new AuthFailedError({
      detail: where,
      status: r.status,
      platformType: "http-403",
      userMessage: barsMessages.sessionRefused,
    });
  }
  if (isHtml(r)) {
    if (r.status === 401 || (r.status < 400 && isLoginPage(r.text)))
      return new AuthFailedError({
        detail: `${where}, login page`,
        status: r.status,
        userMessage: barsMessages.sessionExpired,
      });
    if (r.status >= 500 || r.status < 400)
      return new PlatformDownError({
        detail: `${where}, HTML page: ${clip(r.text, 80)}`,
        status: r.status,
        userMessage: barsMessages.maintenance,
      });
  }
  return null;
}
