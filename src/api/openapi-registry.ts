// Routes describe themselves here with the same zod schemas they validate with; openapi.json is
// generated from this registry (zod 4's toJSONSchema), so the document cannot drift from the code.
import type { z } from "zod";
import type { Permission } from "./access.ts";

export interface RouteDoc {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express path under /api/v1, e.g. "/schools/:school/findings". */
  path: string;
  summary: string;
  /** null = public (login, health), unless `signedIn`. */
  permission: Permission | null;
  /** With permission null: any signed-in user (their own schools, their session). */
  signedIn?: boolean;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The 2xx JSON body; omit for files (then `produces` names the media types). */
  response?: z.ZodType;
  produces?: string[];
  tags?: string[];
}

const routes: RouteDoc[] = [];

/** Registers a route's description once (idempotent by method + path); returns it for inline use. */
export function describeRoute(doc: RouteDoc): RouteDoc {
  if (!routes.some((r) => r.method === doc.method && r.path === doc.path)) routes.push(doc);
  return doc;
}

export function describedRoutes(): readonly RouteDoc[] {
  return routes;
}
