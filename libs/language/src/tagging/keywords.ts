/**
 * Keyword extraction: content words grouped by stem, ranked by frequency (headline words count
 * double), each shown in a readable surface form. Words inside entity mentions are left out, as
 * the entities already carry them.
 */
import type { Token } from './text';
import type { AnalyzedStory, KeywordExtractor } from './types';

const MAX_KEYWORDS = 10;
const MIN_LENGTH = 3;
const HEADLINE_WEIGHT = 2;

interface Group {
  weight: number;
  first: number;
  surfaces: Map<string, number>;
  /** Every occurrence is capitalised away from a sentence start: a name, keep its capital. */
  proper: boolean;
}

export class FrequencyKeywordExtractor implements KeywordExtractor {
  constructor(private readonly limit = MAX_KEYWORDS) {}

  extract(story: AnalyzedStory, claimed: ReadonlySet<number>): string[] {
    const groups = new Map<string, Group>();
    for (const token of story.tokens) {
      if (claimed.has(token.index) || !this.isContentWord(story, token)) continue;
      const stem = story.analyzer.stem(token.norm, token.latin);
      let group = groups.get(stem);
      if (!group) {
        group = { weight: 0, first: token.start, surfaces: new Map(), proper: true };
        groups.set(stem, group);
      }
      group.weight += token.start < story.headlineEnd ? HEADLINE_WEIGHT : 1;
      group.proper &&= token.capitalised && !token.sentenceInitial;
      const surface = group.proper ? token.raw : token.raw.toLowerCase();
      group.surfaces.set(surface, (group.surfaces.get(surface) ?? 0) + 1);
    }
    return [...groups.values()]
      .sort((a, b) => b.weight - a.weight || a.first - b.first)
      .slice(0, this.limit)
      .map((group) => readableForm(group));
  }

  private isContentWord(story: AnalyzedStory, token: Token): boolean {
    if (token.norm.length < MIN_LENGTH || !/\p{L}/u.test(token.norm) || /\d/.test(token.norm)) return false;
    return !story.analyzer.isStopWord(token.norm);
  }
}

/** Endings of Russian/Ukrainian oblique cases; a form without one is likelier the dictionary form. */
const OBLIQUE_ENDING = /(?:ов|ев|ам|ям|ах|ях|ами|ями|ого|его|ому|ему|ым|им|ых|их|ую|юю|ом|ем|ів|ою|ею)$/;
const OBLIQUE_PENALTY = 2;

/**
 * Without a lemmatiser the best stand-in for the dictionary form is the shortest inflection seen,
 * oblique-case endings counting extra ("минералы" over "минералов"); ties go to the most frequent.
 */
function readableForm(group: Group): string {
  let best = '';
  let bestCost = Infinity;
  let bestCount = 0;
  for (const [surface, count] of group.surfaces) {
    const form = group.proper ? surface : surface.toLowerCase();
    const cost = form.length + (OBLIQUE_ENDING.test(form.toLowerCase()) ? OBLIQUE_PENALTY : 0);
    if (cost < bestCost || (cost === bestCost && count > bestCount)) {
      best = form;
      bestCost = cost;
      bestCount = count;
    }
  }
  return best;
}
