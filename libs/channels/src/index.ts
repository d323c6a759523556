/** Public surface of the channels lib: the adapter contract, the built-in kinds and feed rendering. */
export {
  ChannelConfigError,
  ChannelDeliveryError,
  DEFAULT_SEND_TIMEOUT_MS,
  isChannelDeliveryError,
  storyUrn,
  type ChannelAdapter,
  type ChannelDeliveryErrorInit,
  type DeliveryOutcome,
  type PublishContext,
} from './channel';
export { ChannelRegistry } from './registry';
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
