// Lookups for the console's filters and report parameters: the school's classes, subjects and periods.
// No pupils' names: only what names a filter's choices.
import express from "express";
import { z } from "zod";
import { requirePermission, schoolScope } from "./access.ts";
import { describeRoute } from "./openapi-registry.ts";
import type { ApiDeps } from "./types.ts";

export const classLookupSchema = z.object({
  id: z.string(),
  name: z.string(),
  grade: z.number().int().nullable(),
  classTeacherId: z.string().nullable(),
});
export const subjectLookupSchema = z.object({ id: z.string(), name: z.string() });
export const periodLookupSchema = z.object({
  id: z.string(),
  kind: z.string().nullable(),
  number: z.number().int().nullable(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  title: z.string(),
});

const PERIOD_KIND_RU: Record<string, string> = {
  quarter: "четверть",
  trimester: "триместр",
  half: "полугодие",
  semester: "полугодие",
  year: "учебный год",
};

/** «1 четверть», «учебный год». */
function periodTitle(kind: string | null, number: number | null, id: string): string {
  if (!kind) return id;
  const word = PERIOD_KIND_RU[kind] ?? kind;
  return kind === "year" || number === null ? word : `${number} ${word}`;
}

export function lookupsRouter(deps: ApiDeps): express.Router {
  const r = express.Router();
  // Whoever reads reports or analytics (deputy, director, coordinator); a teacher's filters come from
  // the findings' facets instead, an admin sees none of the school's people.
  const lookupPermission = "reports.read" as const;
  const readers = requirePermission(lookupPermission);

  describeRoute({
    method: "get",
    path: "/schools/:school/classes",
    summary: "Классы школы",
    permission: lookupPermission,
    response: z.array(classLookupSchema),
    tags: ["lookups"],
  });
  r.get("/schools/:school/classes", readers, schoolScope, async (req, res) => {
    const rows = await deps.db.query<{
      id: string;
      grade: number | null;
      letter: string | null;
      ct: string | null;
    }>(
      `SELECT key AS id, grade, letter, class_teacher_id AS ct FROM classes
       WHERE school_id = $1 AND deleted_at IS NULL ORDER BY grade, letter, key`,
      [req.schoolId!],
    );
    res.json(
      rows.map((c) => ({
        id: c.id,
        name: c.grade === null ? c.id : `${c.grade}${c.letter ?? ""}`,
        grade: c.grade,
        classTeacherId: c.ct,
      })),
    );
  });

  describeRoute({
    method: "get",
    path: "/schools/:school/subjects",
    summary: "Предметы школы",
    permission: lookupPermission,
    response: z.array(subjectLookupSchema),
    tags: ["lookups"],
  });
  r.get("/schools/:school/subjects", readers, schoolScope, async (req, res) => {
    const rows = await deps.db.query<{ id: string; name: string | null }>(
      "SELECT key AS id, name FROM subjects WHERE school_id = $1 AND deleted_at IS NULL ORDER BY name, key",
      [req.schoolId!],
    );
    res.json(rows.map((s) => ({ id: s.id, name: s.name ?? s.id })));
  });

  describeRoute({
    method: "get",
    path: "/schools/:school/periods",
    summary: "Учебные периоды школы",
    permission: lookupPermission,
    response: z.array(periodLookupSchema),
    tags: ["lookups"],
  });
  r.get("/schools/:school/periods", readers, schoolScope, async (req, res) => {
    const rows = await deps.db.query<{
      id: string;
      kind: string | null;
      number: number | null;
      start: string | null;
      end: string | null;
    }>(
      `SELECT key AS id, kind, number, start_date::text AS start, end_date::text AS "end" FROM periods
       WHERE school_id = $1 AND deleted_at IS NULL ORDER BY start_date, end_date DESC, key`,
      [req.schoolId!],
    );
    res.json(rows.map((p) => ({ ...p, title: periodTitle(p.kind, p.number, p.id) })));
  });

  return r;
}
