/**
 * The JSON body our webhooks carry: a Standard Webhooks envelope whose `data` is an IPTC ninjs 2.1
 * document (the same builder as the story API's `?format=ninjs`), and our own fields beside it
 * under `x-syndication`, because ninjs refuses unknown properties inside the document. Kept apart
 * from the sender so the shape can be tested and documented without HTTP.
 */
import type { LanguageCode, PublishableStory } from '@syndication/contracts';
import { buildNinjs, type NinjsDocument } from '@syndication/formats';

export const STORY_PUBLISHED_EVENT = 'story.published';
export const WEBHOOK_NINJS_VERSION = '2.1';

export type NinjsStory = NinjsDocument;

export interface SyndicationMeta {
  storyId: string;
  versionId: string;
  deliveryId: string;
  machineTranslated: boolean;
  /** Translation provider; null for a source-language version. */
  provider: string | null;
  sourceLanguage: LanguageCode | 'und';
}

export interface WebhookPayload {
  type: typeof STORY_PUBLISHED_EVENT;
  timestamp: string;
  data: NinjsStory;
  'x-syndication': SyndicationMeta;
}

export function toNinjs(story: PublishableStory): NinjsStory {
  return buildNinjs(
    {
      uri: story.uri,
      version: story.version,
      versionCreated: story.receivedAt,
      language: story.language,
      headline: story.headline,
      paragraphs: story.paragraphs,
      topics: story.tags.topics,
      entities: story.tags.entities,
      keywords: story.tags.keywords,
      ...(story.dateline ? { dateline: story.dateline } : {}),
      // Receivers honour expiry themselves: no event is sent when it passes.
      ...(story.expires ? { expires: story.expires } : {}),
    },
    WEBHOOK_NINJS_VERSION,
  );
}

export function buildWebhookPayload(
  story: PublishableStory,
  opts: { now?: Date; deliveryId?: string } = {},
): WebhookPayload {
  const now = opts.now ?? new Date();
  return {
    type: STORY_PUBLISHED_EVENT,
    timestamp: now.toISOString(),
    data: toNinjs(story),
    'x-syndication': {
      storyId: story.storyId,
      versionId: story.versionId,
      deliveryId: opts.deliveryId ?? story.deliveryId,
      machineTranslated: story.machineTranslated,
      provider: story.translationProvider ?? null,
      sourceLanguage: story.sourceLanguage,
    },
  };
}
