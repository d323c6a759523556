/**
 * Rule-based IPTC Media Topic classifier: counts stem matches of each rule's terms (headline
 * words count double) plus mentions of the entities a rule names, keeps rules with enough
 * evidence, and reports the most specific codes with their ancestors. Words already explained by
 * an entity are not counted again ("авиации" inside "Федеральное управление гражданской авиации
 * США" says nothing about air transport).
 */
import type { TopicTag } from '@syndication/contracts';
import { analyzerFor } from './analyzer';
import { mediaTopics } from './media-topics';
import { PhraseIndex, type PhraseMatch } from './phrase-index';
import { TOPIC_RULES, type RuleLanguage, type TopicRule } from './topic-rules';
import type { AnalyzedStory, EntityCandidate, TopicClassifier } from './types';

const RULE_LANGUAGES: readonly RuleLanguage[] = ['ru', 'en', 'uk'];
/** Below this much evidence a topic is an aside, not what the story is about. */
const MIN_EVIDENCE = 2;
const MAX_TOPICS = 8;
const HEADLINE_WEIGHT = 2;
/** Evidence at which the score reaches 1 - 1/e. */
const SCORE_SCALE = 4;

const indexes = new Map<string, PhraseIndex<TopicRule>>();

function termLanguages(language: string): readonly RuleLanguage[] {
  if (language === 'en') return ['en'];
  return (RULE_LANGUAGES as readonly string[]).includes(language) ? [language as RuleLanguage, 'en'] : RULE_LANGUAGES;
}

function termIndex(language: string): PhraseIndex<TopicRule> {
  let index = indexes.get(language);
  if (!index) {
    index = new PhraseIndex<TopicRule>(analyzerFor(language), { caseSensitive: false });
    for (const termLanguage of termLanguages(language)) {
      for (const rule of TOPIC_RULES) {
        for (const term of rule.terms[termLanguage] ?? []) index.add(term, rule);
      }
    }
    indexes.set(language, index);
  }
  return index;
}

function entityMatches(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : pattern === id;
}

export class RuleTopicClassifier implements TopicClassifier {
  readonly source = 'rules';

  classify(story: AnalyzedStory, entities: readonly EntityCandidate[], claimed: ReadonlySet<number>): TopicTag[] {
    const vocabulary = mediaTopics();
    const tokens = story.tokens;
    const evidence = new Map<TopicRule, number>();
    const counted = new Map<TopicRule, Set<number>>();

    const matches = termIndex(story.language)
      .matchAll(tokens, (position) => !claimed.has(position))
      .filter((match) => match.end - match.start > 1 || !story.analyzer.isStopWord(tokens[match.start]?.norm ?? ''))
      .sort((a, b) => b.end - b.start - (a.end - a.start));
    for (const match of matches) this.count(story, match, evidence, counted);

    for (const rule of TOPIC_RULES) {
      if (!rule.entities) continue;
      for (const entity of entities) {
        if (rule.entities.some((pattern) => entityMatches(pattern, entity.id))) {
          evidence.set(rule, (evidence.get(rule) ?? 0) + entity.mentions.length);
        }
      }
    }

    // Several rules may share a code (none do today, but rules are data); pool them.
    const byCode = new Map<string, number>();
    for (const [rule, amount] of evidence) byCode.set(rule.code, (byCode.get(rule.code) ?? 0) + amount);
    const fired = [...byCode].filter(([, amount]) => amount >= MIN_EVIDENCE);

    // Report the most specific codes: a fired ancestor is folded into its fired descendants.
    const result = new Map(fired);
    for (const [code, amount] of fired) {
      const descendants = fired.filter(([other]) => vocabulary.isAncestor(code, other));
      if (descendants.length === 0) continue;
      result.delete(code);
      for (const [descendant] of descendants) result.set(descendant, (result.get(descendant) ?? 0) + amount / 2);
    }

    const topics: TopicTag[] = [];
    for (const [code, amount] of result) {
      const concept = vocabulary.get(code);
      if (!concept) continue;
      topics.push({
        code,
        name: concept.name,
        score: Math.round((1 - Math.exp(-amount / SCORE_SCALE)) * 100) / 100,
        ancestors: [...vocabulary.ancestors(code)],
        source: this.source,
      });
    }
    return topics.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).slice(0, MAX_TOPICS);
  }

  /** Overlapping terms of one rule ("полезные ископаемые", "ископаемые") count once. */
  private count(
    story: AnalyzedStory,
    match: PhraseMatch<TopicRule>,
    evidence: Map<TopicRule, number>,
    counted: Map<TopicRule, Set<number>>,
  ): void {
    const rule = match.phrase.payload;
    let used = counted.get(rule);
    if (!used) {
      used = new Set();
      counted.set(rule, used);
    }
    for (let index = match.start; index < match.end; index += 1) if (used.has(index)) return;
    for (let index = match.start; index < match.end; index += 1) used.add(index);
    const first = story.tokens[match.start];
    const weight = first && first.start < story.headlineEnd ? HEADLINE_WEIGHT : 1;
    evidence.set(rule, (evidence.get(rule) ?? 0) + weight);
  }
}
