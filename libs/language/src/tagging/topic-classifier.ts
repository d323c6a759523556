/**
 * Rule-based IPTC Media Topic classifier: counts stem matches of each rule's terms (headline
 * words count double) plus mentions of the entities a rule names, keeps codes with enough
 * evidence, and reports the most specific codes with their ancestors. Three sets of rules feed it:
 * the curated rules (topic-rules.ts), the top-level trigger lexicons of all five languages
 * (topic-triggers.ts) and, for English text, rules derived from the vocabulary's own names and
 * definitions (vocabulary-lexicon.ts). Words already explained by
 * an entity are not counted again ("авиации" inside "Федеральное управление гражданской авиации
 * США" says nothing about air transport).
 */
import type { TopicTag } from '@syndication/contracts';
import { analyzerFor } from './analyzer';
import { mediaTopics } from './media-topics';
import { PhraseIndex, type PhraseMatch } from './phrase-index';
import { TOPIC_RULES, type RuleLanguage, type TopicRule } from './topic-rules';
import { TRIGGER_RULES } from './topic-triggers';
import type { AnalyzedStory, EntityCandidate, TopicClassifier } from './types';
import { vocabularyRules } from './vocabulary-lexicon';

const RULE_LANGUAGES: readonly RuleLanguage[] = ['ru', 'en', 'uk', 'kk', 'mn'];
/** Below this much evidence a topic is an aside, not what the story is about. */
const MIN_EVIDENCE = 2;
const MAX_TOPICS = 8;
const HEADLINE_WEIGHT = 2;
/** Evidence at which the score reaches 1 - 1/e. */
const SCORE_SCALE = 4;
/** A code with less than this share of the best code's evidence is an aside of the story. */
const MIN_SHARE_OF_BEST = 0.15;

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
      // The vocabulary's words are matched in English stories only: in other languages the Latin
      // words are names and acronyms, which its definitions would misread ("CAT 1" is no pet).
      const derived = termLanguage === 'en' && language === 'en' ? vocabularyRules() : [];
      const rules = [...TOPIC_RULES, ...TRIGGER_RULES, ...derived];
      for (const rule of rules) {
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
    const counted = new Map<string, Set<number>>();

    const matches = termIndex(story.language)
      .matchAll(tokens, (position) => !claimed.has(position))
      .filter((match) => match.end - match.start > 1 || !story.analyzer.isStopWord(tokens[match.start]?.norm ?? ''))
      .sort((a, b) => b.end - b.start - (a.end - a.start) || (b.phrase.payload.weight ?? 1) - (a.phrase.payload.weight ?? 1));
    for (const match of matches) this.count(story, match, evidence, counted);

    for (const rule of TOPIC_RULES) {
      if (!rule.entities) continue;
      for (const entity of entities) {
        if (rule.entities.some((pattern) => entityMatches(pattern, entity.id))) {
          // Like words, mentions in the headline count double.
          const amount = entity.mentions.reduce((sum, mention) => sum + (mention.offset < story.headlineEnd ? HEADLINE_WEIGHT : 1), 0);
          evidence.set(rule, (evidence.get(rule) ?? 0) + amount);
        }
      }
    }

    // Several rules may share a code (none do today, but rules are data); pool them.
    const byCode = new Map<string, number>();
    for (const [rule, amount] of evidence) {
      // Rules are data: a retired or unknown code never reaches a story.
      if (!vocabulary.get(rule.code)) continue;
      byCode.set(rule.code, (byCode.get(rule.code) ?? 0) + amount);
    }
    const fired = [...byCode].filter(([, amount]) => amount >= MIN_EVIDENCE);

    // Report the most specific codes: a fired ancestor is folded into its fired descendants.
    // Half its evidence goes to each most specific descendant (a politics trigger word backs
    // "election" and, below it, "national elections" alike).
    const folded = new Set(fired.filter(([code]) => fired.some(([other]) => vocabulary.isAncestor(code, other))).map(([code]) => code));
    const result = new Map(fired.filter(([code]) => !folded.has(code)));
    for (const [code, amount] of fired) {
      if (!folded.has(code)) continue;
      for (const [leaf] of result) if (vocabulary.isAncestor(code, leaf)) result.set(leaf, (result.get(leaf) ?? 0) + amount / 2);
    }

    const best = Math.max(0, ...result.values());
    const topics: TopicTag[] = [];
    for (const [code, amount] of result) {
      const concept = vocabulary.get(code);
      if (!concept || amount < best * MIN_SHARE_OF_BEST) continue;
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

  /**
   * Overlapping terms of one code ("полезные ископаемые", "ископаемые"; a curated term that is
   * also the concept's name) count once, the longest and strongest first.
   */
  private count(
    story: AnalyzedStory,
    match: PhraseMatch<TopicRule>,
    evidence: Map<TopicRule, number>,
    counted: Map<string, Set<number>>,
  ): void {
    const rule = match.phrase.payload;
    let used = counted.get(rule.code);
    if (!used) {
      used = new Set();
      counted.set(rule.code, used);
    }
    for (let index = match.start; index < match.end; index += 1) if (used.has(index)) return;
    for (let index = match.start; index < match.end; index += 1) used.add(index);
    const first = story.tokens[match.start];
    const weight = (first && first.start < story.headlineEnd ? HEADLINE_WEIGHT : 1) * (rule.weight ?? 1);
    evidence.set(rule, (evidence.get(rule) ?? 0) + weight);
  }
}
