// The inbox's SQL: one school's violations filtered, sorted and paged, then joined with the names of
// the page's rows only (a first page stays cheap however many findings are open).
import { DateTime } from "luxon";
import { findRule } from "../rules/registry.ts";
import type { Db, SqlParam } from "../store/db.ts";
import { type FindingRow, type FindingView, toFindingView } from "./finding-view.ts";

export type FindingSort = "newest" | "severity" | "deadline";

export interface FindingFilter {
  status?: "open" | "resolved" | "waived";
  teacher?: string;
  class?: string;
  subject?: string;
  rule?: string;
  clause?: string;
  /** School-local days (YYYY-MM-DD) the deadline falls within. */
  from?: string;
  to?: string;
  /** Words in the message (case-insensitive substring). */
  q?: string;
  /** A teacher's own findings only: responsible_id must equal this. */
  ownerOnly?: string;
}

export async function schoolTimezone(db: Db, schoolId: string): Promise<string> {
  const rows = await db.query<{ timezone: string }>("SELECT timezone FROM schools WHERE id = $1", [schoolId]);
  return rows[0]?.timezone ?? "Europe/Moscow";
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** WHERE clause over `violations v` and its parameters (always parameterised: filters are user input). */
function where(schoolId: string, f: FindingFilter, zone: string): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [schoolId];
  const parts = ["v.school_id = $1"];
  const add = (cond: (p: string) => string, value: SqlParam) => {
    params.push(value);
    parts.push(cond(`$${params.length}`));
  };
  if (f.status) add((p) => `v.status = ${p}`, f.status);
  if (f.ownerOnly !== undefined) add((p) => `v.responsible_id = ${p}`, f.ownerOnly);
  if (f.teacher) add((p) => `v.responsible_id = ${p}`, f.teacher);
  if (f.class) add((p) => `v.entity->>'classId' = ${p}`, f.class);
  if (f.subject) add((p) => `v.entity->>'subjectId' = ${p}`, f.subject);
  if (f.rule) add((p) => `v.rule_id = ${p}`, f.rule);
  if (f.clause) add((p) => `v.clause = ${p}`, f.clause);
  if (f.from) add((p) => `v.deadline >= ${p}`, DateTime.fromISO(f.from, { zone }).startOf("day").toJSDate());
  if (f.to)
    add(
      (p) => `v.deadline < ${p}`,
      DateTime.fromISO(f.to, { zone }).plus({ days: 1 }).startOf("day").toJSDate(),
    );
  if (f.q) add((p) => `v.message ILIKE ${p}`, likePattern(f.q));
  return { sql: parts.join(" AND "), params };
}

// Both orders are served by an index of 015_console_indexes.sql (with status given, as the inbox does).
const ORDER: Record<FindingSort, string> = {
  // newest first by deadline, the most serious of the same deadline first
  newest: "v.deadline DESC, v.severity DESC, v.id DESC",
  severity: "v.severity DESC, v.deadline DESC, v.id DESC",
  deadline: "v.deadline ASC, v.id ASC",
};

/** Names and dates for the given violation ids (the page), in the school's zone. */
const DETAIL_SQL = `
  SELECT v.id::text AS id, v.rule_id, v.clause, v.status, v.level, v.responsible_id,
    t.name AS teacher_name, v.entity->>'classId' AS class_id, c.grade AS class_grade, c.letter AS class_letter,
    v.entity->>'subjectId' AS subject_id, s.name AS subject_name,
    COALESCE(l.day, w.day)::text AS day, v.deadline, v.detected_at, v.resolved_at, v.message, v.evidence,
    sc.timezone
  FROM violations v
  JOIN schools sc ON sc.id = v.school_id
  LEFT JOIN persons t ON t.school_id = v.school_id AND t.key = v.responsible_id
  LEFT JOIN classes c ON c.school_id = v.school_id AND c.key = v.entity->>'classId'
  LEFT JOIN subjects s ON s.school_id = v.school_id AND s.key = v.entity->>'subjectId'
  LEFT JOIN lessons l ON l.school_id = v.school_id AND l.key = v.entity->>'lessonId'
  LEFT JOIN works w ON w.school_id = v.school_id AND w.key = v.entity->>'workId'`;

export async function listFindings(
  db: Db,
  schoolId: string,
  filter: FindingFilter,
  sort: FindingSort,
  limit: number,
  offset: number,
): Promise<{ items: FindingView[]; total: number }> {
  const zone = await schoolTimezone(db, schoolId);
  const w = where(schoolId, filter, zone);
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM violations v WHERE ${w.sql}`,
    w.params,
  );
  const n0 = w.params.length;
  const ids = await db.query<{ id: string }>(
    `SELECT v.id::text AS id FROM violations v WHERE ${w.sql} ORDER BY ${ORDER[sort]} LIMIT $${n0 + 1} OFFSET $${n0 + 2}`,
    [...w.params, limit, offset],
  );
  if (ids.length === 0) return { items: [], total: n };
  const rows = await db.query<FindingRow>(
    `${DETAIL_SQL} WHERE v.school_id = $1 AND v.id = ANY($2::bigint[])`,
    [schoolId, ids.map((r) => r.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { items: ids.map((r) => toFindingView(byId.get(r.id)!)), total: n };
}

export interface FindingDetailRow extends FindingRow {
  entity: Record<string, unknown>;
  resolution: Record<string, unknown> | null;
  waived_by: string | null;
  waive_reason: string | null;
}

/** One finding of the school (undefined if it is not there, or not the owner's). */
export async function getFindingRow(
  db: Db,
  schoolId: string,
  id: number,
  ownerOnly?: string,
): Promise<FindingDetailRow | undefined> {
  const rows = await db.query<FindingDetailRow>(
    `SELECT * FROM (${DETAIL_SQL.replace("SELECT v.id::text AS id,", "SELECT v.id::text AS id, v.entity, v.resolution, v.waived_by, v.waive_reason,")}
      WHERE v.school_id = $1 AND v.id = $2 AND ($3::text IS NULL OR v.responsible_id = $3)) x`,
    [schoolId, id, ownerOnly ?? null],
  );
  return rows[0];
}

export interface Facets {
  teachers: { id: string; name: string }[];
  classes: { id: string; name: string }[];
  subjects: { id: string; name: string }[];
  rules: { id: string; title: string; clause: string }[];
}

/** The values the filters can take: those the school's findings actually have. */
export async function findingFacets(db: Db, schoolId: string, ownerOnly?: string): Promise<Facets> {
  const owner = ownerOnly ?? null;
  const base = "FROM violations v WHERE v.school_id = $1 AND ($2::text IS NULL OR v.responsible_id = $2)";
  const [teachers, classes, subjects, rules] = await Promise.all([
    db.query<{ id: string; name: string | null }>(
      `SELECT x.id, p.name FROM (SELECT DISTINCT v.responsible_id AS id ${base} AND v.responsible_id IS NOT NULL) x
       LEFT JOIN persons p ON p.school_id = $1 AND p.key = x.id ORDER BY p.name, x.id`,
      [schoolId, owner],
    ),
    db.query<{ id: string; grade: number | null; letter: string | null }>(
      `SELECT x.id, c.grade, c.letter FROM (SELECT DISTINCT v.entity->>'classId' AS id ${base} AND v.entity->>'classId' IS NOT NULL) x
       LEFT JOIN classes c ON c.school_id = $1 AND c.key = x.id ORDER BY c.grade, c.letter, x.id`,
      [schoolId, owner],
    ),
    db.query<{ id: string; name: string | null }>(
      `SELECT x.id, s.name FROM (SELECT DISTINCT v.entity->>'subjectId' AS id ${base} AND v.entity->>'subjectId' IS NOT NULL) x
       LEFT JOIN subjects s ON s.school_id = $1 AND s.key = x.id ORDER BY s.name, x.id`,
      [schoolId, owner],
    ),
    db.query<{ rule_id: string; clause: string }>(
      `SELECT DISTINCT v.rule_id, v.clause ${base} ORDER BY v.rule_id, v.clause`,
      [schoolId, owner],
    ),
  ]);
  return {
    teachers: teachers.map((t) => ({ id: t.id, name: t.name ?? t.id })),
    classes: classes.map((c) => ({
      id: c.id,
      name: c.grade === null ? c.id : `${c.grade}${c.letter ?? ""}`,
    })),
    subjects: subjects.map((s) => ({ id: s.id, name: s.name ?? s.id })),
    rules: rules.map((r) => ({
      id: r.rule_id,
      title: findRule(r.rule_id)?.title ?? r.rule_id,
      clause: r.clause,
    })),
  };
}
