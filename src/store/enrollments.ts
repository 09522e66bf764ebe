// Keeps enrollments (student × class × dates) in step with the persons stream after each observation.
import type { Db } from "./db.ts";

export async function updateEnrollments(
  tx: Db,
  s: { schoolId: string; timezone: string; observedAt: Date; firstObservation: boolean },
): Promise<{ opened: number; closed: number }> {
  const day = "($2::timestamptz AT TIME ZONE $3)::date";
  const closed = await tx.query(
    `UPDATE enrollments e SET to_date = ${day}
     WHERE e.school_id = $1 AND e.to_date IS NULL AND NOT EXISTS (
       SELECT 1 FROM persons p WHERE p.school_id = e.school_id AND p.key = e.student_id
         AND p.deleted_at IS NULL AND p.class_id = e.class_id)
     RETURNING e.id`,
    [s.schoolId, s.observedAt, s.timezone],
  );
  const opened = await tx.query(
    `INSERT INTO enrollments (school_id, student_id, class_id, from_date)
     SELECT p.school_id, p.key, p.class_id, CASE WHEN $4::boolean THEN NULL ELSE ${day} END
     FROM persons p
     WHERE p.school_id = $1 AND p.deleted_at IS NULL AND p.role = 'student' AND p.class_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.school_id = p.school_id AND e.student_id = p.key
         AND e.class_id = p.class_id AND e.to_date IS NULL)
     RETURNING id`,
    [s.schoolId, s.observedAt, s.timezone, s.firstObservation],
  );
  return { opened: opened.length, closed: closed.length };
}
