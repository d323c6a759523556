/**
 * The JSON body our webhooks carry: a Standard Webhooks envelope around a ninjs-like view of the
 * story, plus our own fields under `x-syndication`. Kept apart from the sender so the shape can
 * be tested and documented without HTTP.
 */
import type { EntityType, LanguageCode, PublishableStory } from '@syndication/contracts';

import { paragraphsToHtml } from '../html';
import { mediaTopicUri, wikidataUri } from '../vocab';

export const STORY_PUBLISHED_EVENT = 'story.published';

export interface NinjsTopicSubject {
  code: string;
  name: string;
  scheme: 'medtop';
  uri?: string;
}

export interface NinjsEntitySubject {
  name: string;
  /** Present only for Wikidata QIDs; our slug ids are not public identifiers. */
  uri?: string;
  type: EntityType;
}

export interface NinjsStory {
  uri: string;
  type: 'text';
  /** ninjs carries version as a string. */
  version: string;
  versioncreated: string;
  language: LanguageCode;
  headline: string;
  located?: string;
  body_text: string;
  body_html: string;
  subject: Array<NinjsTopicSubject | NinjsEntitySubject>;
  keywords: string[];
  'x-syndication': {
    storyId: string;
    versionId: string;
    deliveryId: string;
    machineTranslated: boolean;
    /** Translation provider; null for a source-language version. */
    provider: string | null;
    sourceLanguage: LanguageCode | 'und';
  };
}

export interface WebhookPayload {
  type: typeof STORY_PUBLISHED_EVENT;
  timestamp: string;
  data: NinjsStory;
}

export function toNinjs(story: PublishableStory, deliveryId: string = story.deliveryId): NinjsStory {
  const topics: NinjsTopicSubject[] = story.tags.topics.map((t) => {
    const uri = mediaTopicUri(t.code);
    return uri ? { code: t.code, name: t.name, scheme: 'medtop', uri } : { code: t.code, name: t.name, scheme: 'medtop' };
  });
  const entities: NinjsEntitySubject[] = story.tags.entities.map((e) => {
    const uri = wikidataUri(e.id);
    return uri ? { name: e.name, uri, type: e.type } : { name: e.name, type: e.type };
  });
  const ninjs: NinjsStory = {
    uri: story.uri,
    type: 'text',
    version: String(story.version),
    versioncreated: story.receivedAt,
    language: story.language,
    headline: story.headline,
    body_text: story.paragraphs.join('\n\n'),
    body_html: paragraphsToHtml(story.paragraphs),
    subject: [...topics, ...entities],
    keywords: [...story.tags.keywords],
    'x-syndication': {
      storyId: story.storyId,
      versionId: story.versionId,
      deliveryId,
      machineTranslated: story.machineTranslated,
      provider: story.translationProvider ?? null,
      sourceLanguage: story.sourceLanguage,
    },
  };
  if (story.dateline) ninjs.located = story.dateline;
  return ninjs;
}

export function buildWebhookPayload(
  story: PublishableStory,
  opts: { now?: Date; deliveryId?: string } = {},
): WebhookPayload {
  const now = opts.now ?? new Date();
  return { type: STORY_PUBLISHED_EVENT, timestamp: now.toISOString(), data: toNinjs(story, opts.deliveryId) };
}
