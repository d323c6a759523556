/**
 * Shapes that cross lib boundaries: what the tagger produces, what the clean-up removed, and the
 * rendered view of one story version in one language that channels publish.
 */
import type { LanguageCode } from './language';

export type EntityType = 'person' | 'organisation' | 'place';

export interface EntityMention {
  /** The text as it appears in the story, e.g. "Монголии". */
  surface: string;
  /** UTF-16 offset into the text the tagger was given (headline + "\n\n" + body). */
  offset: number;
}

export interface ExtractedEntity {
  /** Stable id where known (Wikidata QID, e.g. "Q711"), else a slug such as "person:ivan-petrov". */
  id: string;
  type: EntityType;
  /** Canonical English name, e.g. "Mongolia", "Battsetseg Batmunkh". */
  name: string;
  mentions: EntityMention[];
  confidence: number;
  /** What produced it, e.g. "gazetteer", "heuristic". */
  source: string;
}

export interface TopicTag {
  /** IPTC Media Topic code, e.g. "medtop:20000568". */
  code: string;
  name: string;
  /** Relevance in [0, 1]: how strongly the story is about this topic, comparable across stories. */
  score: number;
  /**
   * Whether the score passes the routing threshold (TOPIC_ROUTING_THRESHOLD); routes match only
   * such topics. Absent where no threshold was applied (e.g. a tag stored before scores existed).
   */
  routable?: boolean;
  /** Codes of its broader concepts, nearest first. */
  ancestors: string[];
  source: string;
}

/**
 * Default relevance a topic needs for routes to match it, chosen from the precision/recall curve
 * of `eval topics` on the development half of the topic evaluation set (see libs/language).
 */
export const DEFAULT_TOPIC_ROUTING_THRESHOLD = 0.6;

export interface TaggingResult {
  entities: ExtractedEntity[];
  topics: TopicTag[];
  /** Readable lemmas, best first. */
  keywords: string[];
  /** The score in (0, 1] of each keyword, same order; absent where scores were not kept. */
  keywordScores?: number[];
}

export interface RemovedSpan {
  /** Why it was removed: "promo_footer", "navigation", "earlier_reported", ... or a partner rule's reason. */
  reason: string;
  text: string;
  /** Id of the partner clean-up rule that removed it; absent for the generic rules (named by `reason`). */
  rule?: string;
}

/** One story version rendered in one language, as channels receive it. */
export interface PublishableStory {
  storyId: string;
  versionId: string;
  version: number;
  deliveryId: string;
  partner: string;
  /** The partner's own id for the story (ninjs uri, or a content hash for plain text). */
  uri: string;
  language: LanguageCode;
  sourceLanguage: LanguageCode | 'und';
  /** True when this language version is a machine translation. */
  machineTranslated: boolean;
  translationProvider?: string;
  headline: string;
  dateline?: string;
  /** Paragraphs of plain text; channels render and escape them themselves. */
  paragraphs: string[];
  /** Date the story is about (from the source), ISO date. */
  storyDate?: string;
  receivedAt: string;
  /** After this instant (ISO 8601) the story must not be used; feeds drop it then. */
  expires?: string;
  tags: TaggingResult;
}
