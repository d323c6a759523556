/**
 * The `ner` evaluation: runs a recogniser (by default the offline tagger) over factRuEval
 * documents and scores it against their gold spans (protocol in factru.ts and ner-score.ts).
 */
import type { EntityType, TaggingResult } from '@syndication/contracts';
import { HEADLINE_SEPARATOR, tagStory } from '../tagging';
import { goldSpans, type FactruDocument } from './factru';
import { NerScorer, type NerScores, type NerSpan, type NerType } from './ner-score';

const NER_TYPE: Record<EntityType, NerType> = { person: 'PER', place: 'LOC', organisation: 'ORG' };

/** Every mention of every entity as a typed character span of `text`, shifted by `offset`. */
export function entitySpans(result: TaggingResult, shift = 0): NerSpan[] {
  return result.entities.flatMap((entity) =>
    entity.mentions.map((mention) => ({
      start: mention.offset - shift,
      stop: mention.offset - shift + mention.surface.length,
      type: NER_TYPE[entity.type],
    })),
  );
}

/**
 * The offline tagger on a plain text with no headline. The tagger reports offsets into
 * headline + separator + body, so they are shifted back onto the text.
 */
export function offlineNerSpans(text: string, language = 'ru'): NerSpan[] {
  const result = tagStory({ headline: '', body: text, language });
  return entitySpans(result, HEADLINE_SEPARATOR.length);
}

export type NerRecogniser = (text: string) => NerSpan[];

export function scoreNer(docs: readonly FactruDocument[], recognise?: NerRecogniser, language = 'ru'): NerScores {
  const run = recognise ?? ((text: string) => offlineNerSpans(text, language));
  const scorer = new NerScorer();
  for (const doc of docs) scorer.add(doc.text, goldSpans(doc), run(doc.text));
  return scorer.result();
}
