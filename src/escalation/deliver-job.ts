// The `deliver` job: sends one outbox row through its channel. The job carries ids only
// ({ schoolId, outboxId }) and its job id is the outbox id, so enqueuing twice adds nothing.
//
// Guarantees: a row already sent is never sent again (a restarted worker, a repeated job); a
// retryable DeliveryError records the attempt and is rethrown so the queue retries with backoff; a
// permanent one (or the last try) marks the row failed and ends the job without retries.
// At-least-once: a crash after the channel accepted the message but before the row is marked sent
// leaves it `sending`, and the retry sends again. E-mail carries a Message-ID derived from the outbox
// id (EmailChannel), webhooks an Idempotency-Key, so receivers can drop such a duplicate.
import { loadConfig } from "../config/load-config.ts";
import { log } from "../log/logger.ts";
import { PermanentJobError } from "../queue/errors.ts";
import type { AddJobResult, JobHandlers, JobQueue, QueuedJob } from "../queue/types.ts";
import type { Db } from "../store/db.ts";
import { DeliveryError, type OutgoingMessage } from "./channels/types.ts";
import { type ChannelSet, channelsFromConfig } from "./channels-from-config.ts";
import { getContact } from "./contacts.ts";
import type { EscalationConfig } from "./escalation-config.ts";
import { getOutboxRow, markFailed, markRetry, markSending, markSent, NO_CONTACT } from "./outbox.ts";

export const DELIVER_JOB = "deliver";

export type DeliverOutcome = "sent" | "already-sent" | "already-failed";

/** Queues the delivery of an outbox row, delayed until it may go out. */
export async function enqueueDelivery(
  queue: JobQueue,
  schoolId: string,
  outboxId: string,
  notBefore: Date,
  policy: EscalationConfig["delivery"],
): Promise<AddJobResult> {
  return queue.add(
    DELIVER_JOB,
    { schoolId, outboxId },
    {
      jobId: outboxId,
      delayMs: Math.max(0, notBefore.getTime() - Date.now()),
      attempts: policy.attempts,
      backoffMs: policy.backoffMs,
    },
  );
}

/** Technical, address-free text of a failure, for `last_error` and logs. */
function describe(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Delivers one row. `attempt`/`attempts` are the queue's try counters: on the last try a retryable
 * failure is final too, so the row never stays pending with no job left to send it.
 */
export async function deliverOutboxMessage(
  db: Db,
  channels: ChannelSet,
  outboxId: string,
  tries: { attempt: number; attempts: number } = { attempt: 1, attempts: 1 },
  clock: () => Date = () => new Date(),
): Promise<DeliverOutcome> {
  const row = await getOutboxRow(db, outboxId);
  if (row === undefined) throw new PermanentJobError(`no outbox row ${outboxId}`);
  if (row.status === "sent") return "already-sent";
  if (row.status === "failed") return "already-failed";
  const fail = async (reason: string): Promise<never> => {
    await markFailed(db, outboxId, reason);
    throw new PermanentJobError(`outbox ${outboxId}: ${reason}`);
  };
  if (row.channel === null) return fail(NO_CONTACT);
  const channel = channels[row.channel];
  if (channel === undefined) return fail(`channel ${row.channel} is not configured`);
  const contact = await getContact(db, row.schoolId, row.personId);
  if (contact === undefined) return fail(NO_CONTACT);
  const message: OutgoingMessage = {
    id: row.id,
    recipient: contact,
    subject: row.subject,
    text: row.text,
    ...(row.html === null ? {} : { html: row.html }),
    meta: { schoolId: row.schoolId, kind: row.kind },
  };
  await markSending(db, outboxId);
  let providerId: string | undefined;
  try {
    ({ providerId } = await channel.send(message));
  } catch (error) {
    const reason = describe(error);
    // Anything but a DeliveryError (a bug, a dropped store connection) is worth another try.
    const retryable = error instanceof DeliveryError ? error.retryable : true;
    if (retryable && tries.attempt < tries.attempts) {
      await markRetry(db, outboxId, reason);
      throw error;
    }
    return fail(reason);
  }
  await markSent(db, outboxId, providerId, clock());
  return "sent";
}

/**
 * The handlers to add to the worker. `channels` may be a function, called once on the first job
 * (so a worker without escalation config never builds channels it does not use).
 */
export function deliverJobHandlers(db: Db, channels: ChannelSet | (() => ChannelSet)): JobHandlers {
  let resolved: ChannelSet | undefined = typeof channels === "function" ? undefined : channels;
  return {
    [DELIVER_JOB]: async (job: QueuedJob) => {
      const outboxId = job.data.outboxId;
      if (typeof outboxId !== "string" || outboxId === "")
        throw new PermanentJobError("deliver job without an outboxId");
      resolved ??= (channels as () => ChannelSet)();
      const outcome = await deliverOutboxMessage(db, resolved, outboxId, {
        attempt: job.attempt,
        attempts: job.attempts,
      });
      log.debug("outbox delivered", { job: job.id, outcome });
      return { outcome };
    },
  };
}

/** The worker's handlers: channels from the `escalation:` config (default file, REGLAMENT_CONFIG, env). */
export function configuredDeliverJobHandlers(db: Db): JobHandlers {
  return deliverJobHandlers(db, () => channelsFromConfig(loadConfig().escalation));
}
