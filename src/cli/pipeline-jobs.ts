// Queue handlers of the stages after sync: check, escalate, reports (due ones and one report) and the
// archive's fixity. Jobs carry ids only. A stage job without a school id (the schedules') fans out one
// job per school, so a school that fails retries and fails alone while the rest go on, and any number of
// workers share the schools. A school's stage jobs run one at a time across all workers (group
// `school:<id>`): one big school holds at most one worker slot, the others take the rest in turn.
// A job with `chain: true` (a scheduled sync's) enqueues the school's next stage when it is done:
// sync → check → reports-due, each school as soon as its own previous stage ends.
import { resolve } from "node:path";
import { targetsFromConfig } from "../archive/archive-demo.ts";
import { verifyArchive } from "../archive/fixity.ts";
import type { Config } from "../config/schema.ts";
import { channelsFromConfig } from "../escalation/channels-from-config.ts";
import { runEscalation } from "../escalation/escalate.ts";
import { log } from "../log/logger.ts";
import { enqueueSchoolStage, schoolGroup } from "../queue/school-jobs.ts";
import type { JobHandler, JobHandlers, JobQueue, QueuedJob } from "../queue/types.ts";
import { dueReports, runReportJob } from "../reports/schedule.ts";
import { runCheck } from "../rules/engine.ts";
import type { Db } from "../store/db.ts";
import { listSchools, schoolPreset } from "../store/sync-state.ts";

/** Today's date in a school's zone: what "due today" means for its reports. */
function localDate(timezone: string, at = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/**
 * A stage handler for one school; without `schoolId` in the job it fans out one job per school
 * (round robin in school order), each with the same data.
 */
function perSchool(
  db: Db,
  queue: JobQueue,
  stage: string,
  run: (job: QueuedJob, school: { id: string; timezone: string }) => Promise<unknown>,
): JobHandler {
  return async (job) => {
    const schools = await listSchools(db);
    if (!job.data.schoolId) {
      let n = 0;
      for (const s of schools)
        if (await enqueueSchoolStage(queue, stage, s.id, job.data, `${job.id}:${s.id}`)) n++;
      log.info(`${stage} fan-out`, { job: job.id, schools: n });
      return { enqueued: n };
    }
    const school = schools.find((s) => s.id === job.data.schoolId);
    if (!school) {
      log.warn(`${stage}: no such school`, { job: job.id, school: job.data.schoolId });
      return { skipped: true };
    }
    return run(job, school);
  };
}

export function pipelineJobHandlers(db: Db, queue: JobQueue, config: Config): JobHandlers {
  return {
    check: perSchool(db, queue, "check", async (job, s) => {
      const preset = (await schoolPreset(db, s.id)) ?? config.escalation.preset;
      const r = await runCheck(db, s.id, { preset, incremental: job.data.incremental === true });
      log.info("check done", {
        job: job.id,
        school: s.id,
        new: r.new,
        stillOpen: r.stillOpen,
        resolved: r.resolved,
      });
      if (job.data.chain === true) {
        const { incremental: _i, ...next } = job.data;
        await enqueueSchoolStage(queue, "reports-due", s.id, next, `${job.id}:reports-due`);
      }
      return { new: r.new, stillOpen: r.stillOpen, resolved: r.resolved };
    }),
    escalate: perSchool(db, queue, "escalate", async (job, s) => {
      const channels = Object.keys(channelsFromConfig(config.escalation)) as (
        | "email"
        | "telegram"
        | "webhook"
      )[];
      const r = await runEscalation(db, { schoolId: s.id, channels, config: config.escalation, queue });
      log.info("escalation done", { job: job.id, school: s.id, added: r.added, enqueued: r.enqueued });
    }),
    "reports-due": perSchool(db, queue, "reports-due", async (job, s) => {
      let n = 0;
      const date = typeof job.data.date === "string" ? job.data.date : localDate(s.timezone);
      for (const due of await dueReports(db, s.id, date)) {
        const added = await queue.add(due.name, due.data, { jobId: due.jobId, groupKey: schoolGroup(s.id) });
        if (!added.duplicate) n++;
      }
      log.info("reports due", { job: job.id, school: s.id, enqueued: n });
      return { enqueued: n };
    }),
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
