/**
 * Training the Russian NER model on factRuEval-2016 documents: each document is analysed exactly
 * as the tagger analyses a story (empty headline, the text as body), its gold spans (naeval
 * protocol, see evaluation/factru.ts) become BIO tags on the tagger's own tokens, and each
 * paragraph is one training instance. Also the document folds for cross-validation.
 */
import { goldSpans, type FactruDocument } from '../../evaluation/factru';
import { analyse, HEADLINE_SEPARATOR } from '../tagger';
import { extractFeatures, ruleHints } from './features';
import { DEFAULT_TRAIN_OPTIONS, seededRandom, shuffle, trainPerceptron, type BioTag, type Instance, type PerceptronModel, type TrainOptions } from './perceptron';
import { breaks, ruleRecognizers, runRecognizers, segments } from './recognizer';

/** The document's text as the tagger sees it, with its gold spans turned into BIO tags. */
export function documentInstances(doc: FactruDocument): Instance[] {
  const story = analyse({ headline: '', body: doc.text, language: 'ru' });
  const shift = HEADLINE_SEPARATOR.length;
  const tags: BioTag[] = story.tokens.map(() => 'O');
  for (const span of goldSpans(doc)) {
    const start = span.start + shift;
    const stop = span.stop + shift;
    let first = true;
    for (const token of story.tokens) {
      if (token.end <= start || token.start >= stop) continue;
      tags[token.index] = `${first ? 'B' : 'I'}-${span.type}`;
      first = false;
    }
  }
  const features = extractFeatures(story, ruleHints(story.tokens.length, runRecognizers(story, ruleRecognizers())));
  const stops = breaks(story.tokens);
  return segments(story.tokens).map(([start, end]) => ({
    features: features.slice(start, end),
    tags: tags.slice(start, end),
    breaks: stops.slice(start, end),
  }));
}

export function trainRussianNer(docs: readonly FactruDocument[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): PerceptronModel {
  return trainPerceptron(docs.flatMap(documentInstances), options);
}

/**
 * K folds of document ids: shuffled by the seed, then dealt round-robin, so every document is in
 * exactly one fold and fold sizes differ by at most one.
 */
export function documentFolds(ids: readonly string[], k: number, seed: number): string[][] {
  if (!Number.isInteger(k) || k < 2 || k > ids.length) throw new Error(`folds: need 2 <= k <= ${ids.length}, got ${k}`);
  const folds: string[][] = Array.from({ length: k }, () => []);
  shuffle([...ids].sort(), seededRandom(seed)).forEach((id, index) => folds[index % k]!.push(id));
  return folds;
}
