/**
 * Cron schedules that enqueue jobs (node-cron, time-zone aware). Each firing adds its job with the
 * deterministic id `<schedule>:<slot minute, UTC ISO>`, so any number of scheduler processes on one
 * queue enqueue each slot once: the queue's dedupe drops the others' adds.
 */
import { IANAZone } from "luxon";
import { createTask, validate as isValidCron, type ScheduledTask } from "node-cron";
import { z } from "zod";
import { ScheduleError } from "./errors.ts";
import { validateJobData } from "./job-data.ts";
import { type AddJobResult, type JobQueue, jobDataSchema, jobNameSchema, type QueueLogger } from "./types.ts";

const scheduleNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "1–100 letters, digits, '.', '_' or '-'");

export const scheduleEntrySchema = z.object({
  name: scheduleNameSchema,
  /** Five fields (minute hour day-of-month month day-of-week): slots are whole minutes. */
  cron: z
    .string()
    .refine((cron) => cron.trim().split(/\s+/).length === 5, "five cron fields expected (minute precision)")
    .refine((cron) => isValidCron(cron), "not a valid cron expression"),
  /** IANA zone the cron fields are read in, e.g. "Europe/Moscow". */
  timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), "unknown IANA time zone"),
  job: z.object({
    name: jobNameSchema,
    data: jobDataSchema.default({}),
    attempts: z.number().int().min(1).max(100).optional(),
    backoffMs: z.number().int().min(0).optional(),
  }),
});
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;
export type ScheduleEntryInput = z.input<typeof scheduleEntrySchema>;

export const scheduleEntriesSchema = z.array(scheduleEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.name)) {
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        message: `duplicate schedule name "${entry.name}"`,
      });
    }
    seen.add(entry.name);
  });
});

/** The slot a time falls in: its minute. */
export function slotOf(date: Date): Date {
  const slot = new Date(date.getTime());
  slot.setUTCSeconds(0, 0);
  return slot;
}

/** `<schedule>:<slot minute in UTC, ISO>`, e.g. `school-hours-sync:2026-11-25T05:30Z`. */
export function slotJobId(scheduleName: string, date: Date): string {
  if (Number.isNaN(date.getTime())) throw new ScheduleError(`invalid date for schedule "${scheduleName}"`);
  return `${scheduleName}:${slotOf(date).toISOString().slice(0, 16)}Z`;
}

export interface SchedulerOptions {
  logger?: QueueLogger;
}

export class Scheduler {
  readonly entries: readonly ScheduleEntry[];
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly logger: QueueLogger;
  private started = false;
  private stopped = false;

  /** `entries` is validated here (config is external input); a bad entry throws ScheduleError. */
  constructor(
    private readonly queue: JobQueue,
    entries: unknown,
    options: SchedulerOptions = {},
  ) {
    const parsed = scheduleEntriesSchema.safeParse(entries);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ScheduleError(`entry ${issue?.path.join(".") || "?"}: ${issue?.message ?? "invalid"}`);
    }
    for (const [index, entry] of parsed.data.entries()) {
      try {
        validateJobData(entry.job.name, entry.job.data); // size too: fail at start-up, not at 2 a.m.
      } catch (err) {
        throw new ScheduleError(`entry ${index}.job.data: ${(err as Error).message}`);
      }
    }
    this.entries = parsed.data;
    this.logger = options.logger ?? { warn: console.warn, error: console.error };
    for (const entry of this.entries) {
      const task = createTask(entry.cron, (context) => this.onTick(entry.name, context.date), {
        timezone: entry.timezone,
      });
      this.tasks.set(entry.name, task);
    }
  }

  /** Starts the clocks. */
  start(): void {
    if (this.stopped) throw new ScheduleError("scheduler was stopped");
    if (this.started) return;
    this.started = true;
    for (const task of this.tasks.values()) void task.start();
  }

  /** Stops and unregisters the clocks; enqueued jobs stay queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.tasks.values()].map((task) => task.destroy()));
  }

  /** Whether `date`'s minute is a slot of the schedule, in the schedule's time zone. */
  isSlot(scheduleName: string, date: Date): boolean {
    return this.taskOf(scheduleName).match(slotOf(date));
  }

  /** The next `count` slots from now. */
  nextSlots(scheduleName: string, count: number): Date[] {
    return this.taskOf(scheduleName).getNextRuns(count);
  }

  /**
   * Enqueues the schedule's job for the slot `date` falls in — what the clock does at that minute —
   * so tests and manual catch-up need not wait for the clock. Throws when `date` is not a slot.
   */
  async fireSlot(scheduleName: string, date: Date): Promise<AddJobResult> {
    const entry = this.entryOf(scheduleName);
    if (!this.isSlot(scheduleName, date)) {
      throw new ScheduleError(
        `${slotOf(date).toISOString()} is not a slot of "${scheduleName}" (${entry.cron} in ${entry.timezone})`,
      );
    }
    return this.queue.add(entry.job.name, entry.job.data, {
      jobId: slotJobId(entry.name, date),
      ...(entry.job.attempts !== undefined ? { attempts: entry.job.attempts } : {}),
      ...(entry.job.backoffMs !== undefined ? { backoffMs: entry.job.backoffMs } : {}),
    });
  }

  private async onTick(scheduleName: string, date: Date): Promise<void> {
    try {
      await this.fireSlot(scheduleName, date);
    } catch (err) {
      // The queue may be briefly unreachable; the next slot (or the nightly full re-read) catches up.
      this.logger.error(`schedule ${scheduleName}: enqueue failed: ${(err as Error).message}`);
    }
  }

  private entryOf(scheduleName: string): ScheduleEntry {
    const entry = this.entries.find((candidate) => candidate.name === scheduleName);
    if (!entry) throw new ScheduleError(`unknown schedule "${scheduleName}"`);
    return entry;
  }

  private taskOf(scheduleName: string): ScheduledTask {
    const task = this.tasks.get(scheduleName);
    if (!task) throw new ScheduleError(`unknown schedule "${scheduleName}"`);
    return task;
  }
}
