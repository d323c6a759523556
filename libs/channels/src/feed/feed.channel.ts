/**
 * The `feed` channel kind. Feeds are rendered on read from the delivered rows in Postgres, so
 * "publishing" only validates the channel and names the item the feed will show; marking the
 * delivery delivered is the whole side effect, which makes it idempotent by construction.
 */
import type { PublishableStory } from '@syndication/contracts';

import { storyUrn, type ChannelAdapter, type DeliveryOutcome } from '../channel';
import { configObject, optionalString, rejectUnknownFields, requiredString } from '../config-fields';

/** The feed is served under the channel's own slug (a column of the channel row), so the config holds only presentation. */
export interface FeedConfig {
  title: string;
  description?: string;
}

export class FeedChannel implements ChannelAdapter<FeedConfig> {
  readonly kind = 'feed' as const;
  /** The feed is rendered from delivered rows: "sending" twice changes nothing. */
  readonly resendSafe = true;

  parseConfig(raw: unknown): FeedConfig {
    const obj = configObject(raw);
    rejectUnknownFields(obj, ['title', 'description']);
    const title = requiredString(obj, 'title');
    const description = optionalString(obj, 'description');
    return description === undefined ? { title } : { title, description };
  }

  /** No I/O: the side effect is the ledger row itself. */
  sendTimeoutMs(): number {
    return 0;
  }

  async publish(_config: FeedConfig, story: PublishableStory): Promise<DeliveryOutcome> {
    return { externalId: storyUrn(story) };
  }
}
