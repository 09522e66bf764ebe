// `reglament escalate` (ladder + digests into the outbox + deliver jobs), `reglament outbox list`,
// `reglament contact set`. Contacts are personal data: this command never prints an address back.
import type { Command } from "commander";
import { z } from "zod";
import {
  ChannelConfigError,
  type ChannelSet,
  channelsFromConfig,
} from "../../escalation/channels-from-config.ts";
import { setContact } from "../../escalation/contacts.ts";
import { deliverJobHandlers } from "../../escalation/deliver-job.ts";
import { runEscalation } from "../../escalation/escalate.ts";
import { listOutbox, OUTBOX_STATUSES, type OutboxStatus } from "../../escalation/outbox.ts";
import { log } from "../../log/logger.ts";
import { PresetError } from "../../rules/presets.ts";
import { configFrom, type GlobalOptions, openStoreFrom, pickSchool } from "../context.ts";
import { table } from "../format.ts";
import { queueFromConfig } from "../queue-from-config.ts";
import { UserError } from "../user-error.ts";

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new UserError(`--now: not an ISO time: ${value}`);
  return at;
}

function channelsOrUserError(build: () => ChannelSet): ChannelSet {
  try {
    return build();
  } catch (err) {
    if (err instanceof ChannelConfigError) throw new UserError(err.message);
    throw err;
  }
}

const pollMs = 50;

export function registerEscalate(program: Command): void {
  program
    .command("escalate")
    .description("raise open violations up the ladder, put the day's digests in the outbox and queue them")
    .option("--school <id>", "the school (default: the only one in the store)")
    .option("--now <iso>", "the moment to run as of (default: now)")
    .option("--regulation <preset>", "preset whose ladder applies (default: config escalation.preset)")
    .action(async (opts: { school?: string; now?: string; regulation?: string }, cmd: Command) => {
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const now = parseNow(opts.now);
      const channels = channelsOrUserError(() => channelsFromConfig(config.escalation));
      const db = await openStoreFrom(config);
      const queue = queueFromConfig(config);
      try {
        const schoolId = await pickSchool(db, opts.school);
        const result = await runEscalation(db, {
          schoolId,
          ...(now === undefined ? {} : { now }),
          preset: opts.regulation ?? config.escalation.preset,
          channels: Object.keys(channels) as (keyof ChannelSet)[],
          config: config.escalation,
          queue,
        }).catch((err: unknown) => {
          if (err instanceof PresetError) throw new UserError(err.message);
          throw err;
        });
        if (queue.backend === "memory") {
          // No Redis: nobody else will run the jobs, so deliver what is due now before exiting; what
          // waits for the morning stays pending in the outbox for the next run or `reglament serve`.
          queue.process(deliverJobHandlers(db, channels), { concurrency: config.queue.concurrency });
          for (;;) {
            const c = await queue.counts();
            if (c.waiting === 0 && c.active === 0) break;
            await new Promise((r) => setTimeout(r, pollMs));
          }
        }
        console.log(
          table(
            ["", ""],
            [
              ["school", result.schoolId],
              ["digest day", result.date],
              ["not before", result.notBefore],
              ["open violations", result.openViolations],
              ["escalated now", result.escalated],
              ["digests", result.digests],
              ["weekly summaries", result.weeklySummaries],
              ["added to outbox", result.added],
              ["already in outbox", result.alreadyQueued],
              ["no contact", result.noContact],
              ["deliveries queued", result.enqueued],
            ],
          ),
        );
      } finally {
        await queue.close();
        await db.close();
      }
    });

  program
    .command("outbox")
    .description("the escalation outbox")
    .command("list")
    .description("messages in the outbox, oldest first")
    .option("--status <status>", `only ${OUTBOX_STATUSES.join(" | ")}`)
    .option("--school <id>", "only this school")
    .action(async (opts: { status?: string; school?: string }, cmd: Command) => {
      const status = z
        .enum(OUTBOX_STATUSES as [OutboxStatus, ...OutboxStatus[]])
        .optional()
        .safeParse(opts.status);
      if (!status.success) throw new UserError(`--status must be one of ${OUTBOX_STATUSES.join(", ")}`);
      const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
      const db = await openStoreFrom(config);
      try {
        const rows = await listOutbox(db, {
          ...(opts.school === undefined ? {} : { schoolId: opts.school }),
          ...(status.data === undefined ? {} : { status: status.data }),
        });
        console.log(
          table(
            ["id", "channel", "status", "tries", "not before", "sent at", "error"],
            rows.map((r) => [
              r.id,
              r.channel ?? "-",
              r.status,
              r.attempts,
              r.notBefore.toISOString(),
              r.sentAt?.toISOString() ?? "-",
              r.lastError ?? "",
            ]),
          ),
        );
        console.log(`${rows.length} message(s)`);
      } finally {
        await db.close();
      }
    });

  program
    .command("contact")
    .description("staff contacts for escalation messages")
    .command("set <personId>")
    .description("set a staff member's contacts (an empty value clears one)")
    .option("--school <id>", "the school (default: the only one in the store)")
    .option("--email <address>", "e-mail address")
    .option("--telegram <chatId>", "Telegram chat id or @username")
    .option("--webhook <url>", "webhook URL")
    .action(
      async (
        personId: string,
        opts: { school?: string; email?: string; telegram?: string; webhook?: string },
        cmd: Command,
      ) => {
        if (opts.email === undefined && opts.telegram === undefined && opts.webhook === undefined)
          throw new UserError("give at least one of --email, --telegram, --webhook");
        const config = configFrom(cmd.optsWithGlobals<GlobalOptions>());
        const db = await openStoreFrom(config);
        try {
          const schoolId = await pickSchool(db, opts.school);
          const known = await db.query(
            "SELECT 1 FROM persons WHERE school_id = $1 AND id = $2 AND deleted_at IS NULL",
            [schoolId, personId],
          );
          if (known.length === 0) throw new UserError(`no person "${personId}" in school ${schoolId}`);
          const saved = await setContact(db, schoolId, personId, {
            ...(opts.email === undefined ? {} : { email: opts.email }),
            ...(opts.telegram === undefined ? {} : { telegramChatId: opts.telegram }),
            ...(opts.webhook === undefined ? {} : { webhookUrl: opts.webhook }),
          }).catch((err: unknown) => {
            if (err instanceof z.ZodError)
              throw new UserError(
                `invalid contact: ${err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
              );
            throw err;
          });
          const kinds = [
            saved.email && "email",
            saved.telegramChatId && "telegram",
            saved.webhookUrl && "webhook",
          ].filter(Boolean);
          console.log(`contact of ${personId} saved: ${kinds.length > 0 ? kinds.join(", ") : "none"}`);
        } finally {
          await db.close();
        }
      },
    );
}
