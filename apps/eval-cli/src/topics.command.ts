/**
 * `eval topics <dir> [--json] [--thresholds 0.2,0.3,...]`: scores the offline tagger's IPTC Media
 * Topics against hand-assigned codes: the `medtop` subjects of NewsML-G2 items (any XML the intake
 * parses) and the labels of JSONL evaluation files (libs/language/data/eval/topics). The codes
 * are hidden from the tagger; items without codes are skipped. Prints P/R/F1 at each relevance
 * threshold (the curve routing chooses its TOPIC_ROUTING_THRESHOLD from), overall and per
 * split/language. Needs no running system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOPIC_ROUTING_THRESHOLD } from '@syndication/contracts';
import { FormatError, parseDocument, type CanonicalStory } from '@syndication/formats';
import { detectLanguage, topicCurve, topicItems, topicJsonlItems, type PrfScore, type TopicEvalItem } from '@syndication/language';
import type { EvalCommand } from './main';

const DEFAULT_THRESHOLDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const percent = (value: number): string => (value * 100).toFixed(1).padStart(5);
const prf = (s: PrfScore): string => `p ${percent(s.p)}  r ${percent(s.r)}  f1 ${percent(s.f1)}`;

function thresholdsFrom(flag: string | undefined): number[] {
  if (!flag) return [...new Set([...DEFAULT_THRESHOLDS, DEFAULT_TOPIC_ROUTING_THRESHOLD])].sort((a, b) => a - b);
  const values = flag.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw new Error(`--thresholds: numbers between 0 and 1, comma-separated (got "${flag}")`);
  return values;
}

export const topicsCommand: EvalCommand = {
  summary: 'IPTC Media Topics P/R/F1 per relevance threshold against NewsML-G2 medtop subjects or JSONL desk labels',
  async run({ target, json, flags }) {
    if (!target) throw new Error('usage: eval topics <directory of NewsML-G2 items and/or *.jsonl> [--json] [--thresholds 0.2,0.3]');
    const thresholds = thresholdsFrom(flags['thresholds']);
    const stories: CanonicalStory[] = [];
    const items: TopicEvalItem[] = [];
    const unreadable: string[] = [];
    for (const file of readdirSync(target).sort()) {
      const lower = file.toLowerCase();
      if (lower.endsWith('.jsonl')) items.push(...topicJsonlItems(readFileSync(join(target, file), 'utf8'), file));
      if (!lower.endsWith('.xml')) continue;
      try {
        stories.push(...parseDocument('application/xml', readFileSync(join(target, file), 'utf8')).stories);
      } catch (err) {
        // A document the intake would refuse has no gold to score; say so rather than abort the run.
        if (!(err instanceof FormatError)) throw err;
        unreadable.push(`${file}: ${err.code}`);
      }
    }
    items.push(...topicItems(stories, (text) => detectLanguage(text).language));
    const curve = topicCurve(items, thresholds);
    if (unreadable.length) process.stderr.write(`skipped unreadable: ${unreadable.join(', ')}\n`);
    if (json) {
      process.stdout.write(`${JSON.stringify({ items: items.length, default_threshold: DEFAULT_TOPIC_ROUTING_THRESHOLD, curve })}\n`);
      return;
    }
    const lines = [`${items.length} items with hand-assigned topics; default threshold ${DEFAULT_TOPIC_ROUTING_THRESHOLD}`];
    for (const point of curve) {
      lines.push(`threshold ${point.threshold.toFixed(2)}  top level ${prf(point.all.top_level)}  any level ${prf(point.all.any_level)}  (${point.per_item} top-level per item)`);
      for (const [group, scores] of Object.entries(point.groups)) lines.push(`    ${group.padEnd(8)} top level ${prf(scores.top_level)}  (${scores.items} items)`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
