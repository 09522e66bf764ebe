// Outages the sync detects itself. Deadlines that fall inside an outage move (001 §3.5), so an outage
// is recorded only on evidence that the platform itself failed (5xx, a maintenance page, its host
// refusing connections) for a sustained time: never for our own client's 429s, timeouts or network.
import { isConnectorError } from "../connectors/errors.ts";
import type { Db } from "../store/db.ts";

/** Failures must span this long (first to last seen, no answer between) to be an outage. */
export const SUSTAINED_MS = 15 * 60_000;
/** Failures further apart than this (syncs run every 30 minutes) say nothing about the time between. */
export const MAX_GAP_MS = 60 * 60_000;

/** Transport codes that prove the platform's host is there but not serving: it refused the connection. */
const PLATFORM_TRANSPORT_CODES = new Set(["ECONNREFUSED"]);

/**
 * Whether an error is the platform's own failure. A response counts when it says the platform is down
 * (5xx, maintenance page, the platform's server-error body); a 408 is about our request. Without a
 * response only a refused connection counts: timeouts, resets, DNS and routing may be our side. An
 * open circuit is as much evidence as the failure that opened it.
 */
export function isPlatformFailure(err: unknown): boolean {
  if (!isConnectorError(err) || err.kind !== "platform-down") return false;
  if (err.status !== undefined) return err.status !== 408;
  const cause = err.cause;
  if (isConnectorError(cause)) return isPlatformFailure(cause);
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && PLATFORM_TRANSPORT_CODES.has(code);
}

/**
 * Records a failure of the platform; opens an outage, from the first failure on, once failures have
 * lasted SUSTAINED_MS with no gap over MAX_GAP_MS. Returns whether an outage is open.
 */
export async function platformFailed(
  db: Db,
  schoolId: string,
  source: string,
  reason: string,
  at = new Date(),
): Promise<boolean> {
  const [f] = await db.query<{ first_at: Date | string; last_at: Date | string }>(
    `INSERT INTO platform_failures (school_id, source, first_at, last_at, reason) VALUES ($1, $2, $3, $3, $4)
     ON CONFLICT (school_id, source) DO UPDATE SET
       first_at = CASE WHEN excluded.last_at - platform_failures.last_at > $5 * interval '1 millisecond'
         THEN excluded.first_at ELSE LEAST(platform_failures.first_at, excluded.first_at) END,
       last_at = GREATEST(platform_failures.last_at, excluded.last_at), reason = excluded.reason
     RETURNING first_at, last_at`,
    [schoolId, source, at, reason, MAX_GAP_MS],
  );
  const first = new Date(f.first_at);
  if (new Date(f.last_at).getTime() - first.getTime() < SUSTAINED_MS) return false;
  await openOutage(db, schoolId, source, reason, first);
  return true;
}

/** The platform answered: failures so far were not an outage, or the open outage ends now. */
export async function platformAnswered(
  db: Db,
  schoolId: string,
  source: string,
  at = new Date(),
): Promise<number> {
  await db.query("DELETE FROM platform_failures WHERE school_id = $1 AND source = $2", [schoolId, source]);
  return closeOutages(db, schoolId, source, at);
}

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
