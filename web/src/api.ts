// The one way the console talks to the server: same-origin JSON with the session cookie, the CSRF
// token on every change, problem+json errors turned into ApiError, a 401 announced to the app.
import { notifications } from "@mantine/notifications";

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.status = problem.status;
    this.problem = problem;
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

let csrfToken = "";
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** The app subscribes once: any 401 outside the login form sends the user to the login page. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Query;
  /** Do not show a notification for an error (the caller shows it inline). */
  quiet?: boolean;
  /** Do not treat a 401 as "session over" (the login form and the first session probe). */
  allow401?: boolean;
}

const GENERIC: Record<number, string> = {
  403: "Недостаточно прав",
  404: "Не найдено",
  413: "Слишком большой запрос",
  429: "Слишком много запросов",
};

async function toProblem(response: Response): Promise<Problem> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (body && typeof body.title === "string")
        return { ...body, title: body.title, status: response.status };
    } catch {
      // not JSON after all: fall through to the generic text
    }
  }
  return {
    title: GENERIC[response.status] ?? `Ошибка сервера (${response.status})`,
    status: response.status,
  };
}

export function showProblem(error: unknown): void {
  const problem =
    error instanceof ApiError
      ? error.problem
      : { title: "Нет связи с сервером", detail: (error as Error)?.message, status: 0 };
  notifications.show({ color: "red", title: problem.title, message: problem.detail ?? "", autoClose: 8000 });
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    if (!options.quiet) showProblem(error);
    throw error;
  }
  if (!response.ok) {
    const error = new ApiError(await toProblem(response));
    if (response.status === 401 && !options.allow401) {
      for (const listener of unauthorizedListeners) listener();
    } else if (!options.quiet) {
      showProblem(error);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, options?: RequestOptions) =>
    request<T>(path, { ...options, query, method: "GET" }),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>(path, { ...options, body: body ?? {}, method: "POST" }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>(path, { ...options, body, method: "PUT" }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>(path, { ...options, body, method: "PATCH" }),
};

/** Lists may come as a page or as a bare array (lookups): both read as items. */
export function itemsOf<T>(data: Page<T> | T[] | undefined | null): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : (data.items ?? []);
}
