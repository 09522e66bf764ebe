// The `escalation:` section of the config: which channels exist (secrets come from the environment,
// never from the YAML), the delivery window, which channel each kind of staff gets first, and how
// the queue retries a delivery. `channelsFromConfig` (channels-from-config.ts) turns it into Channel instances;
// kept apart so that loading the config does not load the mail and HTTP clients.
import { z } from "zod";
import { clockSchema } from "../model/records.ts";
import { type ChannelKind, channelKindSchema } from "./channels/types.ts";

const ALL_CHANNELS: ChannelKind[] = ["email", "telegram", "webhook"];
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "expected an environment variable name");
const channelOrderSchema = z.array(channelKindSchema).min(1);

export const escalationConfigSchema = z
  .object({
    /** The regulation preset whose ladder is used (number, alias or YAML path). */
    preset: z.string().min(1).default("default"),
    /** The console's address as staff open it (https://reglament.school.local): each finding in a digest links there. */
    consoleUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** No messages outside this local window, at weekends or on holidays (school's time zone). */
    quietHours: z
      .object({ from: clockSchema.default("08:00"), to: clockSchema.default("20:00") })
      .strict()
      .refine((w) => w.from < w.to, { message: "window start must be before its end", path: ["to"] })
      .prefault({}),
    /** Channels tried in order for each kind of staff: the first one configured and known for the person. */
    channelOrder: z
      .object({
        teacher: channelOrderSchema.default(ALL_CHANNELS),
        deputy: channelOrderSchema.default(ALL_CHANNELS),
        director: channelOrderSchema.default(ALL_CHANNELS),
      })
      .strict()
      .prefault({}),
    /** Queue retries of one delivery: tries in all, and the first backoff (doubling). */
    delivery: z
      .object({
        attempts: z.number().int().min(1).max(100).default(10),
        backoffMs: z.number().int().min(0).default(60_000),
      })
      .strict()
      .prefault({}),
    email: z
      .object({
        host: z.string().min(1).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        secure: z.boolean().default(false),
        user: z.string().min(1).optional(),
        /** Environment variable holding the SMTP password. */
        passEnv: envName.optional(),
        from: z.string().min(3).default('"Регламент" <reglament@demo.reglament.local>'),
        timeoutMs: z.number().int().positive().optional(),
        /** Instead of SMTP: write each message as a .eml file into this directory (the demo's mailbox). */
        mailbox: z.string().min(1).optional(),
      })
      .strict()
      .refine((e) => e.mailbox !== undefined || (e.host !== undefined && e.port !== undefined), {
        message: "give host and port of an SMTP relay, or a mailbox directory",
        path: ["host"],
      })
      .optional(),
    telegram: z
      .object({
        /** Environment variable holding the bot token. */
        botTokenEnv: envName.default("REGLAMENT_TELEGRAM_TOKEN"),
        apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
      })
      .strict()
      .optional(),
    webhook: z
      .object({
        url: z.url({ protocol: /^https?$/ }).optional(),
        /** Environment variable holding the HMAC secret. */
        secretEnv: envName.default("REGLAMENT_WEBHOOK_SECRET"),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EscalationConfig = z.infer<typeof escalationConfigSchema>;
export const defaultEscalationConfig: EscalationConfig = escalationConfigSchema.parse({});
