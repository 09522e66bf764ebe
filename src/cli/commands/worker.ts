// `reglament worker` (queue consumer) and `reglament serve` (scheduler + worker). BullMQ on Redis when
// REDIS_URL is set, else the in-process queue (then serve is the only process that can run jobs).
import type { Command } from "commander";
import type { Config } from "../../config/schema.ts";
import { configuredDeliverJobHandlers } from "../../escalation/deliver-job.ts";
import { log } from "../../log/logger.ts";
import { createQueue } from "../../queue/create-queue.ts";
import { Scheduler } from "../../queue/scheduler.ts";
import type { JobHandlers, JobQueue } from "../../queue/types.ts";
import type { Db } from "../../store/db.ts";
import { syncJobHandlers } from "../../sync/sync-jobs.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { pipelineJobHandlers } from "../pipeline-jobs.ts";

export const QUEUE_NAME = "reglament";

/** Every job kind the worker knows: sync, check, escalate, deliver, reports-due, report, fixity. */
export function jobHandlers(db: Db, queue: JobQueue, config: Config): JobHandlers {
  return {
    ...syncJobHandlers(db, queue),
    ...pipelineJobHandlers(db, queue, config),
    ...configuredDeliverJobHandlers(db),
  };
}

async function runUntilSignal(config: Config, withScheduler: boolean): Promise<void> {
  // Listen before anything starts: a SIGTERM during start-up then stops cleanly after it instead of
  // killing the process by the default action. `on`, not `once`: a second signal while jobs finish
  // must not kill it either; it is logged, and the shutdown goes on.
  let stopRequested: (() => void) | null = null;
  let signals = 0;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) log.warn("still stopping: waiting for running jobs", { signal });
    stopRequested?.();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const db = await openStoreFrom(config);
    const queue = createQueue(QUEUE_NAME, { redisUrl: config.queue.redisUrl, logger: log });
    const worker = queue.process(jobHandlers(db, queue, config), { concurrency: config.queue.concurrency });
    const scheduler = withScheduler ? new Scheduler(queue, config.schedules, { logger: log }) : null;
    scheduler?.start();
    log.info(withScheduler ? "serving: scheduler and worker started" : "worker started", {
      store: describeStore(config),
      queue: queue.backend,
      concurrency: config.queue.concurrency,
      schedules: scheduler?.entries.map((e) => e.name),
    });
    await stopped;
    log.info("stopping: waiting for running jobs");
    await scheduler?.stop();
    await worker.close();
    await queue.close();
    await db.close();
    log.info("stopped");
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("consume queued jobs (sync, …) until SIGINT/SIGTERM")
    .action(async (_o, cmd: Command) =>
      runUntilSignal(configFrom(cmd.optsWithGlobals<GlobalOptions>()), false),
    );
  program
    .command("serve")
    .description("run the scheduler (config `schedules`) and a worker until SIGINT/SIGTERM")
    .action(async (_o, cmd: Command) =>
      runUntilSignal(configFrom(cmd.optsWithGlobals<GlobalOptions>()), true),
    );
}
