/**
 * Routing rules as pure functions: which channels a story version reaches, in which languages,
 * and therefore which languages it must be translated into. Kept free of I/O so the rule preview
 * and the pipeline share one definition.
 */
export interface RouteRule {
  id: string;
  channelId: string;
  partnerId: string | null;
  sourceLanguages: string[] | null;
  /**
   * IPTC Media Topic codes (`medtop:20000638`); a code matches a story tagged with it or with any
   * narrower topic, so a rule on "international relations" also takes "diplomacy" stories.
   */
  topics: string[] | null;
  /** Entity ids as the tagger stores them (Wikidata QIDs such as `Q711`, or slugs). */
  entities: string[] | null;
  /** Target languages; the keyword 'source' means the story's own language. */
  languages: string[];
  /** Provider chain for this route's translations (overrides the pair's and the global order). */
  translationProviders?: string[] | null;
  /** 'wait' holds the route's deliveries for its translations up to a deadline; 'source_first' does not. */
  translationPolicy?: TranslationPolicy;
  /** Seconds a 'wait' route holds for its translations; null/absent: the installation default. */
  translationWaitSeconds?: number | null;
}

export type TranslationPolicy = 'wait' | 'source_first';

/**
 * What tagging found, as the tag rows store it: each topic with its broader concepts and whether
 * its relevance passed the routing threshold (absent = passed, as before scores were kept).
 */
export interface StoryTags {
  topics: Array<{ code: string; ancestors: string[]; routable?: boolean }>;
  entities: string[];
}

export interface StoryFacts {
  partnerId: string;
  language: string;
  /**
   * Absent while the story is not tagged yet: tag criteria are then not applied (see
   * translationTargets). An untagged story that reached routing (tagging failed) has empty tags,
   * and rules with tag criteria do not match it.
   */
  tags?: StoryTags;
}

/** Tags that satisfied a rule's tag criteria, for explaining a routing decision. */
export interface MatchedTags {
  topics: string[];
  entities: string[];
}

export const SOURCE_LANGUAGE = 'source';

/** `20000638` and `medtop:20000638` name the same topic; rules may be written either way. */
export function topicCode(code: string): string {
  return code.includes(':') ? code : `medtop:${code}`;
}

/**
 * The story's tags that satisfy the rule's tag criteria, or null when a criterion fails. Criteria
 * are ANDed (like partner and language); the codes within one criterion are alternatives.
 */
export function matchedTags(rule: RouteRule, tags: StoryTags): MatchedTags | null {
  const out: MatchedTags = { topics: [], entities: [] };
  if (rule.topics !== null) {
    const wanted = new Set(rule.topics.map(topicCode));
    out.topics = tags.topics
      .filter((t) => t.routable !== false && (wanted.has(t.code) || t.ancestors.some((a) => wanted.has(a))))
      .map((t) => t.code);
    if (out.topics.length === 0) return null;
  }
  if (rule.entities !== null) {
    const wanted = new Set(rule.entities);
    out.entities = tags.entities.filter((id) => wanted.has(id));
    if (out.entities.length === 0) return null;
  }
  return out;
}

export function routeMatches(rule: RouteRule, story: StoryFacts): boolean {
  if (rule.partnerId !== null && rule.partnerId !== story.partnerId) return false;
  if (rule.sourceLanguages !== null && !rule.sourceLanguages.includes(story.language)) return false;
  if (story.tags && matchedTags(rule, story.tags) === null) return false;
  return true;
}

/** (channel, language) pairs a story reaches; one pair becomes one delivery row. */
export function plannedDeliveries(rules: RouteRule[], story: StoryFacts): Array<{ channelId: string; language: string }> {
  return plannedWithWait(rules, story, 0).map(({ channelId, language }) => ({ channelId, language }));
}

/**
 * Planned deliveries with how long each may wait for its translation: 0 for 'source_first'
 * routes, the route's seconds (else `defaultWaitSeconds`) for 'wait' routes. When several routes
 * reach one channel, the shortest wait wins: no route waits longer than its own policy allows.
 */
export function plannedWithWait(
  rules: RouteRule[],
  story: StoryFacts,
  defaultWaitSeconds: number,
): Array<{ channelId: string; language: string; waitSeconds: number }> {
  const byKey = new Map<string, { channelId: string; language: string; waitSeconds: number }>();
  for (const rule of rules) {
    if (!routeMatches(rule, story)) continue;
    const wait = rule.translationPolicy === 'source_first' ? 0 : (rule.translationWaitSeconds ?? defaultWaitSeconds);
    for (const l of rule.languages) {
      const language = l === SOURCE_LANGUAGE ? story.language : l;
      const key = `${rule.channelId}/${language}`;
      const seen = byKey.get(key);
      if (!seen) byKey.set(key, { channelId: rule.channelId, language, waitSeconds: wait });
      else seen.waitSeconds = Math.min(seen.waitSeconds, wait);
    }
  }
  const out = [...byKey.values()];
  // One wait per channel: its deliveries are released together.
  const perChannel = new Map<string, number>();
  for (const d of out) perChannel.set(d.channelId, Math.min(perChannel.get(d.channelId) ?? Infinity, d.waitSeconds));
  return out.map((d) => ({ ...d, waitSeconds: perChannel.get(d.channelId)! }));
}

/**
 * Route chain overrides per target language (pre-tag, like translationTargets): the first
 * matching route, in rule order, that reaches the language and names a provider chain.
 */
export function routeTranslationChains(rules: RouteRule[], story: Omit<StoryFacts, 'tags'>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const rule of rules) {
    if (!rule.translationProviders?.length || !routeMatches(rule, { partnerId: story.partnerId, language: story.language })) continue;
    for (const l of rule.languages) {
      const language = l === SOURCE_LANGUAGE ? story.language : l;
      if (language !== story.language && !out[language]) out[language] = rule.translationProviders;
    }
  }
  return out;
}

/**
 * Languages to translate into: every planned language other than the story's own.
 *
 * Translation runs in parallel with tagging, so the tags do not exist yet when this is computed:
 * only the pre-tag criteria (partner, source language) are applied, and a rule with topic or
 * entity criteria counts as if it matched. A language may therefore be translated for a rule the
 * tags later rule out (wasted work, never a wrong delivery); the reverse, a delivery whose
 * translation was never made, cannot happen. The deliveries themselves are decided at route time
 * with the tags (plannedDeliveries with `tags`).
 */
export function translationTargets(rules: RouteRule[], story: Omit<StoryFacts, 'tags'>): string[] {
  const preTag: StoryFacts = { partnerId: story.partnerId, language: story.language };
  return [...new Set(plannedDeliveries(rules, preTag).map((d) => d.language))].filter((l) => l !== story.language).sort();
}
