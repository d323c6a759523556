/**
 * Keyword extraction: content words (not stop words: the curated lists plus stopwords-iso) grouped
 * by stem, ranked by frequency (headline words count double), each shown as a readable lemma and
 * scored by its weight relative to the top keyword. Russian keywords are az dictionary forms
 * ("минералов" -> "минерал"); other languages have no lemmatiser here, so the form shown is the
 * inflection closest to the dictionary form among those seen (see readableForm). Words inside
 * entity mentions are left out, as the entities already carry them.
 */
import { russianLemma } from './russian-lemmas';
import { isKeywordStopWord } from './stopwords';
import type { Token } from './text';
import type { AnalyzedStory, KeywordExtractor, ScoredKeyword } from './types';

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

  extract(story: AnalyzedStory, claimed: ReadonlySet<number>): ScoredKeyword[] {
    const groups = new Map<string, Group>();
    const lemmatise = story.language === 'ru';
    for (const token of story.tokens) {
      if (claimed.has(token.index) || !this.isContentWord(story, token)) continue;
      // Snowball splits some paradigms ("поставка"/"поставок"); the dictionary form joins them.
      const stem = lemmatise && !token.latin ? `=${russianLemma(token.norm)}` : story.analyzer.stem(token.norm, token.latin);
      let group = groups.get(stem);
      if (!group) {
        group = { weight: 0, first: token.start, surfaces: new Map(), proper: true };
        groups.set(stem, group);
      }
      group.weight += token.start < story.headlineEnd ? HEADLINE_WEIGHT : 1;
      group.proper &&= token.capitalised && !token.sentenceInitial;
      const raw = token.latin ? token.raw.replace(/['’]s$/u, '') : token.raw;
      const surface = group.proper ? raw : raw.toLowerCase();
      group.surfaces.set(surface, (group.surfaces.get(surface) ?? 0) + 1);
    }
    const ranked = [...groups.entries()].sort(([, a], [, b]) => b.weight - a.weight || a.first - b.first).slice(0, this.limit);
    const top = ranked[0]?.[1].weight ?? 1;
    const keywords: ScoredKeyword[] = [];
    const seen = new Set<string>();
    for (const [key, group] of ranked) {
      const lemma = key.startsWith('=') ? key.slice(1) : null;
      const text = lemma !== null ? (group.proper ? capitalise(lemma) : lemma) : readableForm(group);
      if (seen.has(text.toLowerCase())) continue;
      seen.add(text.toLowerCase());
      keywords.push({ text, score: Math.round((group.weight / top) * 100) / 100 });
    }
    return keywords;
  }

  private isContentWord(story: AnalyzedStory, token: Token): boolean {
    if (token.norm.length < MIN_LENGTH || !/\p{L}/u.test(token.norm) || /\d/.test(token.norm)) return false;
    if (isKeywordStopWord(token.norm, story.language)) return false;
    // A Russian word whose dictionary form is a stop word ("являлась" -> "являться") is one too.
    return story.language !== 'ru' || token.latin || !isKeywordStopWord(russianLemma(token.norm), 'ru');
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
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
