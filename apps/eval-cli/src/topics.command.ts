/**
 * `eval topics <dir>`: scores the offline tagger's IPTC Media Topics against the `medtop` subjects
 * of a directory of NewsML-G2 items (any XML the intake parses). The codes are hidden from the
 * tagger; items without `medtop` subjects are skipped. Needs no running system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, parseDocument, type CanonicalStory } from '@syndication/formats';
import { detectLanguage, scoreTopics, topicItems, type PrfScore } from '@syndication/language';
import type { EvalCommand } from './main';

const percent = (value: number): string => (value * 100).toFixed(1).padStart(5);
const row = (name: string, s: PrfScore): string => `  ${name}  p ${percent(s.p)}  r ${percent(s.r)}  f1 ${percent(s.f1)}`;

export const topicsCommand: EvalCommand = {
  summary: 'IPTC Media Topics P/R/F1 of the offline tagger against the medtop subjects of NewsML-G2 items',
  async run({ target, json }) {
    if (!target) throw new Error('usage: eval topics <directory of NewsML-G2 items> [--json]');
    const stories: CanonicalStory[] = [];
    const unreadable: string[] = [];
    for (const file of readdirSync(target).filter((f) => f.toLowerCase().endsWith('.xml')).sort()) {
      try {
        stories.push(...parseDocument('application/xml', readFileSync(join(target, file), 'utf8')).stories);
      } catch (err) {
        // A document the intake would refuse has no gold to score; say so rather than abort the run.
        if (!(err instanceof FormatError)) throw err;
        unreadable.push(`${file}: ${err.code}`);
      }
    }
    const scores = scoreTopics(topicItems(stories, (text) => detectLanguage(text).language));
    if (unreadable.length) process.stderr.write(`skipped unreadable: ${unreadable.join(', ')}\n`);
    if (json) {
      process.stdout.write(`${JSON.stringify(scores)}\n`);
      return;
    }
    process.stdout.write(`${[`${scores.items} items with medtop subjects`, row('top level', scores.top_level), row('any level', scores.any_level)].join('\n')}\n`);
  },
};
