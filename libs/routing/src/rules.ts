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
  /** Target languages; the keyword 'source' means the story's own language. */
  languages: string[];
}

export interface StoryFacts {
  partnerId: string;
  language: string;
}

export const SOURCE_LANGUAGE = 'source';

export function routeMatches(rule: RouteRule, story: StoryFacts): boolean {
  if (rule.partnerId !== null && rule.partnerId !== story.partnerId) return false;
  if (rule.sourceLanguages !== null && !rule.sourceLanguages.includes(story.language)) return false;
  return true;
}

/** (channel, language) pairs a story reaches; one pair becomes one delivery row. */
export function plannedDeliveries(rules: RouteRule[], story: StoryFacts): Array<{ channelId: string; language: string }> {
  const seen = new Set<string>();
  const out: Array<{ channelId: string; language: string }> = [];
  for (const rule of rules) {
    if (!routeMatches(rule, story)) continue;
    for (const l of rule.languages) {
      const language = l === SOURCE_LANGUAGE ? story.language : l;
      const key = `${rule.channelId}/${language}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ channelId: rule.channelId, language });
      }
    }
  }
  return out;
}

/** Languages to translate into: every planned language other than the story's own. */
export function translationTargets(rules: RouteRule[], story: StoryFacts): string[] {
  return [...new Set(plannedDeliveries(rules, story).map((d) => d.language))].filter((l) => l !== story.language).sort();
}
