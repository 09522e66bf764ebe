// Queue handlers of the stages after sync: check, escalate, reports (due ones and one report) and the
// archive's fixity. Jobs carry ids only; a job without a school id runs for every school in the store.
import { resolve } from "node:path";
import { targetsFromConfig } from "../archive/archive-demo.ts";
import { verifyArchive } from "../archive/fixity.ts";
import type { Config } from "../config/schema.ts";
import { channelsFromConfig } from "../escalation/channels-from-config.ts";
import { runEscalation } from "../escalation/escalate.ts";
import { log } from "../log/logger.ts";
import type { JobHandlers, JobQueue, QueuedJob } from "../queue/types.ts";
import { dueReports, runReportJob } from "../reports/schedule.ts";
import { runCheck } from "../rules/engine.ts";
import type { Db } from "../store/db.ts";
import { listSchools } from "../store/sync-state.ts";

async function schoolsOf(db: Db, job: QueuedJob): Promise<{ id: string; timezone: string }[]> {
  const all = await listSchools(db);
  return job.data.schoolId ? all.filter((s) => s.id === job.data.schoolId) : all;
}

/** Today's date in a school's zone: what "due today" means for its reports. */
function localDate(timezone: string, at = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

export function pipelineJobHandlers(db: Db, queue: JobQueue, config: Config): JobHandlers {
  return {
    check: async (job) => {
      for (const s of await schoolsOf(db, job)) {
        const r = await runCheck(db, s.id, {
          preset: config.escalation.preset,
          incremental: job.data.incremental === true,
        });
        log.info("check done", {
          job: job.id,
          school: s.id,
          new: r.new,
          stillOpen: r.stillOpen,
          resolved: r.resolved,
        });
      }
    },
    escalate: async (job) => {
      const channels = Object.keys(channelsFromConfig(config.escalation)) as (
        | "email"
        | "telegram"
        | "webhook"
      )[];
      for (const s of await schoolsOf(db, job)) {
        const r = await runEscalation(db, { schoolId: s.id, channels, config: config.escalation, queue });
        log.info("escalation done", { job: job.id, school: s.id, added: r.added, enqueued: r.enqueued });
      }
    },
    "reports-due": async (job) => {
      let n = 0;
      for (const s of await schoolsOf(db, job)) {
        const date = typeof job.data.date === "string" ? job.data.date : localDate(s.timezone);
        for (const due of await dueReports(db, s.id, date)) {
          const added = await queue.add(due.name, due.data, { jobId: due.jobId });
          if (!added.duplicate) n++;
        }
      }
      log.info("reports due", { job: job.id, enqueued: n });
      return { enqueued: n };
    },
    report: async (job) => {
      const files = await runReportJob(db, job.data, resolve(config.outDir, "reports"));
      log.info("report written", { job: job.id, files: files.length });
    },
    fixity: async (job) => {
      const report = await verifyArchive(db, targetsFromConfig(config.archive), { repair: true });
      log.info("fixity done", {
        job: job.id,
        checked: report.checked,
        findings: report.findings.length,
        remaining: report.remaining.length,
      });
    },
  };
}
