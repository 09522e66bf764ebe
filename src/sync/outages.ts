// Outages the sync detects itself: a failed run or health check opens one, the next success closes it.
// Deadlines that fall inside an outage move (001 §3.5), so an outage must be recorded, never guessed.
import type { Db } from "../store/db.ts";

export async function openOutage(
  db: Db,
  schoolId: string,
  source: string,
  reason: string,
  at = new Date(),
): Promise<void> {
  const open = await db.query(
    "SELECT id FROM platform_outages WHERE school_id = $1 AND source = $2 AND to_at IS NULL",
    [schoolId, source],
  );
  if (open.length > 0) return;
  await db.query(
    "INSERT INTO platform_outages (school_id, source, from_at, reason) VALUES ($1, $2, $3, $4)",
    [schoolId, source, at, reason],
  );
}

export async function closeOutages(
  db: Db,
  schoolId: string,
  source: string,
  at = new Date(),
): Promise<number> {
  const rows = await db.query(
    "UPDATE platform_outages SET to_at = $3 WHERE school_id = $1 AND source = $2 AND to_at IS NULL RETURNING id",
    [schoolId, source, at],
  );
  return rows.length;
}
