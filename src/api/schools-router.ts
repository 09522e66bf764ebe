// GET /schools: the schools the signed-in user belongs to (the console's school switcher).
import express from "express";
import { z } from "zod";
import { addRoute } from "./route.ts";
import type { ApiDeps } from "./types.ts";
import { schoolNames } from "./users.ts";

export function schoolsRouter(deps: ApiDeps): express.Router {
  const router = express.Router();
  addRoute(
    router,
    {
      method: "get",
      path: "/schools",
      summary: "The user's schools",
      permission: null,
      signedIn: true,
      response: z.array(z.object({ id: z.string(), name: z.string(), timezone: z.string().nullable() })),
      tags: ["session"],
    },
    (req) => schoolNames(deps.db, req.user?.schoolIds ?? []),
  );
  return router;
}
