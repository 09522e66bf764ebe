// The compliance board: per teacher and per class the share of lessons whose journal entries (topic,
// homework, attendance, marks of the lesson) were made on time, for this week / month / period; the
// weekly trend; the rules broken most. A lesson counts as late when any violation (not waived) is
// about it: the rules engine already judged its deadlines with the evidence of time.
import express from "express";
import { DateTime } from "luxon";
import { z } from "zod";
import { findRule } from "../rules/registry.ts";
import type { Db } from "../store/db.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { schoolTimezone } from "./findings-query.ts";
import { describeRoute } from "./openapi-registry.ts";
import { badRequest } from "./problem.ts";
import type { ApiDeps } from "./types.ts";
import { parseQuery } from "./validate.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "ожидается дата ГГГГ-ММ-ДД");
export const complianceQuerySchema = z.object({
  range: z.enum(["week", "month", "period"]).default("week"),
  from: day.optional(),
  to: day.optional(),
});

const shareRow = z.object({
  id: z.string(),
  name: z.string(),
  onTime: z.number().int(),
  total: z.number().int(),
  /** Percent 0–100 with one decimal; null when there were no lessons. */
  share: z.number().nullable(),
  /** The weekly share of this teacher or class, one per week of `trend` (null: no lessons that week). */
  trend: z.array(z.number().nullable()),
});
const shareOf = z.object({ onTime: z.number().int(), total: z.number().int(), share: z.number().nullable() });
export const complianceSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** School-wide: this week, this month and the current period up to today, whatever the range. */
  summary: z.object({ week: shareOf, month: shareOf, period: shareOf }),
  byTeacher: z.array(shareRow),
  byClass: z.array(shareRow),
  trend: z.array(
    z.object({
      weekStart: z.string(),
      onTime: z.number().int(),
      total: z.number().int(),
      share: z.number().nullable(),
    }),
  ),
  topRules: z.array(
    z.object({ ruleId: z.string(), title: z.string(), clause: z.string(), count: z.number().int() }),
  ),
});

const share = (onTime: number, total: number) =>
  total === 0 ? null : Math.round((onTime * 1000) / total) / 10;

/** The days the board covers, in the school's zone; never past today. */
async function rangeOf(
  db: Db,
  schoolId: string,
  q: z.infer<typeof complianceQuerySchema>,
  now: Date,
  zone: string,
) {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  let from: DateTime;
  let to = today;
  if (q.range === "week") from = today.startOf("week");
  else if (q.range === "month") from = today.startOf("month");
  else {
    const rows = await db.query<{ start: string; end: string }>(
      `SELECT start_date::text AS start, end_date::text AS "end" FROM periods
       WHERE school_id = $1 AND deleted_at IS NULL AND kind <> 'year' AND start_date <= $2::date
       ORDER BY start_date DESC LIMIT 1`,
      [schoolId, today.toISODate()!],
    );
    from = rows[0] ? DateTime.fromISO(rows[0].start, { zone }) : today.startOf("month");
    if (rows[0] && rows[0].end < today.toISODate()!) to = DateTime.fromISO(rows[0].end, { zone });
  }
  if (q.from) from = DateTime.fromISO(q.from, { zone });
  if (q.to) to = DateTime.fromISO(q.to, { zone });
  if (to < from) throw badRequest("Начало периода позже его конца.");
  return { from: from.toISODate()!, to: to.toISODate()! };
}

/** School-wide shares this week, this month and this period (to today), in one pass over the lessons. */
async function summaryOf(db: Db, schoolId: string, lessons: string, now: Date, zone: string) {
  const ranges = await Promise.all(
    (["week", "month", "period"] as const).map((range) => rangeOf(db, schoolId, { range }, now, zone)),
  );
  const from = ranges.map((r) => r.from).sort()[0];
  const to = ranges.map((r) => r.to).sort()[2];
  const [row] = await db.query<Record<string, number>>(
    `${lessons} SELECT
       count(*) FILTER (WHERE j.day >= $4::date AND j.day <= $5::date AND j.on_time)::int AS w_on,
       count(*) FILTER (WHERE j.day >= $4::date AND j.day <= $5::date)::int AS w_all,
       count(*) FILTER (WHERE j.day >= $6::date AND j.day <= $7::date AND j.on_time)::int AS m_on,
       count(*) FILTER (WHERE j.day >= $6::date AND j.day <= $7::date)::int AS m_all,
       count(*) FILTER (WHERE j.day >= $8::date AND j.day <= $9::date AND j.on_time)::int AS p_on,
       count(*) FILTER (WHERE j.day >= $8::date AND j.day <= $9::date)::int AS p_all
     FROM judged j`,
    [schoolId, from, to, ...ranges.flatMap((r) => [r.from, r.to])],
  );
  const of = (on: number, all: number) => ({ onTime: on, total: all, share: share(on, all) });
  return {
    week: of(row.w_on, row.w_all),
    month: of(row.m_on, row.m_all),
    period: of(row.p_on, row.p_all),
  };
}

export async function buildCompliance(
  db: Db,
  schoolId: string,
  q: z.infer<typeof complianceQuerySchema>,
  now: Date,
) {
  const zone = await schoolTimezone(db, schoolId);
  const { from, to } = await rangeOf(db, schoolId, q, now, zone);
  // the trend shows at least 8 weeks up to `to`
  const trendFrom = DateTime.min(
    DateTime.fromISO(from, { zone }).startOf("week"),
    DateTime.fromISO(to, { zone }).startOf("week").minus({ weeks: 7 }),
  ).toISODate()!;
  const lessons = `
    WITH late AS (
      SELECT DISTINCT v.entity->>'lessonId' AS lesson FROM violations v
      WHERE v.school_id = $1 AND v.status <> 'waived' AND v.entity->>'lessonId' IS NOT NULL),
    judged AS (
      SELECT l.key, l.day, l.class_id, COALESCE(l.substitute_teacher_id, l.teacher_id) AS teacher_id,
        late.lesson IS NULL AS on_time
      FROM lessons l LEFT JOIN late ON late.lesson = l.key
      WHERE l.school_id = $1 AND l.deleted_at IS NULL AND l.day >= $2::date AND l.day <= $3::date)`;
  const byTeacher = await db.query<{ id: string; name: string | null; on_time: number; total: number }>(
    `${lessons} SELECT j.teacher_id AS id, p.name, count(*) FILTER (WHERE j.on_time)::int AS on_time, count(*)::int AS total
     FROM judged j LEFT JOIN persons p ON p.school_id = $1 AND p.key = j.teacher_id
     WHERE j.teacher_id IS NOT NULL GROUP BY j.teacher_id, p.name`,
    [schoolId, from, to],
  );
  const byClass = await db.query<{
    id: string;
    grade: number | null;
    letter: string | null;
    on_time: number;
    total: number;
  }>(
    `${lessons} SELECT j.class_id AS id, c.grade, c.letter, count(*) FILTER (WHERE j.on_time)::int AS on_time, count(*)::int AS total
     FROM judged j LEFT JOIN classes c ON c.school_id = $1 AND c.key = j.class_id
     WHERE j.class_id IS NOT NULL GROUP BY j.class_id, c.grade, c.letter`,
    [schoolId, from, to],
  );
  const trend = await db.query<{ week: string; on_time: number; total: number }>(
    `${lessons} SELECT date_trunc('week', j.day)::date::text AS week, count(*) FILTER (WHERE j.on_time)::int AS on_time,
       count(*)::int AS total FROM judged j GROUP BY 1 ORDER BY 1`,
    [schoolId, trendFrom, to],
  );
  // Each teacher's and class's weekly shares, over the trend's weeks.
  const weekly = await db.query<{
    kind: "t" | "c";
    id: string;
    week: string;
    on_time: number;
    total: number;
  }>(
    `${lessons} SELECT 't' AS kind, j.teacher_id AS id, date_trunc('week', j.day)::date::text AS week,
       count(*) FILTER (WHERE j.on_time)::int AS on_time, count(*)::int AS total
     FROM judged j WHERE j.teacher_id IS NOT NULL GROUP BY 2, 3
     UNION ALL SELECT 'c', j.class_id, date_trunc('week', j.day)::date::text,
       count(*) FILTER (WHERE j.on_time)::int, count(*)::int
     FROM judged j WHERE j.class_id IS NOT NULL GROUP BY 2, 3`,
    [schoolId, trendFrom, to],
  );
  const weeks = trend.map((t) => t.week);
  const trendOf = new Map<string, (number | null)[]>();
  for (const w of weekly) {
    const key = `${w.kind}:${w.id}`;
    const line = trendOf.get(key) ?? weeks.map(() => null);
    trendOf.set(key, line);
    const i = weeks.indexOf(w.week);
    if (i >= 0) line[i] = share(w.on_time, w.total);
  }
  const summary = await summaryOf(db, schoolId, lessons, now, zone);
  const topRules = await db.query<{ rule_id: string; clause: string; n: number }>(
    `SELECT rule_id, clause, count(*)::int AS n FROM violations
     WHERE school_id = $1 AND status <> 'waived' AND deadline >= $2 AND deadline < $3
     GROUP BY rule_id, clause ORDER BY n DESC, rule_id LIMIT 10`,
    [
      schoolId,
      DateTime.fromISO(from, { zone }).toJSDate(),
      DateTime.fromISO(to, { zone }).plus({ days: 1 }).toJSDate(),
    ],
  );
  const rows = <T extends { id: string; on_time: number; total: number }>(
    list: T[],
    kind: "t" | "c",
    name: (r: T) => string,
  ) =>
    list
      .map((r) => ({
        id: r.id,
        name: name(r),
        onTime: r.on_time,
        total: r.total,
        share: share(r.on_time, r.total),
        trend: trendOf.get(`${kind}:${r.id}`) ?? weeks.map(() => null),
      }))
      .sort((a, b) => (a.share ?? 101) - (b.share ?? 101) || a.name.localeCompare(b.name, "ru"));
  return {
    from,
    to,
    summary,
    byTeacher: rows(byTeacher, "t", (r) => r.name ?? r.id),
    byClass: rows(byClass, "c", (r) => (r.grade === null ? r.id : `${r.grade}${r.letter ?? ""}`)),
    trend: trend.map((t) => ({
      weekStart: t.week,
      onTime: t.on_time,
      total: t.total,
      share: share(t.on_time, t.total),
    })),
    topRules: topRules.map((t) => ({
      ruleId: t.rule_id,
      title: findRule(t.rule_id)?.title ?? t.rule_id,
      clause: t.clause,
      count: t.n,
    })),
  };
}

export function complianceRouter(deps: ApiDeps): express.Router {
  const r = express.Router();
  describeRoute({
    method: "get",
    path: "/schools/:school/compliance",
    summary: "Соблюдение регламента: доля уроков с записями в срок по учителям и классам",
    permission: "compliance.read",
    query: complianceQuerySchema,
    response: complianceSchema,
    tags: ["compliance"],
  });
  r.get(
    "/schools/:school/compliance",
    requirePermission("compliance.read"),
    schoolScope,
    async (req, res) => {
      const q = parseQuery(complianceQuerySchema, req);
      const body = await buildCompliance(deps.db, req.schoolId!, q, deps.now());
      await writeAudit(deps.db, req, {
        action: "compliance.read",
        target: `school:${req.schoolId}`,
        detail: q,
      });
      res.json(body);
    },
  );
  return r;
}
