// Telegram Bot API sendMessage. The bot token is part of the URL, so nothing that carries the URL
// (axios errors, request configs) is ever attached to a DeliveryError.
import axios, { type AxiosInstance } from "axios";
import { z } from "zod";
import { TELEGRAM_TRUNCATED } from "../messages.ru.ts";
import {
  type Channel,
  DeliveryError,
  type DeliveryResult,
  type OutgoingMessage,
  parseOutgoingMessage,
  parseRetryAfter,
} from "./types.ts";

export const telegramChannelConfigSchema = z.object({
  /** `123456:ABC-DEF…` as issued by @BotFather. */
  botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "expected a bot token like 123456:ABC-DEF"),
  /** Overridable for a local Bot API server or a test double. */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).default("https://api.telegram.org"),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type TelegramChannelConfig = z.input<typeof telegramChannelConfigSchema>;

/** Telegram's limit on the text of one message, counted after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

const telegramReplySchema = z.object({
  ok: z.boolean(),
  result: z.object({ message_id: z.number() }).loose().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).loose().optional(),
});

/** Escapes text for parse_mode HTML: the Bot API accepts only these three entities in plain text. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The HTML body: the subject in bold, a blank line, the plain text. Cut at a line boundary when too
 * long for one message (the full digest goes by e-mail and stays in the dashboard).
 */
export function renderTelegramHtml(subject: string, text: string): string {
  const budget = TELEGRAM_TEXT_LIMIT - subject.length - 2;
  let body = text;
  if (body.length > budget) {
    const room = Math.max(0, budget - TELEGRAM_TRUNCATED.length - 1);
    const cut = body.lastIndexOf("\n", room);
    body = `${body.slice(0, cut > 0 ? cut : room)}\n${TELEGRAM_TRUNCATED}`;
  }
  return `<b>${escapeTelegramHtml(subject)}</b>\n\n${escapeTelegramHtml(body)}`;
}

export class TelegramChannel implements Channel {
  readonly kind = "telegram" as const;
  private readonly http: AxiosInstance;
  private readonly path: string;

  constructor(config: TelegramChannelConfig) {
    const c = telegramChannelConfigSchema.parse(config);
    this.http = axios.create({
      baseURL: c.apiBaseUrl.replace(/\/+$/, ""),
      timeout: c.timeoutMs,
      validateStatus: () => true,
      headers: { "Content-Type": "application/json" },
    });
    this.path = `/bot${c.botToken}/sendMessage`;
  }

  async send(input: OutgoingMessage): Promise<DeliveryResult> {
    const message = parseOutgoingMessage(this.kind, input);
    const chatId = message.recipient.telegramChatId;
    if (chatId === undefined) {
      throw new DeliveryError("recipient has no Telegram chat id", { channel: this.kind, retryable: false });
    }
    let response: { status: number; data: unknown; headers: Record<string, unknown> };
    try {
      response = await this.http.post(this.path, {
        chat_id: Number.isSafeInteger(Number(chatId)) ? Number(chatId) : chatId,
        text: renderTelegramHtml(message.subject, message.text),
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      });
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
      throw new DeliveryError(`Telegram unreachable${code ? ` (${code})` : ""}`, {
        channel: this.kind,
        retryable: true,
      });
    }
    return interpretReply(response.status, response.data, response.headers);
  }
}

function interpretReply(status: number, data: unknown, headers: Record<string, unknown>): DeliveryResult {
  const reply = telegramReplySchema.safeParse(data);
  if (status >= 200 && status < 300 && reply.success && reply.data.ok) {
    const id = reply.data.result?.message_id;
    return id === undefined ? {} : { providerId: String(id) };
  }
  const description = reply.success ? (reply.data.description ?? "") : "unreadable reply";
  const header = headers["retry-after"];
  const retryAfter =
    (reply.success ? reply.data.parameters?.retry_after : undefined) ??
    parseRetryAfter(typeof header === "string" ? header : undefined);
  const code = status >= 200 && status < 300 ? (reply.success ? (reply.data.error_code ?? 0) : 0) : status;
  // 429 and 5xx pass; every other 4xx (bad chat, bot blocked, bad markup) fails again the same way.
  const retryable = code === 429 || code >= 500 || code === 0;
  throw new DeliveryError(`Telegram replied ${code}: ${description}`.trim(), {
    channel: "telegram",
    retryable,
    status: code,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}
