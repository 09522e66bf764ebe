// The delivery contract: a channel sends one addressed message or throws a DeliveryError that
// tells the outbox whether trying again can help. Channels never log message text (152-ФЗ).
import { z } from "zod";
import { idSchema } from "../../model/records.ts";

export const channelKindSchema = z.enum(["email", "telegram", "webhook"]);
export type ChannelKind = z.infer<typeof channelKindSchema>;

export const messageKindSchema = z.enum(["digest", "weekly-summary", "alert"]);
export type MessageKind = z.infer<typeof messageKindSchema>;

/** Where one person can be reached; a channel uses only its own field. */
export const recipientSchema = z.object({
  personId: idSchema,
  email: z.email().optional(),
  /** A Telegram chat id: a number (possibly negative for groups) or an @channel username. */
  telegramChatId: z
    .string()
    .regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "expected a numeric chat id or @username")
    .optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const outgoingMessageSchema = z.object({
  /** Idempotency key: the same logical message always has the same id, so a retry never duplicates. */
  id: idSchema,
  recipient: recipientSchema,
  /** Russian subject line (e-mail subject, bold first line in Telegram). */
  subject: z.string().min(1),
  /** Russian plain text; the canonical body every channel can carry. */
  text: z.string().min(1),
  /** Optional HTML rendering of the same text, for e-mail. */
  html: z.string().optional(),
  meta: z.object({ schoolId: idSchema, kind: messageKindSchema }),
});
export type OutgoingMessage = z.infer<typeof outgoingMessageSchema>;

export interface DeliveryResult {
  /** The provider's own id (SMTP Message-ID, Telegram message_id), when it gives one. */
  providerId?: string;
}

export interface Channel {
  readonly kind: ChannelKind;
  /** Sends the message once. Resolves when the provider accepted it; throws DeliveryError otherwise. */
  send(message: OutgoingMessage): Promise<DeliveryResult>;
}

export interface DeliveryErrorOptions {
  channel: ChannelKind;
  /** True when the same message may go through later (network, 5xx, 429, SMTP 4xx). */
  retryable: boolean;
  /** Seconds the provider asked us to wait before the next try (Telegram retry_after, HTTP Retry-After). */
  retryAfter?: number;
  /** HTTP status or SMTP reply code, when there was one. */
  status?: number;
  cause?: unknown;
}

/** A failed delivery. `message` is technical English for logs and never holds the message text or address. */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  readonly channel: ChannelKind;
  readonly retryable: boolean;
  readonly retryAfter?: number;
  readonly status?: number;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.channel = options.channel;
    this.retryable = options.retryable;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** Validates a message before any channel touches it; a malformed one can never succeed, so not retryable. */
export function parseOutgoingMessage(channel: ChannelKind, message: unknown): OutgoingMessage {
  const parsed = outgoingMessageSchema.safeParse(message);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new DeliveryError(`invalid outgoing message: ${where}`, { channel, retryable: false });
  }
  return parsed.data;
}

/** Parses an HTTP Retry-After header (delta-seconds or an HTTP date) into whole seconds. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
