// The shape of config/default.yaml and of a school's own config file; unknown keys are errors
// (a typo must not silently fall back to a default).
import { z } from "zod";
import { scheduleEntrySchema } from "../queue/scheduler.ts";

/**
 * Default schedules (Moscow time; a school sets its own zone): sync every 30 minutes in school hours and
 * in full at night; the check after the 15:00 topic deadline (001 §3.5); escalation digests in the morning;
 * reports due today (month end, period end, weekly printouts) in the evening; archive fixity weekly.
 */
const DEFAULT_SCHEDULES = [
  {
    name: "school-hours-sync",
    cron: "*/30 8-17 * * 1-6",
    timezone: "Europe/Moscow",
    job: { name: "sync", data: {} },
  },
  {
    name: "nightly-full-sync",
    cron: "30 2 * * *",
    timezone: "Europe/Moscow",
    job: { name: "sync", data: { full: true } },
  },
  { name: "daily-check", cron: "10 16 * * 1-6", timezone: "Europe/Moscow", job: { name: "check", data: {} } },
  {
    name: "morning-escalation",
    cron: "30 8 * * 1-6",
    timezone: "Europe/Moscow",
    job: { name: "escalate", data: {} },
  },
  {
    name: "evening-reports",
    cron: "0 19 * * 1-6",
    timezone: "Europe/Moscow",
    job: { name: "reports-due", data: {} },
  },
  { name: "weekly-fixity", cron: "0 3 * * 0", timezone: "Europe/Moscow", job: { name: "fixity", data: {} } },
];

import { archiveConfigSchema, defaultArchiveConfig } from "../archive/archive-config.ts";
import { escalationConfigSchema } from "../escalation/escalation-config.ts";

export const configSchema = z
  .object({
    store: z
      .object({
        dataDir: z.string().min(1).default("./data/pglite"),
        databaseUrl: z
          .string()
          .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
          .optional(),
      })
      .strict()
      .default({ dataDir: "./data/pglite" }),
    queue: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(2),
        redisUrl: z
          .string()
          .regex(/^rediss?:\/\//, "expected a redis:// URL")
          .optional(),
        /** Redis key prefix: every worker of one deployment shares it, two deployments on one Redis differ. */
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "letters, digits, '.', '_' or '-'")
          .default("reglament"),
        /** A running job's lease: a killed worker's job is taken over by another once it ends (BullMQ). */
        lockDurationMs: z.number().int().min(100).default(30_000),
        /** How often workers look for jobs whose worker vanished. */
        stalledIntervalMs: z.number().int().min(100).default(30_000),
        /** The lease of a source's (or a school's) lock, renewed while its job runs. */
        groupLockTtlMs: z.number().int().min(100).default(30_000),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(["error", "warn", "info", "debug"]).default("info"),
        format: z.enum(["auto", "json", "pretty"]).default("auto"),
      })
      .strict()
      .default({ level: "info", format: "auto" }),
    demo: z
      .object({
        size: z.enum(["small", "medium", "large"]).default("small"),
        seed: z.number().int().default(1),
        dir: z.string().default("./data/demo"),
      })
      .strict()
      .default({ size: "small", seed: 1, dir: "./data/demo" }),
    outDir: z.string().default("./out"),
    /** What `reglament serve` enqueues, and when (cron in the given IANA zone). */
    schedules: z.array(scheduleEntrySchema).default(DEFAULT_SCHEDULES),
    archive: archiveConfigSchema.default(defaultArchiveConfig),
    /** Escalation delivery: channels, quiet hours, channel per kind of staff (src/escalation). */
    escalation: escalationConfigSchema.prefault({}),
    /** The console's HTTP side (src/api). */
    api: z
      .object({
        /** Secure cookies even on plain http (behind a TLS proxy that does not send X-Forwarded-Proto). */
        secureCookies: z.boolean().default(false),
        /** express "trust proxy": hops (a number) or addresses in front that set X-Forwarded-*. */
        trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string()]).default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
