// A source's own sync interval (`syncEveryMinutes` in its config): the school-hours schedule fans a
// sync out to every source each time it fires; a source whose last good sync is younger than its
// interval sits that slot out. A platform without entry times (NetSchool) proves an entry on time
// only by a sync before the deadline, so its interval is what bounds the evidence.
import type { Db } from "../store/db.ts";
import type { SourceRow } from "./sources.ts";

/** Slack under the interval: a slot that fires a little early (cron jitter, a slow run) still syncs. */
const SLACK_MS = 60_000;

export function syncInterval(source: SourceRow): number | undefined {
  const v = source.config.syncEveryMinutes;
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Whether the source is due: it has no interval, or its last good sync started an interval ago or more. */
export async function syncDue(db: Db, source: SourceRow, now: Date = new Date()): Promise<boolean> {
  const minutes = syncInterval(source);
  if (minutes === undefined) return true;
  const rows = await db.query<{ started_at: Date | string }>(
    "SELECT max(started_at) AS started_at FROM sync_runs WHERE source = $1 AND status = 'ok'",
    [source.id],
  );
  const last = rows[0]?.started_at;
  if (!last) return true;
  return now.getTime() - new Date(last).getTime() >= minutes * 60_000 - SLACK_MS;
}
