// `reglament worker` (queue consumer) and `reglament serve` (scheduler + worker). BullMQ on Redis when
// REDIS_URL is set, else the in-process queue (then serve is the only process that can run jobs).
import { type Command, InvalidArgumentError } from "commander";
import { type ApiServer, startApiServer } from "../../api/server.ts";
import type { Config } from "../../config/schema.ts";
import { configuredDeliverJobHandlers } from "../../escalation/deliver-job.ts";
import { log } from "../../log/logger.ts";
import { Scheduler } from "../../queue/scheduler.ts";
import type { JobHandlers, JobQueue } from "../../queue/types.ts";
import type { Db } from "../../store/db.ts";
import { syncJobHandlers } from "../../sync/sync-jobs.ts";
import { configFrom, describeStore, type GlobalOptions, openStoreFrom } from "../context.ts";
import { pipelineJobHandlers } from "../pipeline-jobs.ts";
import { queueFromConfig } from "../queue-from-config.ts";

export { QUEUE_NAME } from "../queue-from-config.ts";

/** Every job kind the worker knows: sync, check, escalate, deliver, reports-due, report, fixity. */
export function jobHandlers(db: Db, queue: JobQueue, config: Config, now?: () => Date): JobHandlers {
  return {
    ...syncJobHandlers(db, queue, now),
    ...pipelineJobHandlers(db, queue, config),
    ...configuredDeliverJobHandlers(db),
  };
}

export interface ServeOptions {
  withScheduler: boolean;
  /** The console's HTTP server (API + SPA); absent for a bare worker. */
  http?: { port: number; host: string };
  /** A store already open (`start` hands over its own); closed at the end either way. */
  db?: Db;
  /** Called with the console's URL once it listens. */
  onListening?: (url: string) => void;
  /** The domain clock of the API's routes and of syncs (the demo's observation time); default the real one. */
  now?: () => Date;
  /** Stopped after the console (the demo's platform simulator, which its source points at). */
  alsoClose?: () => Promise<void>;
}

/** A TCP port (0 = any free one). */
export function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d{1,5}$/.test(v) || n > 65535) throw new InvalidArgumentError("a port number 0–65535");
  return n;
}

/** 8080 unless REGLAMENT_PORT says otherwise (tests run the README's commands on a free port). */
export function defaultPort(): number {
  return process.env.REGLAMENT_PORT ? parsePort(process.env.REGLAMENT_PORT) : 8080;
}

export async function runUntilSignal(config: Config, opts: ServeOptions): Promise<void> {
  const { withScheduler } = opts;
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
    const db = opts.db ?? (await openStoreFrom(config));
    const queue = queueFromConfig(config);
    const worker = queue.process(jobHandlers(db, queue, config, opts.now), {
      concurrency: config.queue.concurrency,
    });
    const scheduler = withScheduler ? new Scheduler(queue, config.schedules, { logger: log }) : null;
    scheduler?.start();
    let http: ApiServer | null = null;
    if (opts.http) {
      try {
        http = await startApiServer({ db, config, queue, now: opts.now ?? (() => new Date()) }, opts.http);
      } catch (err) {
        // e.g. the port is taken: stop what started, then say why.
        await scheduler?.stop();
        await worker.close();
        await queue.close();
        await db.close();
        await opts.alsoClose?.();
        throw err;
      }
      log.info("console listening", { url: http.url });
      opts.onListening?.(http.url);
    }
    log.info(withScheduler ? "serving: scheduler and worker started" : "worker started", {
      store: describeStore(config),
      queue: queue.backend,
      concurrency: config.queue.concurrency,
      schedules: scheduler?.entries.map((e) => e.name),
    });
    await stopped;
    log.info("stopping: waiting for running jobs");
    await http?.close();
    await scheduler?.stop();
    await worker.close();
    await queue.close();
    await db.close();
    await opts.alsoClose?.();
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
      runUntilSignal(configFrom(cmd.optsWithGlobals<GlobalOptions>()), { withScheduler: false }),
    );
  program
    .command("serve")
    .description(
      "run the scheduler (config `schedules`), a worker and the web console (REST API + SPA) until SIGINT/SIGTERM",
    )
    .option("--port <port>", "the console's HTTP port (0 = any free port)", parsePort, defaultPort())
    .option("--host <host>", "the address to listen on", process.env.REGLAMENT_HOST || "127.0.0.1")
    .action(async (o: { port: number; host: string }, cmd: Command) =>
      runUntilSignal(configFrom(cmd.optsWithGlobals<GlobalOptions>()), {
        withScheduler: true,
        http: { port: o.port, host: o.host },
        onListening: (url) => console.log(`Console: ${url}`),
      }),
    );
}
