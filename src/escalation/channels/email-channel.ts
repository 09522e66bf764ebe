// E-mail through an SMTP relay (nodemailer). SMTP reply codes decide retries: 4xx and a dropped
// connection are transient, 5xx is a permanent refusal of this message (RFC 5321 §4.2.1).
import nodemailer, { type Transporter } from "nodemailer";
import { z } from "zod";
import {
  type Channel,
  DeliveryError,
  type DeliveryResult,
  type OutgoingMessage,
  parseOutgoingMessage,
} from "./types.ts";

export const emailChannelConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (465); false: plain, upgraded by STARTTLS when the server offers it. */
    secure: z.boolean(),
    user: z.string().min(1).optional(),
    pass: z.string().optional(),
    /** The sender, e.g. `"Регламент" <reglament@school.ru>`. */
    from: z.string().min(3),
    /** Milliseconds to wait for the connection and for each reply. */
    timeoutMs: z.number().int().positive().default(30_000),
  })
  .refine((c) => (c.user === undefined) === (c.pass === undefined), {
    message: "user and pass must be given together",
    path: ["pass"],
  });
export type EmailChannelConfig = z.input<typeof emailChannelConfigSchema>;

/** Codes of failures that no retry can fix: wrong credentials or configuration. */
const PERMANENT_CODES = new Set(["EAUTH", "ENOAUTH", "ECONFIG", "EENVELOPE"]);

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

export class EmailChannel implements Channel {
  readonly kind = "email" as const;
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(config: EmailChannelConfig) {
    const c = emailChannelConfigSchema.parse(config);
    this.from = c.from;
    this.transport = nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.secure,
      auth: c.user === undefined ? undefined : { user: c.user, pass: c.pass ?? "" },
      connectionTimeout: c.timeoutMs,
      greetingTimeout: c.timeoutMs,
      socketTimeout: c.timeoutMs,
    });
  }

  async send(input: OutgoingMessage): Promise<DeliveryResult> {
    const message = parseOutgoingMessage(this.kind, input);
    const to = message.recipient.email;
    if (to === undefined) {
      throw new DeliveryError("recipient has no e-mail address", { channel: this.kind, retryable: false });
    }
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        // A Message-ID derived from the idempotency key lets mail systems drop a duplicate resend.
        messageId: `<${encodeURIComponent(message.id)}@reglament>`,
        headers: { "X-Reglament-Message-Id": message.id, "X-Reglament-Kind": message.meta.kind },
      });
      return typeof info.messageId === "string" ? { providerId: info.messageId } : {};
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  /** Closes pooled connections (none by default, kept for symmetry with long-lived workers). */
  close(): void {
    this.transport.close();
  }
}

/** The nodemailer error stays as `cause` for debugging; it may name the recipient's address, so log only `message`. */
function toDeliveryError(error: unknown): DeliveryError {
  const failure: SmtpFailure = typeof error === "object" && error !== null ? (error as SmtpFailure) : {};
  const code = failure.code ?? "UNKNOWN";
  const reply = failure.responseCode;
  if (reply !== undefined) {
    // 503 is a bad command sequence, not a refusal of the message: a new session may succeed.
    const retryable = reply < 500 || reply === 503;
    return new DeliveryError(`SMTP server replied ${reply} (${code})`, {
      channel: "email",
      retryable,
      status: reply,
      cause: error,
    });
  }
  return new DeliveryError(`SMTP delivery failed (${code})`, {
    channel: "email",
    retryable: !PERMANENT_CODES.has(code),
    cause: error,
  });
}
