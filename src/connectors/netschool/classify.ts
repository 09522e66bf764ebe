// NetSchool answers → typed errors. 409 with JSON `message` is a refused login (or the lockout text);
// 401 is an expired `at` session (the client renews it once); HTML where JSON belongs is the
// maintenance page or a login page, never data (platforms/bars-netschool.md B1, B3, B9).
import {
  AuthFailedError,
  type ConnectorError,
  InvalidRequestError,
  NotPermittedError,
  PlatformDownError,
} from "../errors.ts";
import type { HttpResponseInfo } from "../http/http-client.ts";
import { netschoolMessages } from "./messages.ru.ts";

/** The throttling text of the login form (nm17 v1.5.1). */
export const LOCKOUT_TEXT = "Следующая попытка может быть совершена не ранее чем";

function clip(text: string, max = 160): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function isHtml(r: HttpResponseInfo): boolean {
  return /text\/html/i.test(r.contentType) || /^\s*<(!doctype|html)/i.test(r.text);
}

function htmlTitle(html: string): string {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  return m ? clip(m[1]) : "no title";
}

export function classifyNetschoolResponse(r: HttpResponseInfo): ConnectorError | null {
  const where = `${r.method} ${r.url} → HTTP ${r.status}`;
  const message =
    r.json && typeof r.json === "object" && typeof (r.json as { message?: unknown }).message === "string"
      ? (r.json as { message: string }).message
      : "";
  const text = message || r.text;
  if (text.includes(LOCKOUT_TEXT)) {
    // Retrying a throttled login only extends the lockout.
    return new AuthFailedError({
      detail: `${where}: login throttled`,
      status: r.status,
      platformType: "lockout",
      userMessage: netschoolMessages.lockedOut,
    });
  }
  if (r.status === 409 && /\/queue(\?|$)/.test(r.url)) {
    // The report queue refuses a task (lentryd issue #20, 5.32): the reports are unavailable, not the login.
    return new InvalidRequestError({
      detail: `${where}: the report queue refused the task${message ? ` (${clip(message)})` : ""}`,
      status: 409,
      platformType: "report-queue-refused",
    });
  }
  if (r.status === 409) {
    return new AuthFailedError({
      detail: `${where}: login refused${message ? ` (${clip(message)})` : ""}`,
      status: r.status,
      platformType: "wrong-credentials",
      userMessage: netschoolMessages.wrongCredentials,
    });
  }
  if (r.status === 401) {
    return new AuthFailedError({
      detail: `${where}: session expired`,
      status: 401,
      platformType: "session-expired",
    });
  }
  if (r.status === 403 && isHtml(r)) {
    return new NotPermittedError({ detail: `${where}, HTML page: ${htmlTitle(r.text)}`, status: 403 });
  }
  // A report file is HTML by design (GET files/{id}); its parser rejects a page that is not a report.
  if (isHtml(r) && r.status < 300 && /^files\//.test(r.url)) return null;
  if (isHtml(r) && (r.status < 300 || r.status >= 500)) {
    return new PlatformDownError({
      detail: `${where}, HTML page instead of JSON: ${htmlTitle(r.text)}`,
      status: r.status,
      platformType: "html-page",
      userMessage: netschoolMessages.maintenance,
    });
  }
  return null; // the status decides
}
