// A local BARS «Электронная школа» for end-to-end runs and demos: the form login and the `sessionid`
// cookie, `SetChild` as session state, and the `/api` answers of a demo school (simulator-payloads.ts)
// on 127.0.0.1, with switchable faults: an expired session, the login lockout, HTTP 403, fault JSON,
// an HTML maintenance page, slow answers.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dataset } from "../../dataset/types.ts";
import { LOCKOUT_TEXT } from "./classify.ts";
import { BarsIndex } from "./simulator-payloads.ts";

export { barsSimIds } from "./simulator-payloads.ts";

export interface BarsFaults {
  /** Delay every answer by this many milliseconds. */
  latencyMs?: number;
  /** Every session is dead: `/api` answers the fault `Server.UserNotAuthenticated`. */
  expiredSession?: boolean;
  /** The login form answers the lockout text. */
  lockout?: boolean;
  /** `/api` answers HTTP 403 to the next `next` requests (every request when `next` is absent). */
  forbidden?: { next?: number };
  /** `/api` answers `{faultcode, faultstring}` to the next `next` requests. */
  fault?: { next: number; code?: string; text?: string };
  /** The next `next` requests get the HTML maintenance page (default status 200, as proxies serve it). */
  maintenance?: { next: number; status?: number };
}

export interface BarsSimulatorOptions {
  dataset: Dataset;
  port?: number;
  login?: string;
  password?: string;
  /** A session that exists from the start, as if copied from a browser after an ЕСИА login. */
  sessionid?: string;
  /** GetSummaryMarks and GetTotalMarks wrapped (`summary_marks_data[0]`, newer servers) or flat (older). */
  shape?: "wrapped" | "flat";
  /** The server's today (the current school year of GetTotalMarks); default the dataset's observedAt. */
  today?: string;
  faults?: BarsFaults;
}

export interface BarsSimulator {
  url: string;
  index: BarsIndex;
  setFaults(faults: BarsFaults): void;
  /** Requests served: `METHOD /path` lines, in order. */
  lines(): string[];
  requests(): number;
  close(): Promise<void>;
}

export const MAINTENANCE_PAGE = `<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Электронная школа — технические работы</title></head>
<body><h1>Ведутся технические работы</h1><p>Сервис временно недоступен. Попробуйте зайти позже.</p></body></html>`;

const LOGIN_PAGE = `<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Вход</title></head>
<body><form action="/auth/login" method="post"><input name="login_login"><input name="login_password" type="password"></form></body></html>`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function cookieOf(req: IncomingMessage): string | undefined {
  return /(?:^|;\s*)sessionid=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
}

export async function startBarsSimulator(options: BarsSimulatorOptions): Promise<BarsSimulator> {
  const today = options.today ?? options.dataset.manifest.observedAt.slice(0, 10);
  const index = new BarsIndex(options.dataset, today);
  const login = options.login ?? "reglament";
  const password = options.password ?? "demo-password";
  /** sessionid → selected pupil (person id) or "" before SetChild. */
  const sessions = new Map<string, string>();
  if (options.sessionid) sessions.set(options.sessionid, "");
  let faults: BarsFaults = { ...options.faults };
  const served: string[] = [];
  const wrapped = (options.shape ?? "wrapped") === "wrapped";

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    type = "application/json; charset=utf-8",
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const json = (res: ServerResponse, body: unknown) => send(res, 200, JSON.stringify(body));
  const fault = (res: ServerResponse, code: string, text: string) =>
    json(res, { faultcode: code, faultstring: text });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    served.push(`${req.method} ${url.pathname}`);
    const body = req.method === "POST" ? await readBody(req) : "";
    if (faults.maintenance && faults.maintenance.next > 0) {
      faults.maintenance.next -= 1;
      return send(res, faults.maintenance.status ?? 200, MAINTENANCE_PAGE, "text/html; charset=utf-8");
    }
    if (url.pathname === "/auth/login" && req.method === "POST") {
      if (faults.lockout)
        return send(res, 200, `${LOCKOUT_TEXT}. Please try again later`, "text/plain; charset=utf-8");
      const form = new URLSearchParams(body);
      if (form.get("login_login") !== login || form.get("login_password") !== password)
        return json(res, { success: false, message: "Неверный логин или пароль" });
      const sid = randomBytes(16).toString("hex");
      sessions.set(sid, "");
      return send(res, 200, '{"success": true,"redirect": "/"}', "application/json; charset=utf-8", {
        "Set-Cookie": `sessionid=${sid}; HttpOnly; Path=/; SameSite=Lax`,
      });
    }
    if (url.pathname === "/" || url.pathname === "/personal-area/") {
      const sid = cookieOf(req);
      if (!sid || !sessions.has(sid)) return send(res, 200, LOGIN_PAGE, "text/html; charset=utf-8");
      if (url.pathname === "/") return send(res, 302, "", "text/html", { Location: "/personal-area/" });
      return send(
        res,
        200,
        "<!DOCTYPE html><html><body>Личный кабинет</body></html>",
        "text/html; charset=utf-8",
      );
    }
    if (url.pathname === "/auth/force-logout") {
      const sid = cookieOf(req);
      if (sid) sessions.delete(sid);
      return send(res, 302, "", "text/html", { Location: "/auth/login-page" });
    }
    const m = /^\/api\/(\w+)\/(\w+)\/?$/.exec(url.pathname);
    if (!m)
      return send(
        res,
        404,
        "<!DOCTYPE html><html><body>Страница не найдена</body></html>",
        "text/html; charset=utf-8",
      );
    if (faults.forbidden && (faults.forbidden.next === undefined || faults.forbidden.next > 0)) {
      if (faults.forbidden.next !== undefined) faults.forbidden.next -= 1;
      return send(
        res,
        403,
        "<!DOCTYPE html><html><body><h1>403 Forbidden</h1></body></html>",
        "text/html; charset=utf-8",
      );
    }
    const sid = cookieOf(req);
    if (faults.expiredSession || !sid || !sessions.has(sid))
      return fault(res, "Server.UserNotAuthenticated", "Пользователь не аутентифицирован");
    if (faults.fault && faults.fault.next > 0) {
      faults.fault.next -= 1;
      return fault(
        res,
        faults.fault.code ?? "Client.ValidationError",
        faults.fault.text ?? "Ошибка валидации запроса",
      );
    }
    const params = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    const selected = sessions.get(sid) ?? "";
    const date = params.get("date")?.slice(0, 10) ?? today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      return fault(res, "Client.ValidationError", "Неверный формат даты");
    const call = `${m[1]}/${m[2]}`;
    if (call === "ProfileService/GetPersonData") return json(res, index.personData(selected || undefined));
    if (call === "ProfileService/SetChild") {
      const pupil = params.get("selected") ?? "";
      if (!index.pupil(pupil)) return fault(res, "Client.ValidationError", "Ученик не найден");
      sessions.set(sid, pupil);
      return json(res, { success: true });
    }
    if (!selected) return fault(res, "Client.ValidationError", "Не выбран ученик");
    switch (call) {
      case "ScheduleService/GetDiary":
        return json(res, index.diary(selected, date));
      case "HomeworkService/GetHomeworkFromRange":
        return json(res, index.homework(selected, date));
      case "MarkService/GetSummaryMarks": {
        const sm = index.summaryMarks(selected, date);
        return json(res, wrapped ? { summary_marks_data: [sm] } : sm);
      }
      case "MarkService/GetTotalMarks": {
        const tm = index.totalMarks(selected);
        return json(res, wrapped ? { total_marks_data: [tm] } : tm);
      }
      default:
        return fault(res, "Client.ValidationError", `Неизвестный метод ${call}`);
    }
  };

  const server = createServer((req, res) => {
    const go = () =>
      handle(req, res).catch((e: Error) =>
        send(res, 500, JSON.stringify({ faultcode: "Server.Error", faultstring: e.message })),
      );
    if (faults.latencyMs) setTimeout(go, faults.latencyMs);
    else void go();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    index,
    setFaults(next) {
      faults = { ...next };
    },
    lines: () => [...served],
    requests: () => served.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
