// The coordinator's monthly analytics: per class and subject, month on month, the rates of
// src/reports/metrics.ts — успеваемость, качество, СОУ — from each pupil's monthly mean (rounded to a
// mark by the school's preset policy), attendance (share of pupil-lessons not missed) and activity
// (logins per pupil of the class). Only aggregates: no pupil's name or mark leaves the server.
import express from "express";
import { DateTime } from "luxon";
import { z } from "zod";
import { resolvePolicy } from "../reports/builders/params.ts";
import {
  countOutcomes,
  learningLevel,
  meanMark,
  periodMarkFromMean,
  qualityRate,
  successRate,
} from "../reports/metrics.ts";
import type { Db } from "../store/db.ts";
import { requirePermission, schoolScope } from "./access.ts";
import { writeAudit } from "./audit.ts";
import { schoolTimezone } from "./findings-query.ts";
import { describeRoute } from "./openapi-registry.ts";
import type { ApiDeps } from "./types.ts";
import { parseQuery } from "./validate.ts";

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "ожидается месяц ГГГГ-ММ");
export const analyticsQuerySchema = z.object({
  month: month.optional(),
  /** How many months up to `month` (default 6). */
  months: z.coerce.number().int().min(1).max(24).default(6),
  class: z.string().min(1).max(200).optional(),
  subject: z.string().min(1).max(200).optional(),
});

const seriesValues = z.array(z.number().nullable());
export const analyticsSeriesSchema = z.object({
  classId: z.string().nullable(),
  className: z.string().nullable(),
  subjectId: z.string().nullable(),
  subjectName: z.string().nullable(),
  performance: seriesValues,
  quality: seriesValues,
  sou: seriesValues,
  attendance: seriesValues,
  activity: seriesValues,
});
export const analyticsSchema = z.object({
  months: z.array(z.string()),
  /** The whole school (or the filtered class/subject) first, then each class, then each class × subject. */
  series: z.array(analyticsSeriesSchema),
});

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

interface MarkRow {
  class_id: string | null;
  subject_id: string | null;
  month: string;
  student_id: string;
  value: string | null;
  weight: string | number | null;
}

type Key = string; // `${classId}|${subjectId}` with "*" for all

/** The map's value at `key`, created by `make` when absent. */
function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

export async function buildAnalytics(
  db: Db,
  schoolId: string,
  q: z.infer<typeof analyticsQuerySchema>,
  now: Date,
) {
  const zone = await schoolTimezone(db, schoolId);
  const last = q.month
    ? DateTime.fromISO(`${q.month}-01`, { zone })
    : DateTime.fromJSDate(now, { zone }).startOf("month");
  const months = Array.from({ length: q.months }, (_, i) =>
    last.minus({ months: q.months - 1 - i }).toFormat("yyyy-LL"),
  );
  const from = `${months[0]}-01`;
  const to = last.plus({ months: 1 }).toISODate()!;
  const cls = q.class ?? null;
  const subj = q.subject ?? null;

  const marks = await db.query<MarkRow>(
    `SELECT * FROM (
       SELECT st.class_id, m.subject_id, m.student_id, m.value, m.weight,
         to_char(COALESCE(l.day, m.lesson_date, (m.recorded_at AT TIME ZONE $2)::date), 'YYYY-MM') AS month,
         COALESCE(l.day, m.lesson_date, (m.recorded_at AT TIME ZONE $2)::date) AS d
       FROM marks m
       JOIN persons st ON st.school_id = m.school_id AND st.key = m.student_id
       LEFT JOIN lessons l ON l.school_id = m.school_id AND l.key = m.lesson_id
       WHERE m.school_id = $1 AND m.deleted_at IS NULL
         AND ($5::text IS NULL OR st.class_id = $5) AND ($6::text IS NULL OR m.subject_id = $6)) x
     WHERE d >= $3::date AND d < $4::date`,
    [schoolId, zone, from, to, cls, subj],
  );
  const attendance = await db.query<{
    class_id: string;
    subject_id: string;
    month: string;
    places: number;
    missed: number;
  }>(
    `SELECT l.class_id, l.subject_id, to_char(l.day, 'YYYY-MM') AS month,
       (count(DISTINCT l.key) * max(cs.n))::int AS places,
       count(a.key) FILTER (WHERE a.status IN ('absent', 'ill', 'excused'))::int AS missed
     FROM lessons l
     JOIN (SELECT class_id, count(*) AS n FROM persons WHERE school_id = $1 AND role = 'student' AND deleted_at IS NULL GROUP BY class_id) cs
       ON cs.class_id = l.class_id
     LEFT JOIN attendance a ON a.school_id = l.school_id AND a.lesson_id = l.key AND a.deleted_at IS NULL
     WHERE l.school_id = $1 AND l.deleted_at IS NULL AND l.day >= $2::date AND l.day < $3::date
       AND ($4::text IS NULL OR l.class_id = $4) AND ($5::text IS NULL OR l.subject_id = $5)
     GROUP BY l.class_id, l.subject_id, to_char(l.day, 'YYYY-MM')`,
    [schoolId, from, to, cls, subj],
  );
  const activity = await db.query<{ class_id: string; month: string; logins: number; pupils: number }>(
    `SELECT p.class_id, to_char(a.day, 'YYYY-MM') AS month, sum(a.logins)::int AS logins, count(DISTINCT p.key)::int AS pupils
     FROM activity a JOIN persons p ON p.school_id = a.school_id AND p.key = a.person_id AND p.role = 'student'
     WHERE a.school_id = $1 AND a.deleted_at IS NULL AND a.day >= $2::date AND a.day < $3::date
       AND ($4::text IS NULL OR p.class_id = $4)
     GROUP BY p.class_id, to_char(a.day, 'YYYY-MM')`,
    [schoolId, from, to, cls],
  );
  const classSizes = new Map(
    (
      await db.query<{ class_id: string; n: number }>(
        "SELECT class_id, count(*)::int AS n FROM persons WHERE school_id = $1 AND role = 'student' AND deleted_at IS NULL GROUP BY class_id",
        [schoolId],
      )
    ).map((r) => [r.class_id, r.n]),
  );

  const policy = resolvePolicy({});
  // marks: group → month → student → marks
  const byGroup = new Map<Key, Map<string, Map<string, { value: string; weight?: number }[]>>>();
  const push = (key: Key, r: MarkRow) => {
    const g = getOr(byGroup, key, () => new Map<string, Map<string, { value: string; weight?: number }[]>>());
    const mo = getOr(g, r.month, () => new Map<string, { value: string; weight?: number }[]>());
    const pupilKey = `${r.student_id}|${r.subject_id}`; // a pupil's mark per subject, also in totals
    const list = getOr(mo, pupilKey, (): { value: string; weight?: number }[] => []);
    if (r.value !== null)
      list.push({ value: r.value, ...(r.weight === null ? {} : { weight: Number(r.weight) }) });
  };
  for (const r of marks) {
    push("*|*", r);
    push(`${r.class_id}|*`, r);
    push(`${r.class_id}|${r.subject_id}`, r);
  }
  const att = new Map<Key, Map<string, { places: number; missed: number }>>();
  const addAtt = (key: Key, month: string, places: number, missed: number) => {
    const g = getOr(att, key, () => new Map());
    const cur = g.get(month) ?? { places: 0, missed: 0 };
    g.set(month, { places: cur.places + places, missed: cur.missed + missed });
  };
  for (const a of attendance) {
    addAtt("*|*", a.month, a.places, a.missed);
    addAtt(`${a.class_id}|*`, a.month, a.places, a.missed);
    addAtt(`${a.class_id}|${a.subject_id}`, a.month, a.places, a.missed);
  }
  const act = new Map<Key, Map<string, { logins: number; pupils: number }>>();
  for (const a of activity) {
    for (const key of ["*", a.class_id]) {
      const g = getOr(act, key, () => new Map());
      const cur = g.get(a.month) ?? { logins: 0, pupils: 0 };
      g.set(a.month, {
        logins: cur.logins + a.logins,
        pupils: cur.pupils + (classSizes.get(a.class_id) ?? a.pupils),
      });
    }
  }

  const names = await db.query<{ kind: string; id: string; name: string }>(
    `SELECT 'class' AS kind, key AS id, COALESCE(grade::text || COALESCE(letter, ''), key) AS name FROM classes WHERE school_id = $1
     UNION ALL SELECT 'subject', key, COALESCE(name, key) FROM subjects WHERE school_id = $1`,
    [schoolId],
  );
  const nameOf = new Map(names.map((n) => [`${n.kind}:${n.id}`, n.name]));
  const keys = [...new Set([...byGroup.keys(), ...att.keys()])].sort((a, b) => {
    const rank = (k: string) => (k === "*|*" ? 0 : k.endsWith("|*") ? 1 : 2);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  if (!keys.includes("*|*")) keys.unshift("*|*");

  const series = keys.map((key) => {
    const [c, s] = key.split("|");
    const rates = months.map((mo) => {
      const pupils = byGroup.get(key)?.get(mo);
      if (!pupils) return { performance: null, quality: null, sou: null };
      const outcomes = countOutcomes(
        [...pupils.values()].map((list) => periodMarkFromMean(meanMark(list), policy)),
      );
      return {
        performance: round1(successRate(outcomes)),
        quality: round1(qualityRate(outcomes)),
        sou: round1(learningLevel(outcomes)),
      };
    });
    return {
      classId: c === "*" ? (cls ?? null) : c,
      className:
        c === "*" ? (cls ? (nameOf.get(`class:${cls}`) ?? cls) : null) : (nameOf.get(`class:${c}`) ?? c),
      subjectId: s === "*" ? (subj ?? null) : s,
      subjectName:
        s === "*"
          ? subj
            ? (nameOf.get(`subject:${subj}`) ?? subj)
            : null
          : (nameOf.get(`subject:${s}`) ?? s),
      performance: rates.map((r) => r.performance),
      quality: rates.map((r) => r.quality),
      sou: rates.map((r) => r.sou),
      attendance: months.map((mo) => {
        const a = att.get(key)?.get(mo);
        return a && a.places > 0 ? round1(100 - (a.missed * 100) / a.places) : null;
      }),
      activity: months.map((mo) => {
        const a = act.get(c)?.get(mo);
        return a && a.pupils > 0 ? round1(a.logins / a.pupils) : null;
      }),
    };
  });
  return { months, series };
}

export function analyticsRouter(deps: ApiDeps): express.Router {
  const r = express.Router();
  describeRoute({
    method: "get",
    path: "/schools/:school/analytics",
    summary: "Аналитика по месяцам: успеваемость, качество, СОУ, посещаемость, активность",
    permission: "analytics.read",
    query: analyticsQuerySchema,
    response: analyticsSchema,
    tags: ["analytics"],
  });
  r.get("/schools/:school/analytics", requirePermission("analytics.read"), schoolScope, async (req, res) => {
    const q = parseQuery(analyticsQuerySchema, req);
    const body = await buildAnalytics(deps.db, req.schoolId!, q, deps.now());
    await writeAudit(deps.db, req, { action: "analytics.read", target: `school:${req.schoolId}`, detail: q });
    res.json(body);
  });
  return r;
}
