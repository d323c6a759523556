/**
 * The `feed` channel kind. Feeds are rendered on read from the delivered rows in Postgres, so
 * "publishing" only validates the channel and names the item the feed will show; marking the
 * delivery delivered is the whole side effect, which makes it idempotent by construction.
 */
import type { PublishableStory } from '@syndication/contracts';

import { ChannelConfigError, storyUrn, type ChannelAdapter, type DeliveryOutcome } from '../channel';
import { configObject, optionalString, rejectUnknownFields, requiredString } from '../config-fields';

export interface FeedConfig {
  title: string;
  /** Path segment the feed is served under; defaults to the channel id where the server mounts it. */
  slug?: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export class FeedChannel implements ChannelAdapter<FeedConfig> {
  readonly kind = 'feed' as const;

  parseConfig(raw: unknown): FeedConfig {
    const obj = configObject(raw);
    rejectUnknownFields(obj, ['title', 'slug']);
    const title = requiredString(obj, 'title');
    const slug = optionalString(obj, 'slug');
    if (slug === undefined) return { title };
    if (!SLUG.test(slug)) {
      throw new ChannelConfigError('slug', 'must be 1-64 lowercase letters, digits or inner hyphens');
    }
    return { title, slug };
  }

  async publish(_config: FeedConfig, story: PublishableStory): Promise<DeliveryOutcome> {
    return { externalId: storyUrn(story) };
  }
}
