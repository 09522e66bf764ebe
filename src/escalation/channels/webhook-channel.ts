// A signed JSON POST to the school's own system. The receiver checks X-Reglament-Signature (HMAC-SHA256
// of the exact body bytes) and may drop repeats by Idempotency-Key; the timestamp is inside the signed
// body as well as in its header, so a replay of an old delivery can be recognised.
import { createHmac, timingSafeEqual } from "node:crypto";
import axios, { type AxiosInstance } from "axios";
import { z } from "zod";
import {
  type Channel,
  DeliveryError,
  type DeliveryResult,
  type OutgoingMessage,
  parseOutgoingMessage,
  parseRetryAfter,
} from "./types.ts";

export const webhookChannelConfigSchema = z.object({
  /** Default endpoint; a recipient's own webhookUrl takes precedence. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** Shared secret for the HMAC; long enough not to be guessed. */
  secret: z.string().min(16, "webhook secret must be at least 16 characters"),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type WebhookChannelConfig = z.input<typeof webhookChannelConfigSchema>;

export const SIGNATURE_HEADER = "X-Reglament-Signature";
export const TIMESTAMP_HEADER = "X-Reglament-Timestamp";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** What the receiver gets, as JSON. */
export interface WebhookPayload {
  id: string;
  kind: OutgoingMessage["meta"]["kind"];
  schoolId: string;
  personId: string;
  subject: string;
  text: string;
  html?: string;
  /** Unix seconds when this attempt was sent; equals the X-Reglament-Timestamp header. */
  timestamp: number;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

/** Constant-time check of a signature header against the raw body, for receivers and tests. */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class WebhookChannel implements Channel {
  readonly kind = "webhook" as const;
  private readonly http: AxiosInstance;
  private readonly defaultUrl: string | undefined;
  private readonly secret: string;
  private readonly now: () => Date;

  constructor(config: WebhookChannelConfig, options: { now?: () => Date } = {}) {
    const c = webhookChannelConfigSchema.parse(config);
    this.defaultUrl = c.url;
    this.secret = c.secret;
    this.now = options.now ?? (() => new Date());
    // No redirects: a signed body is meant for the configured endpoint only.
    this.http = axios.create({ timeout: c.timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  async send(input: OutgoingMessage): Promise<DeliveryResult> {
    const message = parseOutgoingMessage(this.kind, input);
    const url = message.recipient.webhookUrl ?? this.defaultUrl;
    if (url === undefined) {
      throw new DeliveryError("no webhook URL for recipient or channel", {
        channel: this.kind,
        retryable: false,
      });
    }
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const payload: WebhookPayload = {
      id: message.id,
      kind: message.meta.kind,
      schoolId: message.meta.schoolId,
      personId: message.recipient.personId,
      subject: message.subject,
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      timestamp,
    };
    const body = JSON.stringify(payload);
    let response: { status: number; headers: Record<string, unknown> };
    try {
      response = await this.http.post(url, body, {
        // The string goes out byte for byte as signed; no transform may re-serialise it.
        transformRequest: [(data: string) => data],
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          [SIGNATURE_HEADER]: signWebhookBody(body, this.secret),
          [TIMESTAMP_HEADER]: String(timestamp),
          [IDEMPOTENCY_HEADER]: message.id,
        },
      });
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
      throw new DeliveryError(`webhook unreachable${code ? ` (${code})` : ""}`, {
        channel: this.kind,
        retryable: true,
      });
    }
    const { status, headers } = response;
    if (status >= 200 && status < 300) {
      const requestId = headers["x-request-id"];
      return typeof requestId === "string" ? { providerId: requestId } : {};
    }
    // Timeouts, early/too many requests and server faults pass; other answers repeat themselves.
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    const header = headers["retry-after"];
    const retryAfter = parseRetryAfter(typeof header === "string" ? header : undefined);
    throw new DeliveryError(`webhook replied ${status}`, {
      channel: this.kind,
      retryable,
      status,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
}
