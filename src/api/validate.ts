// zod at the API's edge: a query string or a body that does not fit its schema is a 400 problem with
// the issues listed (path and message), and the route only ever sees parsed, typed values.
import type { Request } from "express";
import type { z } from "zod";
import { badRequest } from "./problem.ts";

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw badRequest(`Ошибка в ${where}.`, {
    errors: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  });
}

export const parseQuery = <S extends z.ZodType>(schema: S, req: Request) =>
  parseWith(schema, req.query, "параметрах запроса");
export const parseBody = <S extends z.ZodType>(schema: S, req: Request) =>
  parseWith(schema, req.body ?? {}, "теле запроса");
export const parseParams = <S extends z.ZodType>(schema: S, req: Request) =>
  parseWith(schema, req.params, "адресе");
