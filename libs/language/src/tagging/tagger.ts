/**
 * The offline tagger: entity recognisers (gazetteer, then the person heuristic) in order, their
 * results merged by entity id, then topics and keywords. Synchronous and self-contained; the
 * vendored data is read and indexed on first use per language. Russian stories go through the
 * trained NER model instead (ner-ru/), which runs the same rule recognisers as its features.
 */
import type { EntityMention, TaggingResult, ExtractedEntity } from '@syndication/contracts';
import { analyzerFor } from './analyzer';
import { GazetteerRecognizer } from './gazetteer';
import { FrequencyKeywordExtractor } from './keywords';
import { OrganisationHeadRecognizer } from './organisation-heads';
import { OrganisationPatternRecognizer } from './organisation-patterns';
import { RussianNerRecognizer } from './ner-ru/recognizer';
import { PersonHeuristicRecognizer } from './person-heuristic';
import { tokenize } from './text';
import { SurnameCoreferenceRecognizer } from './surname-coreference';
import { RuleTopicClassifier } from './topic-classifier';
import type {
  AnalyzedStory,
  EntityCandidate,
  EntityRecognizer,
  KeywordExtractor,
  TagInput,
  TopicClassifier,
} from './types';

export const HEADLINE_SEPARATOR = '\n\n';

export interface TaggerComponents {
  recognizers: readonly EntityRecognizer[];
  topicClassifier: TopicClassifier;
  keywordExtractor: KeywordExtractor;
}

export class Tagger {
  private readonly components: TaggerComponents;
  /** Only with the default recognisers: a caller's own list is used as given for every language. */
  private readonly russian: RussianNerRecognizer | undefined;

  constructor(components: Partial<TaggerComponents> = {}) {
    this.russian = components.recognizers ? undefined : new RussianNerRecognizer();
    this.components = {
      recognizers: components.recognizers ?? [
        new GazetteerRecognizer(),
        new PersonHeuristicRecognizer(),
        new SurnameCoreferenceRecognizer(),
        new OrganisationPatternRecognizer(),
        new OrganisationHeadRecognizer(),
      ],
      topicClassifier: components.topicClassifier ?? new RuleTopicClassifier(),
      keywordExtractor: components.keywordExtractor ?? new FrequencyKeywordExtractor(),
    };
  }

  tag(input: TagInput): TaggingResult {
    const story = analyse(input);
    const claimed = new Set<number>();
    const candidates: EntityCandidate[] = [];
    const recognizers = story.language === 'ru' && this.russian ? [this.russian] : this.components.recognizers;
    for (const recognizer of recognizers) {
      const found = recognizer.recognise(story, claimed, candidates);
      for (const candidate of found) {
        for (const [start, end] of candidate.tokenSpans) for (let index = start; index < end; index += 1) claimed.add(index);
      }
      candidates.push(...found);
    }
    const merged = mergeById(candidates);
    const keywords = this.components.keywordExtractor.extract(story, claimed);
    return {
      entities: merged.map(toExtractedEntity),
      topics: this.components.topicClassifier.classify(story, merged, claimed),
      keywords: keywords.map((keyword) => keyword.text),
      keywordScores: keywords.map((keyword) => keyword.score),
    };
  }
}

export function analyse(input: TagInput): AnalyzedStory {
  const text = `${input.headline}${HEADLINE_SEPARATOR}${input.body}`;
  const language = primaryLanguage(input.language);
  return { text, headlineEnd: input.headline.length, language, analyzer: analyzerFor(language), tokens: tokenize(text) };
}

/** "ru-RU" -> "ru"; empty or "und" stays "und" so that every form language is tried. */
function primaryLanguage(language: string): string {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return primary || 'und';
}

/**
 * The same entity found by several recognisers becomes one: mentions are united, confidences
 * combined, and the source lists every recogniser that found it, most confident first.
 */
export function mergeById(candidates: readonly EntityCandidate[]): EntityCandidate[] {
  const byId = new Map<string, EntityCandidate[]>();
  for (const candidate of candidates) {
    const list = byId.get(candidate.id);
    if (list) list.push(candidate);
    else byId.set(candidate.id, [candidate]);
  }
  const merged: EntityCandidate[] = [];
  for (const group of byId.values()) {
    const ordered = [...group].sort((a, b) => b.confidence - a.confidence);
    const best = ordered[0];
    if (!best) continue;
    const mentions = new Map<number, EntityMention>();
    for (const candidate of ordered) for (const mention of candidate.mentions) mentions.set(mention.offset, mention);
    merged.push({
      ...best,
      mentions: [...mentions.values()].sort((a, b) => a.offset - b.offset),
      confidence: Math.min(0.99, Math.max(...ordered.map((candidate) => candidate.confidence))),
      source: [...new Set(ordered.map((candidate) => candidate.source))].join('+'),
      tokenSpans: ordered.flatMap((candidate) => candidate.tokenSpans),
    });
  }
  // Most mentioned first, then in reading order.
  return merged.sort(
    (a, b) => b.mentions.length - a.mentions.length || (a.mentions[0]?.offset ?? 0) - (b.mentions[0]?.offset ?? 0),
  );
}

function toExtractedEntity(candidate: EntityCandidate): ExtractedEntity {
  const { id, type, name, mentions, confidence, source } = candidate;
  return { id, type, name, mentions, confidence, source };
}

let defaultTagger: Tagger | undefined;

/** Tags one story with the default offline components. */
export function tagStory(input: TagInput): TaggingResult {
  defaultTagger ??= new Tagger();
  return defaultTagger.tag(input);
}
