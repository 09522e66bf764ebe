// The routers mounted under /api/v1, in order. A part of the console adds its router factory here
// (one line each); the session router is mounted before these by app.ts.
import type express from "express";
import { analyticsRouter } from "./analytics-router.ts";
import { archiveRouter } from "./archive-router.ts";
import { auditRouter } from "./audit-router.ts";
import { complianceRouter } from "./compliance-router.ts";
import { escalationRouter } from "./escalation-router.ts";
import { findingsRouter } from "./findings-router.ts";
import { incidentsRouter } from "./incidents-router.ts";
import { jobsRouter } from "./jobs-router.ts";
import { lookupsRouter } from "./lookups-router.ts";
import { messagesRouter } from "./messages-router.ts";
import { reportsRouter } from "./reports-router.ts";
import { schoolsRouter } from "./schools-router.ts";
import { sourcesRouter } from "./sources-router.ts";
import type { ApiDeps } from "./types.ts";
import { usersRouter } from "./users-router.ts";

export type RouterFactory = (deps: ApiDeps) => express.Router;

export const API_ROUTERS: RouterFactory[] = [
  schoolsRouter,
  sourcesRouter,
  jobsRouter,
  usersRouter,
  archiveRouter,
  auditRouter,
  // the people's side (api-findings): deputy, director, teacher, coordinator
  findingsRouter,
  complianceRouter,
  incidentsRouter,
  escalationRouter,
  messagesRouter,
  reportsRouter,
  analyticsRouter,
  lookupsRouter,
];
