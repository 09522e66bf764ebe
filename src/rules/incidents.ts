// Access breaches (001 §4.2–4.3): once a breach of an account is reported, every operation made through
// that account after the report is invalid. An incident lists those changes for review: marks and
// lesson topics by their author, homework and attendance of the lessons the account teaches, period
// marks of the classes and subjects it teaches — dated by the platform's time, else the first sync.
import type { Db } from "../store/db.ts";

export interface Incident {
  id: number;
  schoolId: string;
  accountId: string;
  reportedAt: string;
  note: string | null;
}

export interface IncidentChange {
  stream: "marks" | "lessons" | "attendance" | "periodMarks";
  key: string;
  field: "mark" | "topic" | "homework" | "attendance" | "periodMark";
  /** When the change was made (platform time) or first seen (sync time). */
  at: string;
  basis: "recordedAt" | "firstSeenAt";
  /** False when only the sync saw it after the report and it may have been made just before. */
  certain: boolean;
  lessonId?: string;
  studentId?: string;
  subjectId?: string;
}

export class IncidentNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no incident ${id}`);
  }
}

export async function addIncident(
  db: Db,
  input: { schoolId: string; accountId: string; reportedAt: Date | string; note?: string },
): Promise<Incident> {
  const rows = await db.query<{ id: string }>(
    "INSERT INTO incidents (school_id, account_id, reported_at, note) VALUES ($1, $2, $3, $4) RETURNING id::text AS id",
    [input.schoolId, input.accountId, new Date(input.reportedAt), input.note ?? null],
  );
  return getIncident(db, Number(rows[0].id));
}

export async function getIncident(db: Db, id: number): Promise<Incident> {
  const rows = await db.query<{
    id: string;
    school_id: string;
    account_id: string;
    reported_at: Date;
    note: string | null;
  }>("SELECT id::text AS id, school_id, account_id, reported_at, note FROM incidents WHERE id = $1", [id]);
  const r = rows[0];
  if (!r) throw new IncidentNotFoundError(id);
  return {
    id: Number(r.id),
    schoolId: r.school_id,
    accountId: r.account_id,
    reportedAt: new Date(r.reported_at).toISOString(),
    note: r.note,
  };
}

interface ChangeRow {
  stream: IncidentChange["stream"];
  key: string;
  field: IncidentChange["field"];
  recorded_at: Date | null;
  first_seen_at: Date;
  last_absent_at: Date | null;
  lesson_id: string | null;
  student_id: string | null;
  subject_id: string | null;
}

/** Every live entry made through the account after the report, oldest first ("invalid for review"). */
export async function changesAfterIncident(db: Db, incidentId: number): Promise<IncidentChange[]> {
  const inc = await getIncident(db, incidentId);
  const rows = await db.query<ChangeRow>(
    `WITH mine AS (
       SELECT key, class_id, subject_id FROM lessons
        WHERE school_id = $1 AND deleted_at IS NULL AND COALESCE(substitute_teacher_id, teacher_id) = $2
     )
     SELECT 'marks' AS stream, key, 'mark' AS field, recorded_at, first_seen_at, last_absent_at, lesson_id, student_id, subject_id
       FROM marks WHERE school_id = $1 AND deleted_at IS NULL AND author_id = $2
        AND COALESCE(recorded_at, first_seen_at) >= $3
     UNION ALL
     SELECT 'lessons', key, 'topic', topic_recorded_at, COALESCE(topic_first_seen_at, first_seen_at), topic_last_absent_at, key, NULL, subject_id
       FROM lessons WHERE school_id = $1 AND deleted_at IS NULL AND topic IS NOT NULL
        AND COALESCE(topic_author_id, substitute_teacher_id, teacher_id) = $2
        AND COALESCE(topic_recorded_at, topic_first_seen_at, first_seen_at) >= $3
     UNION ALL
     SELECT 'lessons', key, 'homework', homework_recorded_at, COALESCE(homework_first_seen_at, first_seen_at), homework_last_absent_at, key, NULL, subject_id
       FROM lessons WHERE school_id = $1 AND deleted_at IS NULL AND homework IS NOT NULL
        AND COALESCE(substitute_teacher_id, teacher_id) = $2
        AND COALESCE(homework_recorded_at, homework_first_seen_at, first_seen_at) >= $3
     UNION ALL
     SELECT 'lessons', key, 'attendance', attendance_recorded_at, first_seen_at, NULL, key, NULL, subject_id
       FROM lessons WHERE school_id = $1 AND deleted_at IS NULL AND attendance_recorded_at >= $3
        AND COALESCE(substitute_teacher_id, teacher_id) = $2
     UNION ALL
     SELECT 'attendance', a.key, 'attendance', a.recorded_at, a.first_seen_at, a.last_absent_at, a.lesson_id, a.student_id, NULL
       FROM attendance a JOIN mine ON mine.key = a.lesson_id
      WHERE a.school_id = $1 AND a.deleted_at IS NULL AND COALESCE(a.recorded_at, a.first_seen_at) >= $3
     UNION ALL
     SELECT 'periodMarks', pm.key, 'periodMark', pm.recorded_at, pm.first_seen_at, pm.last_absent_at, NULL, pm.student_id, pm.subject_id
       FROM period_marks pm JOIN persons st ON st.school_id = pm.school_id AND st.key = pm.student_id
      WHERE pm.school_id = $1 AND pm.deleted_at IS NULL AND COALESCE(pm.recorded_at, pm.first_seen_at) >= $3
        AND EXISTS (SELECT 1 FROM mine WHERE mine.class_id = st.class_id AND mine.subject_id = pm.subject_id)`,
    [inc.schoolId, inc.accountId, new Date(inc.reportedAt)],
  );
  const reported = Date.parse(inc.reportedAt);
  return rows
    .map((r): IncidentChange => {
      const basis = r.recorded_at ? "recordedAt" : "firstSeenAt";
      const at = new Date(r.recorded_at ?? r.first_seen_at).toISOString();
      const certain =
        basis === "recordedAt" ||
        (r.last_absent_at !== null && new Date(r.last_absent_at).getTime() >= reported);
      return {
        stream: r.stream,
        key: r.key,
        field: r.field,
        at,
        basis,
        certain,
        ...(r.lesson_id ? { lessonId: r.lesson_id } : {}),
        ...(r.student_id ? { studentId: r.student_id } : {}),
        ...(r.subject_id ? { subjectId: r.subject_id } : {}),
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key) || a.field.localeCompare(b.field));
}
