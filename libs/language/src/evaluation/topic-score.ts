/**
 * The `topics` evaluation: the offline tagger's IPTC Media Topics against the `medtop` subjects a
 * partner coded by hand, or against the desk labels of the JSONL evaluation set
 * (data/eval/topics). The tagger sees only headline and body text, never the labels, so the
 * figures measure what it would add to an uncoded story.
 *
 * Scores are micro-averaged over items, on sets of codes per item:
 *  - top_level: every predicted and gold code is rolled up to its top-level ancestor (a story
 *    about "diplomacy" and one about "politics" agree at the top), so near misses count;
 *  - any_level: exact code match at whatever depth the code sits.
 * Codes the vocabulary does not know (retired, misspelt) roll up to themselves.
 */
import { tagStory } from '../tagging';
import { mediaTopics } from '../tagging/media-topics';

export interface TopicEvalItem {
  id: string;
  headline: string;
  body: string;
  language: string;
  /** Gold codes as `medtop:<code>`. */
  gold: string[];
  /** `dev` (rules may be tuned on it) or `test` (reported only); absent for NewsML-G2 items. */
  split?: string;
}

export interface PrfScore {
  p: number;
  r: number;
  f1: number;
}

export interface TopicScores {
  items: number;
  top_level: PrfScore;
  any_level: PrfScore;
}

/** The subset of a canonical story the topic eval reads (kept structural: formats is not a dependency here). */
export interface CodedStory {
  externalId?: string;
  headline: string;
  paragraphs: string[];
  language?: string;
  subjects?: Array<{ scheme?: string; code?: string }>;
}

const MEDTOP = 'medtop';

/** The story's `medtop` subjects as `medtop:<code>`, deduplicated, in document order. */
export function goldTopics(story: CodedStory): string[] {
  const codes = (story.subjects ?? []).filter((s) => s.scheme === MEDTOP && s.code).map((s) => `${MEDTOP}:${s.code!}`);
  return [...new Set(codes)];
}

/**
 * Eval items from parsed stories; stories without `medtop` subjects are dropped, since there is
 * nothing to score them against (an empty gold set would only punish precision).
 */
export function topicItems(stories: readonly CodedStory[], detect: (text: string) => string): TopicEvalItem[] {
  return stories.flatMap((story, i) => {
    const gold = goldTopics(story);
    if (gold.length === 0) return [];
    const body = story.paragraphs.join('\n\n');
    return [{ id: story.externalId ?? String(i), headline: story.headline, body, language: story.language ?? detect(`${story.headline}\n\n${body}`), gold }];
  });
}

/** The top-level concept of a code (the last of its ancestors), or the code itself. */
export function topLevelTopic(code: string): string {
  const ancestors = mediaTopics().ancestors(code);
  return ancestors[ancestors.length - 1] ?? code;
}

class MicroPrf {
  private tp = 0;
  private predicted = 0;
  private gold = 0;

  add(gold: ReadonlySet<string>, predicted: ReadonlySet<string>): void {
    for (const code of predicted) if (gold.has(code)) this.tp++;
    this.predicted += predicted.size;
    this.gold += gold.size;
  }

  result(): PrfScore {
    const p = this.predicted ? this.tp / this.predicted : 0;
    const r = this.gold ? this.tp / this.gold : 0;
    const f1 = p + r ? (2 * p * r) / (p + r) : 0;
    const round = (n: number): number => Math.round(n * 10_000) / 10_000;
    return { p: round(p), r: round(r), f1: round(f1) };
  }
}

export type TopicPredictor = (item: TopicEvalItem) => string[];
/** Topics with their relevance, so that one tagging run can be cut at several thresholds. */
export type ScoredTopicPredictor = (item: TopicEvalItem) => Array<{ code: string; score: number }>;

export const offlineTopics: TopicPredictor = (item) =>
  tagStory({ headline: item.headline, body: item.body, language: item.language }).topics.map((t) => t.code);

export function scoreTopics(items: readonly TopicEvalItem[], predict: TopicPredictor = offlineTopics): TopicScores {
  const top = new MicroPrf();
  const any = new MicroPrf();
  for (const item of items) {
    const predicted = predict(item);
    any.add(new Set(item.gold), new Set(predicted));
    top.add(new Set(item.gold.map(topLevelTopic)), new Set(predicted.map(topLevelTopic)));
  }
  return { items: items.length, top_level: top.result(), any_level: any.result() };
}

export const offlineScoredTopics: ScoredTopicPredictor = (item) =>
  tagStory({ headline: item.headline, body: item.body, language: item.language }).topics.map((t) => ({ code: t.code, score: t.score }));

export interface TopicCurvePoint {
  threshold: number;
  /** Top-level codes emitted per item at this threshold. */
  per_item: number;
  all: TopicScores;
  /** Keyed by `<split>/<language>` ("dev/en"), or by language when items have no split. */
  groups: Record<string, TopicScores>;
}

/**
 * P/R/F1 at each threshold: a topic counts as emitted when its relevance reaches the threshold,
 * which is exactly what routing does with TOPIC_ROUTING_THRESHOLD. The tagger runs once per item.
 */
export function topicCurve(
  items: readonly TopicEvalItem[],
  thresholds: readonly number[],
  predict: ScoredTopicPredictor = offlineScoredTopics,
): TopicCurvePoint[] {
  const predicted = items.map((item) => ({ item, topics: predict(item) }));
  const groupOf = (item: TopicEvalItem): string => (item.split ? `${item.split}/${item.language}` : item.language);
  const groups = [...new Set(items.map(groupOf))].sort();
  return thresholds.map((threshold) => {
    const cut = new Map(predicted.map(({ item, topics }) => [item, topics.filter((t) => t.score >= threshold).map((t) => t.code)]));
    const score = (subset: readonly TopicEvalItem[]): TopicScores => scoreTopics(subset, (item) => cut.get(item) ?? []);
    const emitted = [...cut.values()].reduce((sum, codes) => sum + new Set(codes.map(topLevelTopic)).size, 0);
    return {
      threshold,
      per_item: items.length ? Math.round((emitted / items.length) * 100) / 100 : 0,
      all: score(items),
      groups: Object.fromEntries(groups.map((g) => [g, score(items.filter((item) => groupOf(item) === g))])),
    };
  });
}

/**
 * Items of the JSONL evaluation set: one story per line, `{id, language, split, headline, body,
 * labels}` with labels as `medtop:<code>` (see data/eval/topics/README.md).
 */
export function topicJsonlItems(text: string, source = 'jsonl'): TopicEvalItem[] {
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      const raw = JSON.parse(line) as Partial<{ id: string; language: string; split: string; headline: string; body: string; labels: string[] }>;
      if (typeof raw.headline !== 'string' || typeof raw.body !== 'string' || !Array.isArray(raw.labels) || raw.labels.length === 0) {
        throw new Error(`${source}:${index + 1}: needs headline, body and at least one label`);
      }
      return {
        id: raw.id ?? `${source}:${index + 1}`,
        headline: raw.headline,
        body: raw.body,
        language: raw.language ?? 'und',
        gold: raw.labels.map((code) => (code.includes(':') ? code : `${MEDTOP}:${code}`)),
        ...(raw.split ? { split: raw.split } : {}),
      };
    });
}
