/**
 * Rule-based IPTC Media Topic classifier: counts stem matches of each rule's terms (headline
 * words count double, lead words more than the rest, repeats of a word less) plus mentions of the
 * entities a rule names, ranks the top-level fields by that evidence (topic-ranking.ts) and keeps
 * the one or two a desk editor would pick, then reports, under each kept field, its most specific
 * codes with their ancestors. Every topic's score is its relevance in [0, 1]; routing compares it
 * with TOPIC_ROUTING_THRESHOLD. Three sets of rules feed it:
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
import { rankFields, type FieldEvidence } from './topic-ranking';
import { TOPIC_RULES, type RuleLanguage, type TopicRule } from './topic-rules';
import { TRIGGER_RULES } from './topic-triggers';
import type { AnalyzedStory, EntityCandidate, TopicClassifier } from './types';
import { vocabularyRules } from './vocabulary-lexicon';

const RULE_LANGUAGES: readonly RuleLanguage[] = ['ru', 'en', 'uk', 'kk', 'mn'];
/** Below this much evidence a specific code is an aside, not what the story is about. */
const MIN_EVIDENCE = 2;
/** A field (top-level code) with less evidence than this is not reported at all. */
const MIN_FIELD_EVIDENCE = 2;
/** Fields below this relevance are not reported (those between it and the threshold are, unrouted). */
const MIN_RELEVANCE = 0.1;
const MAX_TOPICS = 8;
const HEADLINE_WEIGHT = 2;
/** The lead (first sentence of the body) says what the story is about more than the rest. */
const LEAD_WEIGHT = 1.5;
/** Each further occurrence of a term already counted adds this much of its weight. */
const REPEAT_WEIGHT = 0.5;

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
    const fields = new Map<string, { amount: number; terms: Map<string, number> }>();
    const counted = new Map<string, Set<number>>();
    const leadEnd = leadEndOffset(story);
    const addField = (rule: TopicRule, term: string, amount: number): void => {
      if (!vocabulary.get(rule.code) || rule.specificOnly) return;
      const field = vocabulary.topLevel(rule.code);
      const entry = fields.get(field) ?? { amount: 0, terms: new Map<string, number>() };
      const seen = entry.terms.get(term) ?? 0;
      entry.terms.set(term, seen + 1);
      entry.amount += seen === 0 ? amount : amount * REPEAT_WEIGHT;
      fields.set(field, entry);
    };

    const matches = termIndex(story.language)
      .matchAll(tokens, (position) => !claimed.has(position))
      .filter((match) => match.end - match.start > 1 || !story.analyzer.isStopWord(tokens[match.start]?.norm ?? ''))
      .sort((a, b) => b.end - b.start - (a.end - a.start) || (b.phrase.payload.weight ?? 1) - (a.phrase.payload.weight ?? 1));
    for (const match of matches) {
      const weight = this.count(story, match, leadEnd, evidence, counted);
      if (weight === 0) continue;
      const term = tokens
        .slice(match.start, match.end)
        .map((token) => story.analyzer.stem(token.norm, token.latin))
        .join(' ');
      addField(match.phrase.payload, term, weight);
    }

    for (const rule of TOPIC_RULES) {
      if (!rule.entities) continue;
      for (const entity of entities) {
        if (rule.entities.some((pattern) => entityMatches(pattern, entity.id))) {
          // Like words, mentions in the headline count double.
          const amount = entity.mentions.reduce((sum, mention) => sum + (mention.offset < story.headlineEnd ? HEADLINE_WEIGHT : 1), 0);
          evidence.set(rule, (evidence.get(rule) ?? 0) + amount);
          addField(rule, entity.id, amount);
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

    // The most specific codes: a fired ancestor is folded into its fired descendants. Half its
    // evidence goes to each most specific descendant (a politics trigger word backs "election"
    // and, below it, "national elections" alike).
    const folded = new Set(fired.filter(([code]) => fired.some(([other]) => vocabulary.isAncestor(code, other))).map(([code]) => code));
    const specific = new Map(fired.filter(([code]) => !folded.has(code)));
    for (const [code, amount] of fired) {
      if (!folded.has(code)) continue;
      for (const [leaf] of specific) if (vocabulary.isAncestor(code, leaf)) specific.set(leaf, (specific.get(leaf) ?? 0) + amount / 2);
    }

    const fieldEvidence = new Map<string, FieldEvidence>(
      [...fields].filter(([, e]) => e.amount >= MIN_FIELD_EVIDENCE).map(([code, e]) => [code, { amount: e.amount, distinct: e.terms.size }]),
    );
    const topics: TopicTag[] = [];
    for (const [field, relevance] of rankFields(fieldEvidence)) {
      if (relevance < MIN_RELEVANCE) continue;
      // Under a kept field: its fired specific codes, the strongest with the field's relevance and
      // the others in proportion to their evidence; a field without any fired code stands alone.
      const codes = [...specific].filter(([code]) => vocabulary.topLevel(code) === field).sort((a, b) => b[1] - a[1]);
      const strongest = codes[0]?.[1] ?? 0;
      const scored: Array<[string, number]> = codes.length
        ? codes.map(([code, amount]) => [code, Math.round(relevance * Math.sqrt(amount / strongest) * 100) / 100])
        : [[field, relevance]];
      for (const [code, score] of scored) {
        const concept = vocabulary.get(code);
        if (!concept || score < MIN_RELEVANCE) continue;
        topics.push({ code, name: concept.name, score, ancestors: [...vocabulary.ancestors(code)], source: this.source });
      }
    }
    return topics.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).slice(0, MAX_TOPICS);
  }

  /**
   * Overlapping terms of one code ("полезные ископаемые", "ископаемые"; a curated term that is
   * also the concept's name) count once, the longest and strongest first. Returns the weight
   * added (0 when the match overlapped one already counted).
   */
  private count(
    story: AnalyzedStory,
    match: PhraseMatch<TopicRule>,
    leadEnd: number,
    evidence: Map<TopicRule, number>,
    counted: Map<string, Set<number>>,
  ): number {
    const rule = match.phrase.payload;
    let used = counted.get(rule.code);
    if (!used) {
      used = new Set();
      counted.set(rule.code, used);
    }
    for (let index = match.start; index < match.end; index += 1) if (used.has(index)) return 0;
    for (let index = match.start; index < match.end; index += 1) used.add(index);
    const first = story.tokens[match.start];
    const position = !first ? 1 : first.start < story.headlineEnd ? HEADLINE_WEIGHT : first.start < leadEnd ? LEAD_WEIGHT : 1;
    const weight = position * (rule.weight ?? 1);
    evidence.set(rule, (evidence.get(rule) ?? 0) + weight);
    return weight;
  }
}

/** End of the lead: the body's first sentence (or its first paragraph, if that comes sooner). */
function leadEndOffset(story: AnalyzedStory): number {
  const bodyStart = story.headlineEnd;
  const rest = story.text.slice(bodyStart).replace(/^\s+/u, '');
  const offset = story.text.length - rest.length;
  const sentence = /[.!?…](?=\s|$)|\n\s*\n/u.exec(rest);
  return sentence ? offset + sentence.index + 1 : story.text.length;
}
