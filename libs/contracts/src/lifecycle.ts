/**
 * A story's life after intake: what its latest version says about publishing it (IPTC pubstatus,
 * embargo, expiry), and the notice channels receive when a story they carry is withdrawn or held.
 */
import type { ChannelKind } from './pipeline';

/** IPTC pubstatus of the latest version: `canceled` is a kill (final), `withheld` a reversible hold. */
export const PUB_STATUSES = ['usable', 'withheld', 'canceled'] as const;
export type PubStatus = (typeof PUB_STATUSES)[number];

/**
 * A ledger row either publishes a story version (`publish`) or tells a channel that already
 * carries the story to stop showing it (`withdraw`: kill or hold notice).
 */
export const DELIVERY_KINDS = ['publish', 'withdraw'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/**
 * Channel kinds that are told about withdrawals (a notice, a deleted message or post, a retraction
 * mail); feeds need no notice, they stop rendering the item.
 */
export const NOTICE_CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'telegram', 'email', 'mastodon'];

export const STORY_WITHDRAWN_EVENT = 'story.withdrawn';
export const STORY_WITHHELD_EVENT = 'story.withheld';

/** What a channel receives for a `withdraw` delivery: one story in one language it carried. */
export interface WithdrawalNotice {
  deliveryId: string;
  storyId: string;
  /** The partner's id for the story. */
  uri: string;
  partner: string;
  language: string;
  /** `canceled` -> story.withdrawn (final); `withheld` -> story.withheld (a later version may release it). */
  pubStatus: Exclude<PubStatus, 'usable'>;
  /** The version that withdrew or held the story. */
  version: number;
  reason: string;
  /** When the withdrawal was accepted (ISO 8601, Postgres time). */
  at: string;
}
