// One way to add a route: it describes itself (openapi.json, the role-matrix test), then the one role
// check, the school scope for `/schools/:school/...`, and the handler; a returned value is sent as JSON
// (express's weak ETag then answers a repeated GET with 304).
import type { Request, Response, Router } from "express";
import { requirePermission, schoolScope } from "./access.ts";
import { describeRoute, type RouteDoc } from "./openapi-registry.ts";
import { unauthorized } from "./problem.ts";

export type RouteHandler = (req: Request, res: Response) => Promise<unknown> | unknown;

export function addRoute(router: Router, doc: RouteDoc, handler: RouteHandler): void {
  describeRoute(doc);
  const chain = [];
  if (doc.permission) chain.push(requirePermission(doc.permission));
  else if (doc.signedIn)
    chain.push((req: Request, _res: Response, next: (e?: unknown) => void) =>
      next(req.user ? undefined : unauthorized()),
    );
  if (doc.path.startsWith("/schools/:school")) chain.push(schoolScope);
  router[doc.method](doc.path, ...chain, async (req: Request, res: Response) => {
    const out = await handler(req, res);
    if (out !== undefined && !res.headersSent) res.json(out);
  });
}
