// The scope of a read (DESIGN.md "Sync and evidence of time"): what part of a stream a completed read
// looked at in full. A record's place in a scope is its date, class and subject; marks and attendance
// take them from their lesson (or work), pupils' records from the pupil's class. Deletions and
// `last_absent_at` are proven only inside the scopes that held the record.
import type { ReadScope } from "../connectors/types.ts";
import type { StreamName } from "../model/records.ts";
import type { Db } from "./db.ts";
import type { EntityShape } from "./entities.ts";

const join = (alias: string, table: string, on: string) =>
  `LEFT JOIN ${table} ${alias} ON ${alias}.school_id = t.school_id AND ${alias}.key = t.${on}`;

/** Per stream: the date, class and subject of a row, as SQL over `t` (its table) and joins. */
const PLACES: Partial<
  Record<StreamName, { joins: string[]; day: string; classId: string; subjectId: string }>
> = {
  lessons: { joins: [], day: "t.day", classId: "t.class_id", subjectId: "t.subject_id" },
  works: { joins: [], day: "t.day", classId: "t.class_id", subjectId: "t.subject_id" },
  marks: {
    joins: [
      join("l", "lessons", "lesson_id"),
      join("w", "works", "work_id"),
      join("p", "persons", "student_id"),
    ],
    day: "COALESCE(l.day, w.day, t.lesson_date)",
    classId: "COALESCE(l.class_id, w.class_id, p.class_id)",
    subjectId: "t.subject_id",
  },
  attendance: {
    joins: [join("l", "lessons", "lesson_id"), join("p", "persons", "student_id")],
    day: "l.day",
    classId: "COALESCE(l.class_id, p.class_id)",
    subjectId: "l.subject_id",
  },
  periodMarks: {
    joins: [join("p", "persons", "student_id")],
    day: "NULL::date",
    classId: "p.class_id",
    subjectId: "t.subject_id",
  },
  persons: { joins: [], day: "NULL::date", classId: "t.class_id", subjectId: "NULL::text" },
};

/** Rows of the school's stream with their place: (key, deleted_at, day, class_id, subject_id); $1 = school. */
export function placedRowsSql(entity: EntityShape, where = ""): string {
  const p = PLACES[entity.stream] ?? {
    joins: [],
    day: "NULL::date",
    classId: "NULL::text",
    subjectId: "NULL::text",
  };
  return `SELECT t.key, t.deleted_at, ${p.day} AS day, ${p.classId} AS class_id, ${p.subjectId} AS subject_id
    FROM ${entity.table} t ${p.joins.join(" ")} WHERE t.school_id = $1 ${where}`;
}

/** Row `v` (a placed row) lies inside scope `s` (a read_scopes row or an unnest of scopes). */
export const INSIDE = `(s.date_from IS NULL OR v.day >= s.date_from) AND (s.date_to IS NULL OR v.day <= s.date_to)
  AND (s.class_id IS NULL OR v.class_id = s.class_id) AND (s.subject_id IS NULL OR v.subject_id = s.subject_id)`;

/** The scopes as four parallel arrays, for `unnest($n::date[], …) AS s(date_from, date_to, class_id, subject_id)`. */
export function scopeArrays(
  scopes: ReadScope[],
): [(string | null)[], (string | null)[], (string | null)[], (string | null)[]] {
  return [
    scopes.map((s) => s.from ?? null),
    scopes.map((s) => s.to ?? null),
    scopes.map((s) => s.classId ?? null),
    scopes.map((s) => s.subjectId ?? null),
  ];
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The same coverage in fewest scopes: an unrestricted scope swallows all; windows of one class and
 * subject that touch or overlap become one.
 */
export function mergeScopes(scopes: ReadScope[]): ReadScope[] {
  const groups = new Map<string, ReadScope[]>();
  for (const s of scopes) {
    const k = `${s.classId ?? ""}\u0000${s.subjectId ?? ""}\u0000${s.classId === undefined ? 0 : 1}${s.subjectId === undefined ? 0 : 1}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const out: ReadScope[] = [];
  for (const list of groups.values()) {
    const sorted = [...list].sort((a, b) => (a.from ?? "").localeCompare(b.from ?? ""));
    let cur: ReadScope | null = null;
    for (const s of sorted) {
      if (cur && (cur.to === undefined || s.from === undefined || nextDay(cur.to) >= s.from)) {
        if (cur.to !== undefined && (s.to === undefined || s.to > cur.to)) cur.to = s.to;
        continue;
      }
      if (cur) out.push(cur);
      cur = { ...s };
    }
    if (cur) out.push(cur);
  }
  if (out.some((s) => s.from === undefined && s.to === undefined && !s.classId && !s.subjectId)) return [{}];
  return out.map((s) =>
    Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)),
  ) as ReadScope[];
}

/** Keeps what a completed read of a stream covered, for the evidence of later reads. */
export async function saveReadScopes(
  tx: Db,
  r: { schoolId: string; stream: StreamName; runId: number; observedAt: Date; scopes: ReadScope[] },
): Promise<void> {
  if (r.scopes.length === 0) return;
  await tx.query(
    `INSERT INTO read_scopes (school_id, stream, sync_run_id, observed_at, date_from, date_to, class_id, subject_id)
     SELECT $1, $2, $3, $4, * FROM unnest($5::date[], $6::date[], $7::text[], $8::text[])`,
    [r.schoolId, r.stream, r.runId, r.observedAt, ...scopeArrays(r.scopes)],
  );
}

/** Whether an earlier read of the stream covered anything (if not, no record can have a last absence). */
export async function hasEarlierScopes(
  db: Db,
  schoolId: string,
  stream: StreamName,
  before: Date,
): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM read_scopes WHERE school_id = $1 AND stream = $2 AND observed_at < $3 LIMIT 1",
    [schoolId, stream, before],
  );
  return rows.length > 0;
}
