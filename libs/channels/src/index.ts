/** Public surface of the channels lib: the adapter contract, the built-in kinds and feed rendering. */
export {
  channelStateAfter,
  ChannelConfigError,
  ChannelDeliveryError,
  DEFAULT_SEND_TIMEOUT_MS,
  isChannelDeliveryError,
  storyUrn,
  type ChannelAdapter,
  type ChannelDeliveryErrorInit,
  type ChannelStateChange,
  type DeliveryOutcome,
  type PublishContext,
} from './channel';
export { ChannelRegistry, createChannelRegistry, type ChannelRegistryOptions, type ConfigOpener } from './registry';
export { escapeHtml, paragraphsToHtml, sanitizeStoryHtml, STORY_HTML_OPTIONS } from './html';
export { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after';
export {
  classifyFetchError,
  classifyResponse,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  generateWebhookSecret,
  WebhookChannel,
  type WebhookConfig,
} from './webhook/webhook.channel';
export {
  buildWebhookPayload,
  STORY_PUBLISHED_EVENT,
  toNinjs,
  WEBHOOK_NINJS_VERSION,
  type NinjsStory,
  type SyndicationMeta,
  type WebhookPayload,
} from './webhook/webhook.payload';
export { FeedChannel, type FeedConfig } from './feed/feed.channel';
export { FEED_CONTENT_TYPES, renderFeed, type FeedFormat, type FeedMeta, type RenderedFeed } from './feed/feed.render';
export { buildWithdrawalPayload, type WithdrawalPayload } from './webhook/webhook.withdrawal';
export { sanitizeStable } from './html';
export { MemoryCooldownStore, RedisCooldownStore, type CooldownStore } from './cooldown';
export { guardedFetch } from './guarded-fetch';
export { TelegramChannel, TELEGRAM_API_ROOT, classifyTelegramError, type TelegramConfig } from './telegram/telegram.channel';
export { renderTelegramMessage, sanitizeTelegramHtml, TELEGRAM_CAPTION_LIMIT, TELEGRAM_MESSAGE_LIMIT } from './telegram/telegram.render';
export { EmailChannel, classifySmtpError, type EmailConfig } from './email/email.channel';
export { renderEmail, sanitizeEmailHtml, type RenderedEmail } from './email/email.render';
export { MastodonChannel, type MastodonConfig } from './mastodon/mastodon.channel';
export { MASTODON_DEFAULT_LIMIT, mastodonLength, renderMastodonStatus } from './mastodon/mastodon.render';
export { CHANNEL_GATE, OPEN_GATE, RedisChannelGate, type ChannelGate } from './gate';
export { nextRetry, RETRY_SCHEDULES, type RetryDecision } from './retry-schedule';
