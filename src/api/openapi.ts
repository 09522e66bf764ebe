// openapi.json (OpenAPI 3.1) from the route registry: the same zod schemas the routes validate with,
// turned into JSON Schema by zod 4, so the document cannot drift from the code.
import { z } from "zod";
import { describedRoutes, type RouteDoc } from "./openapi-registry.ts";

const schemaOf = (s: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });

const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

function operation(r: RouteDoc): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const m of r.path.matchAll(/:(\w+)/g))
    parameters.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
  if (r.query) {
    const js = schemaOf(r.query, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {}))
      parameters.push({ name, in: "query", required: js.required?.includes(name) ?? false, schema });
  }
  const ok = r.response
    ? { description: "OK", content: { "application/json": { schema: schemaOf(r.response, "output") } } }
    : r.produces
      ? { description: "A file", content: Object.fromEntries(r.produces.map((t) => [t, {}])) }
      : { description: "OK" };
  return {
    summary: r.summary,
    tags: r.tags,
    operationId: `${r.method}${r.path.replace(/[/:{}-]+(\w)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`,
    ...(r.permission ? { "x-permission": r.permission } : {}),
    security: r.permission || r.signedIn ? [{ session: [] }] : [],
    parameters,
    ...(r.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(r.body, "input") } },
          },
        }
      : {}),
    responses: { "200": ok, "4XX": problem },
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of describedRoutes()) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`;
    paths[path] ??= {};
    paths[path][r.method] = operation(r);
  }
  return {
    openapi: "3.1.0",
    info: { title: "reglament console API", version: "1" },
    paths,
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "reglament_session" } },
      schemas: {
        Problem: {
          type: "object",
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            errors: { type: "array", items: { type: "object" } },
          },
        },
      },
    },
  };
}
