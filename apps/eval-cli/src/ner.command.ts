/**
 * `eval ner <dir>`: scores the offline tagger's people, places and organisations against a
 * factRuEval-2016 directory under the natasha/naeval protocol (token-level P/R/F1 per type, plus
 * exact-span "strict" figures). Needs no running system.
 *
 * `--folds K` instead cross-validates the Russian NER model by document (train on K-1 folds,
 * score the tagger on the held-out fold, counts pooled): the figure for documents the shipped
 * model has never seen. `--seed` and `--epochs` as for `train:ner`.
 */
import { crossValidateNer, DEFAULT_TRAIN_OPTIONS, loadFactru, NER_TYPES, scoreNer, type NerScores, type TypeScore } from '@syndication/language';
import type { EvalCommand } from './main';

const percent = (value: number): string => (value * 100).toFixed(1).padStart(5);
const row = (name: string, score: TypeScore): string =>
  `  ${name}  p ${percent(score.p)}  r ${percent(score.r)}  f1 ${percent(score.f1)}  support ${score.support}`;
const table = (scores: NerScores): string[] => [
  'token level (naeval):',
  ...NER_TYPES.map((type) => row(type, scores[type])),
  'strict (exact span and type):',
  ...NER_TYPES.map((type) => row(type, scores.strict[type])),
];

export const nerCommand: EvalCommand = {
  summary: 'PER/LOC/ORG F1 of the offline tagger on a factRuEval-2016 directory (naeval protocol); --folds K cross-validates',
  async run({ target, json, flags }) {
    if (!target) throw new Error('usage: eval ner <factRuEval directory> [--json] [--language ru] [--folds K [--seed N] [--epochs N]]');
    const docs = loadFactru(target);
    const started = performance.now();
    if (flags['folds'] !== undefined) {
      const k = Number(flags['folds']);
      const options = {
        ...DEFAULT_TRAIN_OPTIONS,
        ...(flags['seed'] !== undefined ? { seed: Number(flags['seed']) } : {}),
        ...(flags['epochs'] !== undefined ? { epochs: Number(flags['epochs']) } : {}),
      };
      const result = crossValidateNer(docs, k, options);
      if (json) {
        process.stdout.write(`${JSON.stringify({ ...result.pooled, folds: k, seed: options.seed, per_fold: result.folds.map((fold) => fold.scores) })}\n`);
        return;
      }
      const lines = [
        `${docs.length} documents, ${k}-fold cross-validation by document (seed ${options.seed}, ${options.epochs} epochs), ${((performance.now() - started) / 1000).toFixed(1)} s`,
        'held-out, pooled over folds:',
        ...table(result.pooled),
        `per fold token F1 (PER/LOC/ORG): ${result.folds.map((fold) => NER_TYPES.map((type) => fold.scores[type].f1.toFixed(2)).join('/')).join('  ')}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    const language = flags['language'] ?? 'ru';
    const scores = scoreNer(docs, undefined, language);
    const elapsed = performance.now() - started;
    if (json) {
      process.stdout.write(`${JSON.stringify(scores)}\n`);
      return;
    }
    const lines = [`${docs.length} documents, ${(elapsed / docs.length).toFixed(1)} ms per document (tagging + scoring)`, ...table(scores)];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
