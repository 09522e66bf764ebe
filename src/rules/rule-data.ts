// One school's live journal as the rules read it: each stream loaded once per check (one query per
// stream, no N+1), typed columns turned into canonical records plus their evidence of time as ISO
// strings. An incremental check narrows the lesson-side streams to the class-days in scope.
import type { AttendanceEvidence } from "../connectors/types.ts";
import type {
  Activity,
  Period,
  Person,
  SchoolClass,
  StreamName,
  StreamRecords,
  Subject,
} from "../model/records.ts";
import type { Db, SqlParam } from "../store/db.ts";
import { ENTITIES } from "../store/entities.ts";
import type { AnyRecord } from "../store/record-codec.ts";
import type {
  AttendanceRow,
  Enrollment,
  LessonRow,
  MarkRow,
  OutageWindow,
  PeriodMarkRow,
  RuleData,
  StreamObservation,
  WorkRow,
} from "./types.ts";

/** Which lessons an incremental check looks at: class-days changed since `since`, or on/after `fromDate`. */
export interface LessonScope {
  since: Date;
  fromDate: string;
}

function iso(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

/** An instant as the text `Date#toISOString` gives (UTC, milliseconds truncated like the driver's). */
const isoSql = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface Decoded {
  /** Output field, in the record's field order. */
  field: string;
  numeric: boolean;
}

/**
 * The select list and decoder of a stream as rules read it: each column under its record field's name,
 * instants and dates already as the ISO text the records carry (no Date per value, no re-encoding),
 * plus the evidence of time (`firstSeenAt`…) when `seen`. Null columns are left out of the record.
 */
function shapeOf(stream: StreamName, alias: string, seen: boolean): { select: string; fields: Decoded[] } {
  const e = ENTITIES[stream];
  const parts: string[] = [];
  const fields: Decoded[] = [];
  const add = (expr: string, field: string, numeric = false) => {
    parts.push(`${expr} AS "${field}"`);
    fields.push({ field, numeric });
  };
  for (const c of e.columns) {
    const ref = `${alias}${c.name}`;
    if (c.type === "timestamptz") add(isoSql(ref), c.field);
    else if (c.type === "date") add(`${ref}::text`, c.field);
    else add(ref, c.field, c.type === "int" || c.type === "numeric");
  }
  if (seen) {
    add(isoSql(`${alias}first_seen_at`), "firstSeenAt");
    add(isoSql(`${alias}last_absent_at`), "lastAbsentAt");
    for (const f of e.evidenceFields) {
      const c = f.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);
      add(isoSql(`${alias}${c}_first_seen_at`), `${f}FirstSeenAt`);
      add(isoSql(`${alias}${c}_last_absent_at`), `${f}LastAbsentAt`);
    }
  }
  return { select: parts.join(", "), fields };
}

/** The streams a full check reads row by row, and whether with their evidence of time. */
const READS: readonly { stream: StreamName; seen: boolean }[] = [
  { stream: "lessons", seen: true },
  { stream: "works", seen: true },
  { stream: "marks", seen: true },
  { stream: "attendance", seen: true },
  { stream: "periodMarks", seen: true },
  { stream: "activity", seen: false },
  { stream: "persons", seen: false },
  { stream: "classes", seen: false },
  { stream: "periods", seen: false },
  { stream: "subjects", seen: false },
];

/**
 * One plain SELECT per stream of exactly the columns a full check reads, untouched (no ordering, no
 * formatting): the floor the benchmark measures the engine against.
 */
export function plainReadQueries(): string[] {
  return READS.map(({ stream, seen }) => {
    const e = ENTITIES[stream];
    const cols = e.columns.map((c) => c.name);
    if (seen) {
      cols.push("first_seen_at", "last_absent_at");
      for (const f of e.evidenceFields) {
        const c = f.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);
        cols.push(`${c}_first_seen_at`, `${c}_last_absent_at`);
      }
    }
    return `SELECT ${cols.join(", ")} FROM ${e.table} WHERE school_id = $1 AND deleted_at IS NULL`;
  });
}

function decode<R>(rows: AnyRecord[], fields: readonly Decoded[]): R[] {
  const out = new Array<R>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const rec: AnyRecord = {};
    for (const { field, numeric } of fields) {
      const v = row[field];
      if (v === null || v === undefined) continue;
      rec[field] = numeric ? Number(v) : v;
    }
    out[i] = rec as R;
  }
  return out;
}

/** The (class_id, day) pairs an incremental check re-evaluates: changed lessons, marks or attendance. */
const SCOPE_CTE = `scope AS (
  SELECT class_id, day FROM lessons
   WHERE school_id = $1 AND (changed_at > $2 OR deleted_at > $2 OR day >= $3::date)
  UNION
  SELECT l.class_id, l.day FROM marks m JOIN lessons l ON l.school_id = m.school_id AND l.key = m.lesson_id
   WHERE m.school_id = $1 AND (m.changed_at > $2 OR m.deleted_at > $2)
  UNION
  SELECT l.class_id, l.day FROM attendance a JOIN lessons l ON l.school_id = a.school_id AND l.key = a.lesson_id
   WHERE a.school_id = $1 AND (a.changed_at > $2 OR a.deleted_at > $2)
)`;

export class StoreRuleData implements RuleData {
  readonly #db: Db;
  readonly #schoolId: string;
  readonly #scope: LessonScope | undefined;
  readonly #cache = new Map<string, Promise<unknown>>();

  constructor(db: Db, schoolId: string, scope?: LessonScope) {
    this.#db = db;
    this.#schoolId = schoolId;
    this.#scope = scope;
  }

  /** The same journal with the lesson-side streams narrowed to `scope` (the rest shared). */
  scoped(scope: LessonScope): StoreRuleData {
    const child = new StoreRuleData(this.#db, this.#schoolId, scope);
    for (const k of [
      "periods",
      "classes",
      "persons",
      "subjects",
      "works",
      "periodMarks",
      "activity",
      "outages",
      "enrollments",
    ]) {
      const v = this.#cache.get(k);
      if (v) child.#cache.set(k, v);
    }
    for (const [k, v] of this.#cache) if (k.startsWith("obs:")) child.#cache.set(k, v);
    return child;
  }

  get scope(): LessonScope | undefined {
    return this.#scope;
  }

  #once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.#cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.#cache.set(key, p);
    }
    return p;
  }

  async #rows(sql: string, params: SqlParam[]): Promise<AnyRecord[]> {
    return this.#db.query<AnyRecord>(sql, params);
  }

  #live<S extends StreamName>(stream: S): Promise<StreamRecords[S][]> {
    return this.#once(stream, async () => {
      const { select, fields } = shapeOf(stream, "", false);
      const rows = await this.#rows(
        `SELECT ${select} FROM ${ENTITIES[stream].table} WHERE school_id = $1 AND deleted_at IS NULL ORDER BY key`,
        [this.#schoolId],
      );
      return decode<StreamRecords[S]>(rows, fields);
    });
  }

  /** A stream with its evidence of time; `scopedSql(select)` narrows it in an incremental check. */
  #liveSeen<S extends StreamName, R>(stream: S, scopedSql?: (select: string) => string): Promise<R[]> {
    return this.#once(stream, async () => {
      const params: SqlParam[] = [this.#schoolId];
      let sql = `SELECT ${shapeOf(stream, "", true).select} FROM ${ENTITIES[stream].table} WHERE school_id = $1 AND deleted_at IS NULL ORDER BY key`;
      if (this.#scope && scopedSql) {
        sql = scopedSql(shapeOf(stream, "x.", true).select);
        params.push(this.#scope.since, this.#scope.fromDate);
      }
      const rows = await this.#rows(sql, params);
      return decode<R>(rows, shapeOf(stream, "", true).fields);
    });
  }

  periods(): Promise<Period[]> {
    return this.#live("periods");
  }
  classes(): Promise<SchoolClass[]> {
    return this.#live("classes");
  }
  persons(): Promise<Person[]> {
    return this.#live("persons");
  }
  subjects(): Promise<Subject[]> {
    return this.#live("subjects");
  }
  activity(): Promise<Activity[]> {
    return this.#live("activity");
  }

  lessons(): Promise<LessonRow[]> {
    return this.#liveSeen<"lessons", LessonRow>(
      "lessons",
      (select) => `WITH ${SCOPE_CTE}
        SELECT ${select} FROM lessons x JOIN scope s ON s.class_id = x.class_id AND s.day = x.day
        WHERE x.school_id = $1 AND x.deleted_at IS NULL ORDER BY x.key`,
    );
  }

  works(): Promise<WorkRow[]> {
    return this.#liveSeen<"works", WorkRow>("works");
  }

  marks(): Promise<MarkRow[]> {
    // In scope: marks of the lessons in scope, and every mark changed since (grade 1 judges marks alone).
    return this.#liveSeen<"marks", MarkRow>(
      "marks",
      (select) => `WITH ${SCOPE_CTE}
       SELECT ${select} FROM marks x
       WHERE x.school_id = $1 AND x.deleted_at IS NULL AND (x.changed_at > $2 OR x.lesson_id IN (
         SELECT l.key FROM lessons l JOIN scope s ON s.class_id = l.class_id AND s.day = l.day WHERE l.school_id = $1))
       ORDER BY x.key`,
    );
  }

  attendance(): Promise<AttendanceRow[]> {
    return this.#liveSeen<"attendance", AttendanceRow>(
      "attendance",
      (select) => `WITH ${SCOPE_CTE}
       SELECT ${select} FROM attendance x
       WHERE x.school_id = $1 AND x.deleted_at IS NULL AND x.lesson_id IN (
         SELECT l.key FROM lessons l JOIN scope s ON s.class_id = l.class_id AND s.day = l.day WHERE l.school_id = $1)
       ORDER BY x.key`,
    );
  }

  /** Lessons and marks deleted since the scope's `since`: their findings are in scope (to resolve). */
  removedSince(): Promise<{ lessonIds: string[]; markIds: string[] }> {
    return this.#once("removed", async () => {
      if (!this.#scope) return { lessonIds: [], markIds: [] };
      const rows = await this.#db.query<{ stream: string; key: string }>(
        `SELECT 'lessons' AS stream, key FROM lessons WHERE school_id = $1 AND deleted_at > $2
         UNION ALL
         SELECT 'marks', key FROM marks WHERE school_id = $1 AND deleted_at > $2`,
        [this.#schoolId, this.#scope.since],
      );
      return {
        lessonIds: rows.filter((r) => r.stream === "lessons").map((r) => r.key),
        markIds: rows.filter((r) => r.stream === "marks").map((r) => r.key),
      };
    });
  }

  periodMarks(): Promise<PeriodMarkRow[]> {
    return this.#liveSeen<"periodMarks", PeriodMarkRow>("periodMarks");
  }

  outages(): Promise<OutageWindow[]> {
    return this.#once("outages", async () => {
      const rows = await this.#db.query<{
        from_at: Date | string;
        to_at: Date | string | null;
        origin: string;
      }>(
        `SELECT from_at, to_at, 'dataset' AS origin FROM outages
          WHERE school_id = $1 AND deleted_at IS NULL AND from_at IS NOT NULL
         UNION ALL
         SELECT from_at, to_at, 'sync' AS origin FROM platform_outages WHERE school_id = $1
         ORDER BY 1`,
        [this.#schoolId],
      );
      return rows.map((r) => {
        const w: OutageWindow = {
          from: iso(r.from_at) as string,
          origin: r.origin === "sync" ? "sync" : "dataset",
        };
        const to = iso(r.to_at);
        if (to) w.to = to;
        return w;
      });
    });
  }

  attendanceEvidence(): Promise<AttendanceEvidence> {
    return this.#once("attendance-evidence", async () => {
      const rows = await this.#db.query<{ attendance_evidence: AttendanceEvidence }>(
        "SELECT attendance_evidence FROM schools WHERE id = $1",
        [this.#schoolId],
      );
      return rows[0]?.attendance_evidence ?? "recorded";
    });
  }

  enrollments(): Promise<Enrollment[]> {
    return this.#once("enrollments", async () => {
      const rows = await this.#db.query<{
        student_id: string;
        class_id: string;
        from_day: string | null;
        to_day: string | null;
      }>(
        `SELECT student_id, class_id, from_date::text AS from_day, to_date::text AS to_day
           FROM enrollments WHERE school_id = $1 ORDER BY student_id, from_date NULLS FIRST, id`,
        [this.#schoolId],
      );
      return rows.map((r) => {
        const e: Enrollment = { studentId: r.student_id, classId: r.class_id };
        if (r.from_day) e.from = String(r.from_day).slice(0, 10);
        if (r.to_day) e.to = String(r.to_day).slice(0, 10);
        return e;
      });
    });
  }

  observation(stream: StreamName): Promise<StreamObservation> {
    return this.#once(`obs:${stream}`, async () => {
      const rows = await this.#db.query<{ last_observed_at: Date | null; last_full_read_at: Date | null }>(
        "SELECT last_observed_at, last_full_read_at FROM stream_state WHERE school_id = $1 AND stream = $2",
        [this.#schoolId, stream],
      );
      const r = rows[0];
      return {
        lastObservedAt: iso(r?.last_observed_at) ?? null,
        lastFullReadAt: iso(r?.last_full_read_at) ?? null,
      };
    });
  }
}
