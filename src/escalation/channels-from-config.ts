// Channel instances from the `escalation:` config section, secrets taken from the environment.
import { EmailChannel } from "./channels/email-channel.ts";
import { MailboxChannel } from "./channels/mailbox-channel.ts";
import { TelegramChannel } from "./channels/telegram-channel.ts";
import type { Channel, ChannelKind } from "./channels/types.ts";
import { WebhookChannel } from "./channels/webhook-channel.ts";
import type { EscalationConfig } from "./escalation-config.ts";

/** The channels a deployment has, by kind. */
export type ChannelSet = Partial<Record<ChannelKind, Channel>>;

export class ChannelConfigError extends Error {}

/** Builds the configured channels; a configured channel whose secret is missing from `env` is an error. */
export function channelsFromConfig(
  config: EscalationConfig,
  env: NodeJS.ProcessEnv = process.env,
): ChannelSet {
  const channels: ChannelSet = {};
  const secret = (name: string, what: string): string => {
    const value = env[name];
    if (value === undefined || value === "")
      throw new ChannelConfigError(`escalation.${what}: environment variable ${name} is not set`);
    return value;
  };
  if (config.email?.mailbox !== undefined) {
    // A local mailbox of .eml files (the demo, or a school trying reglament out) instead of SMTP.
    channels.email = new MailboxChannel(config.email.mailbox, config.email.from);
  } else if (config.email) {
    const { passEnv, mailbox: _mailbox, host, port, ...rest } = config.email;
    channels.email = new EmailChannel({
      ...rest,
      host: host!,
      port: port!,
      ...(passEnv === undefined ? {} : { pass: secret(passEnv, "email.passEnv") }),
    });
  }
  if (config.telegram) {
    channels.telegram = new TelegramChannel({
      botToken: secret(config.telegram.botTokenEnv, "telegram.botTokenEnv"),
      ...(config.telegram.apiBaseUrl === undefined ? {} : { apiBaseUrl: config.telegram.apiBaseUrl }),
    });
  }
  if (config.webhook) {
    channels.webhook = new WebhookChannel({
      ...(config.webhook.url === undefined ? {} : { url: config.webhook.url }),
      secret: secret(config.webhook.secretEnv, "webhook.secretEnv"),
    });
  }
  return channels;
}
