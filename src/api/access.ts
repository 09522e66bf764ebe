// The one role check every route goes through, and the school scope of `:school` in a URL. An admin
// reads operations only (sources, runs, jobs, users, archive registry): never marks, pupils' names
// or findings about people; the permission table below is the single place that says who may what.
import type { RequestHandler } from "express";
import { forbidden, unauthorized } from "./problem.ts";
import type { Role } from "./types.ts";

/** What a route needs; each route names exactly one permission. */
export const PERMISSIONS = {
  /** Findings of everyone (deputy, director read-only); a teacher reads only their own (filtered by the route). */
  "findings.read": ["deputy", "director", "teacher"],
  "findings.change": ["deputy"],
  "compliance.read": ["deputy", "director"],
  "incidents.read": ["deputy", "director"],
  "incidents.change": ["deputy"],
  "escalation.read": ["deputy", "director"],
  "messages.read": ["deputy", "director"],
  /** Own notification channels: every person role. */
  "own-channels.change": ["deputy", "director", "teacher", "coordinator"],
  "reports.read": ["deputy", "director", "coordinator"],
  "reports.create": ["deputy", "coordinator"],
  "analytics.read": ["deputy", "director", "coordinator"],
  "sources.read": ["admin"],
  "sources.change": ["admin"],
  "jobs.read": ["admin"],
  "jobs.change": ["admin"],
  "users.read": ["admin", "director"],
  "users.change": ["admin"],
  "archive.read": ["admin", "director"],
  "audit.read": ["director"],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** 401 without a session, 403 without the permission. */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(unauthorized());
    if (!can(req.user.role, permission)) return next(forbidden());
    next();
  };
}

/** For routes under `/schools/:school`: 403 unless the user belongs to that school; sets req.schoolId. */
export const schoolScope: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(unauthorized());
  const school = String(req.params.school ?? "");
  if (!req.user.schoolIds.includes(school)) return next(forbidden("Нет доступа к этой школе."));
  req.schoolId = school;
  next();
};
