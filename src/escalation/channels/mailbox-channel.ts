// E-mail delivered into a local mailbox directory as .eml files (the demo's mailbox; a school trying
// reglament without an SMTP relay). The message is built by nodemailer exactly as SMTP would carry it.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import {
  type Channel,
  DeliveryError,
  type DeliveryResult,
  type OutgoingMessage,
  parseOutgoingMessage,
} from "./types.ts";

/** The file name of a message: its idempotency key made safe (a resend overwrites, never duplicates). */
export function mailboxFileName(messageId: string): string {
  return `${messageId.replace(/[^A-Za-z0-9._-]+/g, "_")}.eml`;
}

export class MailboxChannel implements Channel {
  readonly kind = "email" as const;
  private readonly transport: Transporter;

  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }

  async send(input: OutgoingMessage): Promise<DeliveryResult> {
    const message = parseOutgoingMessage(this.kind, input);
    const to = message.recipient.email;
    if (to === undefined)
      throw new DeliveryError("recipient has no e-mail address", { channel: this.kind, retryable: false });
    const messageId = `<${encodeURIComponent(message.id)}@reglament>`;
    try {
      const info = (await this.transport.sendMail({
        from: this.from,
        to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        messageId,
        date: new Date(),
        headers: { "X-Reglament-Message-Id": message.id, "X-Reglament-Kind": message.meta.kind },
      })) as { message: Buffer };
      await mkdir(this.dir, { recursive: true });
      await writeFile(join(this.dir, mailboxFileName(message.id)), info.message);
    } catch (error) {
      throw new DeliveryError("writing to the mailbox failed", {
        channel: this.kind,
        retryable: true,
        cause: error,
      });
    }
    return { providerId: messageId };
  }
}
