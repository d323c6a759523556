/**
 * `eval ner <dir>`: scores the offline tagger's people, places and organisations against a
 * factRuEval-2016 directory under the natasha/naeval protocol (token-level P/R/F1 per type, plus
 * exact-span "strict" figures). Needs no running system.
 */
import { loadFactru, NER_TYPES, scoreNer, type TypeScore } from '@syndication/language';
import type { EvalCommand } from './main';

const percent = (value: number): string => (value * 100).toFixed(1).padStart(5);
const row = (name: string, score: TypeScore): string =>
  `  ${name}  p ${percent(score.p)}  r ${percent(score.r)}  f1 ${percent(score.f1)}  support ${score.support}`;

export const nerCommand: EvalCommand = {
  summary: 'PER/LOC/ORG F1 of the offline tagger on a factRuEval-2016 directory (naeval protocol)',
  async run({ target, json, flags }) {
    if (!target) throw new Error('usage: eval ner <factRuEval directory> [--json] [--language ru]');
    const docs = loadFactru(target);
    const language = flags['language'] ?? 'ru';
    const started = performance.now();
    const scores = scoreNer(docs, undefined, language);
    const elapsed = performance.now() - started;
    if (json) {
      process.stdout.write(`${JSON.stringify(scores)}\n`);
      return;
    }
    const lines = [
      `${docs.length} documents, ${(elapsed / docs.length).toFixed(1)} ms per document (tagging + scoring)`,
      'token level (naeval):',
      ...NER_TYPES.map((type) => row(type, scores[type])),
      'strict (exact span and type):',
      ...NER_TYPES.map((type) => row(type, scores.strict[type])),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
