/**
 * The contracts between tagging components. A tagger runs entity recognisers in order (each sees
 * the tokens earlier ones claimed), merges their entities by id, then runs the topic classifier
 * and keyword extractor on what the entities left; new recognisers (an NER model, an external
 * NLP service) plug in by implementing EntityRecognizer.
 */
import type { EntityMention, EntityType, TopicTag } from '@syndication/contracts';
import type { Analyzer } from './analyzer';
import type { Token } from './text';

export interface TagInput {
  headline: string;
  body: string;
  /** ISO 639-1 code of the story's language; anything else (e.g. "und") means unknown. */
  language: string;
}

export interface AnalyzedStory {
  /** headline + "\n\n" + body: every offset the tagger reports points into this. */
  text: string;
  /** Offset where the headline ends; words before it weigh more for topics and keywords. */
  headlineEnd: number;
  language: string;
  analyzer: Analyzer;
  tokens: readonly Token[];
}

export interface EntityCandidate {
  id: string;
  type: EntityType;
  name: string;
  mentions: EntityMention[];
  confidence: number;
  source: string;
  /** Token ranges [start, end) this entity covers; later components leave them alone. */
  tokenSpans: Array<[number, number]>;
}

export interface EntityRecognizer {
  readonly source: string;
  /**
   * `claimed` holds the indices of tokens that earlier recognisers already explained, `found` the
   * entities they found (a recogniser may add mentions to them by returning the same id).
   */
  recognise(story: AnalyzedStory, claimed: ReadonlySet<number>, found: readonly EntityCandidate[]): EntityCandidate[];
}

export interface TopicClassifier {
  readonly source: string;
  classify(story: AnalyzedStory, entities: readonly EntityCandidate[], claimed: ReadonlySet<number>): TopicTag[];
}

export interface ScoredKeyword {
  /** A readable dictionary form ("минерал", "mining"), not a stem. */
  text: string;
  /** Weight relative to the story's top keyword, in (0, 1]. */
  score: number;
}

export interface KeywordExtractor {
  /** Best first. */
  extract(story: AnalyzedStory, claimed: ReadonlySet<number>): ScoredKeyword[];
}
