// Public surface of escalation delivery: channels, digests, quiet hours and the ladder.
export { EmailChannel, type EmailChannelConfig, emailChannelConfigSchema } from "./channels/email-channel.ts";
export {
  escapeTelegramHtml,
  renderTelegramHtml,
  TELEGRAM_TEXT_LIMIT,
  TelegramChannel,
  type TelegramChannelConfig,
  telegramChannelConfigSchema,
} from "./channels/telegram-channel.ts";
export {
  type Channel,
  type ChannelKind,
  channelKindSchema,
  DeliveryError,
  type DeliveryErrorOptions,
  type DeliveryResult,
  type MessageKind,
  messageKindSchema,
  type OutgoingMessage,
  outgoingMessageSchema,
  parseOutgoingMessage,
  parseRetryAfter,
  type Recipient,
  recipientSchema,
} from "./channels/types.ts";
export {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signWebhookBody,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
  WebhookChannel,
  type WebhookChannelConfig,
  type WebhookPayload,
  webhookChannelConfigSchema,
} from "./channels/webhook-channel.ts";
export {
  buildDailyDigests,
  buildWeeklySummaries,
  type DailyDigestInput,
  type Digest,
  type WeeklySummaryInput,
} from "./digest.ts";
export {
  type EscalationLevel,
  escalationLevel,
  type LadderPeople,
  LEVEL,
  MAX_LEVEL,
  recipientsFor,
} from "./ladder.ts";
export {
  type OpenFinding,
  openFindingSchema,
  type ResolvedFinding,
  resolvedFindingSchema,
  type StaffMember,
  staffMemberSchema,
} from "./open-finding.ts";
export {
  type DeliveryWindow,
  type DeliveryWindowConfig,
  deliveryWindowSchema,
  nextDeliveryTime,
} from "./quiet-hours.ts";
