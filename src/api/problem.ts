// Errors as RFC 9457 problem details (application/problem+json). A route throws ApiProblem; the
// error handler (installed by the app) writes it. Nothing else about the failure leaves the server.
import type { ErrorRequestHandler } from "express";

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    /** A short Russian title a person reads in the console. */
    readonly title: string,
    readonly detail?: string,
    /** Extra members, e.g. `errors` for validation. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) =>
  new ApiProblem(400, "Некорректный запрос", detail, extra);
export const unauthorized = () => new ApiProblem(401, "Требуется вход", "Войдите в систему.");
export const forbidden = (detail = "Недостаточно прав для этого действия.") =>
  new ApiProblem(403, "Доступ запрещён", detail);
export const notFound = (detail = "Запись не найдена.") => new ApiProblem(404, "Не найдено", detail);
export const conflict = (detail: string) => new ApiProblem(409, "Конфликт", detail);

export function problemBody(p: ApiProblem, instance: string): Record<string, unknown> {
  return { type: "about:blank", title: p.title, status: p.status, detail: p.detail, instance, ...p.extra };
}

/** The app's last error handler: ApiProblem as is, body-parser errors as 400/413, anything else 500. */
export function problemHandler(onUnexpected: (err: unknown) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let p: ApiProblem;
    if (err instanceof ApiProblem) p = err;
    else if (err && typeof err === "object" && "type" in err && err.type === "entity.too.large")
      p = new ApiProblem(413, "Слишком большой запрос", "Тело запроса больше допустимого.");
    else if (err && typeof err === "object" && "type" in err && err.type === "entity.parse.failed")
      p = badRequest("Тело запроса — не корректный JSON.");
    else {
      onUnexpected(err);
      p = new ApiProblem(500, "Внутренняя ошибка", "Ошибка записана в журнал сервера.");
    }
    res.status(p.status).type("application/problem+json").json(problemBody(p, req.originalUrl));
  };
}
