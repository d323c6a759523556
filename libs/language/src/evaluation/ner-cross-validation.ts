/**
 * K-fold cross-validation of the Russian NER model by document: for each fold, a model is trained
 * on the other folds' documents and the whole offline tagger, using that model, is scored on the
 * fold's documents under the naeval protocol. Counts are pooled over all folds, so the figure is
 * what the tagger scores on documents it was not trained on.
 */
import { Tagger } from '../tagging/tagger';
import { RussianNerRecognizer, type RussianNerOptions } from '../tagging/ner-ru/recognizer';
import { DEFAULT_TRAIN_OPTIONS, trainPerceptron, type TrainOptions } from '../tagging/ner-ru/perceptron';
import { documentFolds, documentInstances } from '../tagging/ner-ru/train';
import type { FactruDocument } from './factru';
import { goldSpans } from './factru';
import { entitySpans } from './ner-eval';
import { HEADLINE_SEPARATOR } from '../tagging/tagger';
import { NerScorer, type NerScores } from './ner-score';

export interface CrossValidation {
  k: number;
  seed: number;
  /** Held-out scores pooled over every fold. */
  pooled: NerScores;
  folds: Array<{ documents: string[]; scores: NerScores }>;
}

export function crossValidateNer(
  docs: readonly FactruDocument[],
  k: number,
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  recognizerOptions: Omit<RussianNerOptions, 'model'> = {},
): CrossValidation {
  const folds = documentFolds(
    docs.map((doc) => doc.id),
    k,
    options.seed,
  );
  const instances = new Map(docs.map((doc) => [doc.id, documentInstances(doc)]));
  const pooled = new NerScorer();
  const results: CrossValidation['folds'] = [];
  for (const fold of folds) {
    const held = new Set(fold);
    const training = docs.filter((doc) => !held.has(doc.id)).flatMap((doc) => instances.get(doc.id) ?? []);
    const model = trainPerceptron(training, options);
    const tagger = new Tagger({ recognizers: [new RussianNerRecognizer({ ...recognizerOptions, model })] });
    const scorer = new NerScorer();
    for (const doc of docs.filter((candidate) => held.has(candidate.id))) {
      const predicted = entitySpans(tagger.tag({ headline: '', body: doc.text, language: 'ru' }), HEADLINE_SEPARATOR.length);
      const gold = goldSpans(doc);
      scorer.add(doc.text, gold, predicted);
      pooled.add(doc.text, gold, predicted);
    }
    results.push({ documents: fold, scores: scorer.result() });
  }
  return { k, seed: options.seed, pooled: pooled.result(), folds: results };
}
