// Queue handlers of the sync side. A "sync" job names one source (or none: then it fans out one job per
// source, with ids derived from its own so a repeated slot adds nothing); the data is ids only. Jobs of
// one source run one at a time across all workers (their group is the source id). With `chain: true` a
// finished sync enqueues its school's check (src/cli/pipeline-jobs.ts).
import { log } from "../log/logger.ts";
import { enqueueSchoolStage } from "../queue/school-jobs.ts";
import type { JobHandlers, JobQueue } from "../queue/types.ts";
import type { Db } from "../store/db.ts";
import { runSync } from "./run-sync.ts";
import { connectorFor, getSource, listSources, rememberSchool } from "./sources.ts";
import { syncDue } from "./sync-interval.ts";

/** `now`: the sync's clock when it is not the real one (the demo replays a platform observed earlier). */
export function syncJobHandlers(db: Db, queue: JobQueue, now?: () => Date): JobHandlers {
  return {
    sync: async (job) => {
      const full = job.data.full === true;
      const chain = job.data.chain === true;
      // An optional date window (a school year other than the current one), as the CLI's --from/--to.
      const window = {
        from: typeof job.data.from === "string" ? job.data.from : undefined,
        to: typeof job.data.to === "string" ? job.data.to : undefined,
      };
      if (!job.data.sourceId) {
        // Paused sources (the console's «Пауза», migration 014) are left out of the scheduled fan-out; a full
        // sync runs for every other source, an ordinary one skips a source within its own interval.
        const sources = [];
        for (const s of await listSources(db, { activeOnly: true }))
          if (full || (await syncDue(db, s))) sources.push(s);
        for (const s of sources) {
          await queue.add(
            "sync",
            { sourceId: s.id, full, ...window, ...(chain ? { chain, date: job.data.date } : {}) },
            { jobId: `${job.id}:${s.id}` },
          );
        }
        log.info("sync fan-out", { job: job.id, sources: sources.length });
        return { enqueued: sources.length };
      }
      const source = await getSource(db, job.data.sourceId);
      const summary = await runSync(db, connectorFor(source), {
        source: source.id,
        full,
        ...window,
        knownSchoolId: source.schoolId ?? undefined,
        now: now?.(),
      });
      await rememberSchool(db, source.id, summary.schoolId);
      log.info("sync done", { job: job.id, source: source.id, run: summary.runId, ...summary.totals });
      if (chain) {
        const next = typeof job.data.date === "string" ? { chain, date: job.data.date } : { chain };
        await enqueueSchoolStage(queue, "check", summary.schoolId, next, `${job.id}:check`);
      }
      return { runId: summary.runId };
    },
  };
}
