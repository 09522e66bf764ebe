// A local Dnevnik.ru API for end-to-end runs and demos: serves a canonical Dataset in the
// platform's shapes (simulator-payloads.ts) on 127.0.0.1, with switchable faults.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dataset } from "../../dataset/types.ts";
import type { StreamName } from "../../model/records.ts";
import { SimulatorIndex, toPlatformJson } from "./simulator-payloads.ts";

export { simulatedId } from "./simulated-ids.ts";

export interface Faults {
  /** Delay every response by this many milliseconds. */
  latencyMs?: number;
  /** Answer the next `next` requests with 429 `apiRequestLimit` and Retry-After. */
  rateLimit?: { next: number; retryAfterSeconds?: number };
  /** Answer the next `next` requests with a 5xx `apiServerError` (default 500). */
  serverError?: { next: number; status?: number };
  /** Answer the next `next` requests with the platform's HTML error page (default 502). */
  htmlError?: { next: number; status?: number };
  /** Every request gets 401 `authorizationInvalidToken` (the token expired). */
  expiredToken?: boolean;
  /** Every request gets 403 `authorizationOutOfScope`. */
  outOfScope?: boolean;
  /** The first record of this stream is served malformed. */
  malformed?: StreamName;
}

export interface DnevnikSimulatorOptions {
  dataset: Dataset;
  port?: number;
  token: string;
  faults?: Faults;
}

export interface DnevnikSimulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:34567/v2/`. */
  url: string;
  /** The platform id of the school (the connector's `schoolId`). */
  schoolId: string;
  setFaults(faults: Faults): void;
  requests(): number;
  close(): Promise<void>;
}

type Handler = (m: RegExpExecArray, q: URLSearchParams) => unknown;

class HttpProblem {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly description: string,
  ) {}
}

const ID = "(\\d{1,20})";
const DATE = "([0-9T:. -]{8,30})";
const date10 = (s: string) => decodeURIComponent(s).slice(0, 10);

function routes(ix: SimulatorIndex): [RegExp, Handler][] {
  const group = (id: string) => {
    if (!ix.hasGroup(id)) throw new HttpProblem(404, "apiResourceUnavailable", "Группа не найдена");
    return id;
  };
  const ofSchool = (id: string, payload: () => unknown) => {
    if (id !== ix.schoolBig.toString())
      throw new HttpProblem(403, "authorizationNotOwner", "Нет доступа к школе");
    return payload();
  };
  const ofGroup = (id: string, payload: () => unknown) => {
    group(id);
    return payload();
  };
  const r = (pattern: string, h: Handler): [RegExp, Handler] => [new RegExp(`^${pattern}$`), h];
  return [
    r("users/me", () => ix.me()),
    r("users/me/roles", () => ix.me().roles),
    r(`schools/${ID}`, (m) => ofSchool(m[1], () => ix.school())),
    r(`schools/${ID}/teachers`, (m) => ofSchool(m[1], () => ix.teachers())),
    r(`schools/${ID}/edu-groups`, (m) => ofSchool(m[1], () => ix.eduGroups())),
    r(`schools/${ID}/subjects`, (m) => ofSchool(m[1], () => ix.subjects())),
    r(`work-types/${ID}`, (m) => ofSchool(m[1], () => ix.workTypes())),
    r(`edu-groups/${ID}`, (m) => ix.eduGroup(group(m[1]))),
    r(`edu-groups/${ID}/persons`, (m) => ix.students(group(m[1]))),
    r(`edu-groups/${ID}/students`, (m) => ix.students(group(m[1]))),
    r(`edu-groups/${ID}/classteacher`, (m) => ix.classTeacher(group(m[1]))),
    r(`edu-groups/${ID}/reporting-periods`, (m) => ofGroup(m[1], () => ix.reportingPeriods())),
    r(`edu-groups/${ID}/reporting-periods?-group`, (m) => ofGroup(m[1], () => ix.reportingPeriodGroup())),
    r(`edu-groups/${ID}/timetables`, (m) => ix.timetable(group(m[1]))),
    r(`edu-groups/${ID}/lessons/${DATE}/${DATE}`, (m) => ix.lessons(group(m[1]), date10(m[2]), date10(m[3]))),
    r(`edu-groups/${ID}/marks/${DATE}/${DATE}`, (m) => ix.marks(group(m[1]), date10(m[2]), date10(m[3]))),
    r(`edu-groups/${ID}/final-marks`, (m) => ix.finalMarks(group(m[1]))),
    r(`lesson-log-entries/group/${ID}`, (m, q) => {
      // Every client that models this call passes a subject (real-shapes.md D3).
      const subject = q.get("subject");
      if (!subject) throw new HttpProblem(400, "parameterInvalid", "Параметр subject обязателен");
      return ix.logEntries(group(m[1]), subject, q.get("from")?.slice(0, 10), q.get("to")?.slice(0, 10));
    }),
    r(`persons/${ID}/lesson-log-entries`, (m, q) => {
      if (!ix.hasPupil(m[1])) throw new HttpProblem(404, "apiResourceUnavailable", "Персона не найдена");
      return ix.pupilLogEntries(m[1], q.get("startDate")?.slice(0, 10), q.get("endDate")?.slice(0, 10));
    }),
    r(`lessons/${ID}`, (m) => {
      const l = ix.lessonById(m[1]);
      if (!l) throw new HttpProblem(404, "apiResourceUnavailable", "Урок не найден");
      return l;
    }),
  ];
}

/** Response bodies by request, evicting the oldest beyond a size budget (UTF-16 length). */
class BoundedCache {
  private readonly bodies = new Map<string, string>();
  private size = 0;
  constructor(private readonly maxChars: number) {}
  get(key: string): string | undefined {
    return this.bodies.get(key);
  }
  set(key: string, body: string): void {
    if (body.length > this.maxChars / 4 || this.bodies.has(key)) return;
    this.bodies.set(key, body);
    this.size += body.length;
    for (const [k, v] of this.bodies) {
      if (this.size <= this.maxChars) break;
      this.bodies.delete(k);
      this.size -= v.length;
    }
  }
}

const HTML_ERROR_PAGE = (status: number) => `<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Дневник.ру — ошибка ${status}</title></head>
<body><div class="error"><div class="error__title">Ошибка ${status}</div>
<div class="error__description">Сервис временно недоступен. Попробуйте зайти позже.</div></div></body></html>`;

export async function startDnevnikSimulator(options: DnevnikSimulatorOptions): Promise<DnevnikSimulator> {
  const index = new SimulatorIndex(options.dataset);
  const table = routes(index);
  let faults: Faults = { ...options.faults };
  index.malformed = faults.malformed ?? null;
  let count = 0;
  // The dataset never changes: bodies are kept (bounded) so that the lessons, works and marks
  // streams, which all read the same lesson windows, serialise each window once.
  const responses = new BoundedCache(64 * 1024 * 1024);

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    type = "application/json; charset=utf-8",
  ) => {
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  };
  const sendError = (
    res: ServerResponse,
    status: number,
    type: string,
    description: string,
    headers = {},
  ) => {
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, String(v));
    send(res, status, JSON.stringify({ type, description }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const token = req.headers["access-token"] ?? url.searchParams.get("access_token");
    if (!token) return sendError(res, 401, "authorizationTokenRequired", "Access token required");
    if (faults.expiredToken || token !== options.token) {
      return sendError(res, 401, "authorizationInvalidToken", "Invalid or expired token");
    }
    if (faults.outOfScope)
      return sendError(res, 403, "authorizationOutOfScope", "Scope EducationalInfo required");
    if (faults.rateLimit && faults.rateLimit.next > 0) {
      faults.rateLimit.next -= 1;
      return sendError(res, 429, "apiRequestLimit", "Превышен лимит запросов для данного токена", {
        "Retry-After": faults.rateLimit.retryAfterSeconds ?? 1,
      });
    }
    if (faults.serverError && faults.serverError.next > 0) {
      faults.serverError.next -= 1;
      return sendError(res, faults.serverError.status ?? 500, "apiServerError", "Internal server error");
    }
    if (faults.htmlError && faults.htmlError.next > 0) {
      faults.htmlError.next -= 1;
      const status = faults.htmlError.status ?? 502;
      return send(res, status, HTML_ERROR_PAGE(status), "text/html; charset=utf-8");
    }
    const m = /^\/v2(?:\.0)?\/(.*?)\/?$/.exec(url.pathname);
    if (!m || req.method !== "GET") return sendError(res, 404, "apiMethodNotSupported", "Method not found");
    const cacheKey = `${faults.malformed ?? ""}|${m[1]}${url.search}`;
    const cached = responses.get(cacheKey);
    if (cached !== undefined) return send(res, 200, cached);
    for (const [re, handler] of table) {
      const hit = re.exec(m[1]);
      if (!hit) continue;
      try {
        const body = toPlatformJson(handler(hit, url.searchParams) ?? null);
        responses.set(cacheKey, body);
        return send(res, 200, body);
      } catch (e) {
        if (e instanceof HttpProblem) return sendError(res, e.status, e.type, e.description);
        throw e;
      }
    }
    return sendError(res, 404, "apiMethodNotSupported", "Method not found");
  };

  const server = createServer((req, res) => {
    count += 1;
    const go = () => {
      try {
        handle(req, res);
      } catch (e) {
        sendError(res, 500, "apiServerError", `simulator: ${(e as Error).message}`);
      }
    };
    if (faults.latencyMs) setTimeout(go, faults.latencyMs);
    else go();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v2/`,
    schoolId: index.schoolBig.toString(),
    setFaults(next) {
      faults = { ...next };
      index.malformed = faults.malformed ?? null;
    },
    requests: () => count,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
