// One school's live journal as the rules read it: each stream loaded once per check (one query per
// stream, no N+1), typed columns turned into canonical records plus their evidence of time as ISO
// strings. An incremental check narrows the lesson-side streams to the class-days in scope.
import type { AttendanceEvidence } from "../../../../src/connectors/types.ts";
import type {
  Activity,
  Period,
  Person,
  SchoolClass,
  StreamName,
  StreamRecords,
  Subject,
} from "../../../../src/model/records.ts";
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
} from "../../../../src/rules/types.ts";
import type { Db, SqlParam } from "../../../../src/store/db.ts";
import { ENTITIES } from "../../../../src/store/entities.ts";
import { type AnyRecord, rowToRecord } from "../../../../src/store/record-codec.ts";

/** Which lessons an incremental check looks at: class-days changed since `since`, or on/after `fromDate`. */
export interface LessonScope {
  since: Date;
  fromDate: string;
}

function iso(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

/** Only the columns rules read: the record's own, plus its evidence of time (not hash, run ids…). */
function columnsOf(stream: StreamName, alias = ""): string {
  const e = ENTITIES[stream];
  const extra = e.evidenceFields.flatMap((f) => {
    const c = f.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`);
    return [`${c}_first_seen_at`, `${c}_last_absent_at`];
  });
  return ["key", ...e.columns.map((c) => c.name), "first_seen_at", "last_absent_at", ...extra]
    .map((c) => `${alias}${c}`)
    .join(", ");
}

function withSeen<T>(record: T, row: AnyRecord): T & { firstSeenAt: string; lastAbsentAt?: string } {
  const out = record as T & { firstSeenAt: string; lastAbsentAt?: string };
  out.firstSeenAt = iso(row.first_seen_at) as string;
  const la = iso(row.last_absent_at);
  if (la) out.lastAbsentAt = la;
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
      const e = ENTITIES[stream];
      const rows = await this.#rows(
        `SELECT ${columnsOf(stream)} FROM ${e.table} WHERE school_id = $1 AND deleted_at IS NULL ORDER BY key`,
        [this.#schoolId],
      );
      return rows.map((r) => rowToRecord(e, r));
    });
  }

  #liveSeen<S extends StreamName, R>(stream: S, scopedSql?: string): Promise<R[]> {
    return this.#once(stream, async () => {
      const e = ENTITIES[stream];
      const params: SqlParam[] = [this.#schoolId];
      let sql = `SELECT ${columnsOf(stream)} FROM ${e.table} WHERE school_id = $1 AND deleted_at IS NULL ORDER BY key`;
      if (this.#scope && scopedSql) {
        sql = scopedSql;
        params.push(this.#scope.since, this.#scope.fromDate);
      }
      const rows = await this.#rows(sql, params);
      return rows.map((r) => withSeen(rowToRecord(e, r), r) as R);
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
    return this.#once("lessons", async () => {
      const e = ENTITIES.lessons;
      const params: SqlParam[] = [this.#schoolId];
      let sql = `SELECT ${columnsOf("lessons")} FROM lessons WHERE school_id = $1 AND deleted_at IS NULL ORDER BY key`;
      if (this.#scope) {
        sql = `WITH ${SCOPE_CTE}
          SELECT ${columnsOf("lessons", "l.")} FROM lessons l JOIN scope s ON s.class_id = l.class_id AND s.day = l.day
          WHERE l.school_id = $1 AND l.deleted_at IS NULL ORDER BY l.key`;
        params.push(this.#scope.since, this.#scope.fromDate);
      }
      const rows = await this.#rows(sql, params);
      return rows.map((r) => {
        const l = withSeen(rowToRecord(e, r), r) as LessonRow;
        const tf = iso(r.topic_first_seen_at);
        const ta = iso(r.topic_last_absent_at);
        const hf = iso(r.homework_first_seen_at);
        const ha = iso(r.homework_last_absent_at);
        if (tf) l.topicFirstSeenAt = tf;
        if (ta) l.topicLastAbsentAt = ta;
        if (hf) l.homeworkFirstSeenAt = hf;
        if (ha) l.homeworkLastAbsentAt = ha;
        return l;
      });
    });
  }

  works(): Promise<WorkRow[]> {
    return this.#liveSeen<"works", WorkRow>("works");
  }

  marks(): Promise<MarkRow[]> {
    // In scope: marks of the lessons in scope, and every mark changed since (grade 1 judges marks alone).
    return this.#liveSeen<"marks", MarkRow>(
      "marks",
      `WITH ${SCOPE_CTE}
       SELECT ${columnsOf("marks", "m.")} FROM marks m
       WHERE m.school_id = $1 AND m.deleted_at IS NULL AND (m.changed_at > $2 OR m.lesson_id IN (
         SELECT l.key FROM lessons l JOIN scope s ON s.class_id = l.class_id AND s.day = l.day WHERE l.school_id = $1))
       ORDER BY m.key`,
    );
  }

  attendance(): Promise<AttendanceRow[]> {
    return this.#liveSeen<"attendance", AttendanceRow>(
      "attendance",
      `WITH ${SCOPE_CTE}
       SELECT ${columnsOf("attendance", "a.")} FROM attendance a
       WHERE a.school_id = $1 AND a.deleted_at IS NULL AND a.lesson_id IN (
         SELECT l.key FROM lessons l JOIN scope s ON s.class_id = l.class_id AND s.day = l.day WHERE l.school_id = $1)
       ORDER BY a.key`,
    );
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
