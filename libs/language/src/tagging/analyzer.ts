/**
 * Per-language word analysis: how a word is reduced to a matching key and how two words are
 * compared. Russian and English (and the other Latin-script languages) use Snowball stems; there
 * is no Snowball stemmer for Ukrainian, Mongolian or Kazakh, so Ukrainian gets a conservative
 * ending stripper, and the agglutinative mn/kk get light suffix strippers for their keys (used to
 * group a word's forms) while phrases are still matched by prefix.
 */
import { stemKazakh, stemMongolian } from './agglutinative-stemmers';
import { russianNameForms } from './russian-inflection';
import { isStopWord } from './stopwords';

interface SnowballStemmer {
  stem(word: string): string;
}
interface SnowballModule {
  newStemmer(algorithm: string): SnowballStemmer;
}

// snowball-stemmers ships no type declarations; a local interface keeps the rest typed.
const snowball = require('snowball-stemmers') as SnowballModule;

export type MatchMode = 'stem' | 'prefix';

export interface Analyzer {
  readonly language: string;
  /** The main matching key of a normalised word, used to group a word's inflections. */
  stem(norm: string, latin: boolean): string;
  /**
   * All matching keys of a word (the stem first); two words are taken for inflections of one
   * another when their keys intersect. Only Ukrainian has more than one.
   */
  keys(norm: string, latin: boolean): readonly string[];
  /** How Cyrillic words are compared in this language; Latin-script words always use stems. */
  readonly cyrillicMode: MatchMode;
  isStopWord(norm: string): boolean;
  /**
   * The case forms of a Cyrillic name given in the nominative, where the language has a generator
   * (Russian); names are matched against them before falling back to stems.
   */
  nameForms?(norm: string): ReadonlySet<string>;
}

const SNOWBALL_LATIN: Record<string, string> = {
  en: 'english',
  es: 'spanish',
  fr: 'french',
  de: 'german',
  ca: 'catalan',
};

/** Longest first, so "ією" wins over "ю". */
const UKRAINIAN_ENDINGS = [
  'ією', 'ями', 'ами', 'ові', 'еві', 'єві', 'ого', 'ому', 'ими', 'іми', 'ій', 'ий', 'ої', 'ою', 'ею', 'єю',
  'им', 'ім', 'их', 'іх', 'ів', 'їв', 'ам', 'ям', 'ах', 'ях', 'ом', 'ем', 'єм', 'ія', 'ії', 'ію', 'ья',
  'а', 'я', 'е', 'є', 'і', 'ї', 'и', 'у', 'ю', 'о', 'ь', 'й',
].sort((a, b) => b.length - a.length);
const MIN_STEM = 3;
// Ukrainian alternates the vowel of a closed last syllable: Харків/Харкова, Київ/Києва, Львів/Львова.
const ALTERNATING_SYLLABLE = /[іїоеє]([^аеєиіїоуюяь'])$/;
const MIN_ALTERNATING_STEM = 4;

function stripEnding(norm: string, endings: readonly string[]): string {
  for (const ending of endings) {
    if (norm.endsWith(ending) && norm.length - ending.length >= MIN_STEM) {
      return norm.slice(0, -ending.length).replace(/ь$/, '');
    }
  }
  return norm;
}

/**
 * Strips one inflectional ending, keeping at least three letters of stem. Deliberately light:
 * it folds case endings of names and nouns ("Монголії", "Вашингтоні", "Державного") and leaves
 * derivation alone, which is what gazetteer and keyword matching need.
 */
export function stemUkrainian(norm: string): string {
  return stripEnding(norm, UKRAINIAN_ENDINGS);
}

/**
 * Matching keys for a Ukrainian word: the longest and the one-letter ending stripped (a final
 * "ові" may be an ending or "ов" + "і"), each with an alternating last vowel wildcarded.
 */
export function ukrainianKeys(norm: string): string[] {
  const keys = new Set<string>();
  for (const stem of [stemUkrainian(norm), stripEnding(norm, UKRAINIAN_ENDINGS.filter((e) => e.length === 1))]) {
    keys.add(stem.length >= MIN_ALTERNATING_STEM ? stem.replace(ALTERNATING_SYLLABLE, '*$1') : stem);
  }
  return [...keys];
}

const MAX_CACHE = 50_000;

class CachedStemmer {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly keysOf: (word: string) => readonly string[]) {}

  keys(word: string): readonly string[] {
    let keys = this.cache.get(word);
    if (keys === undefined) {
      // Hyphenated names inflect on their last part only ("Улан-Батора").
      const dash = word.lastIndexOf('-');
      keys = dash > 0 ? this.keysOf(word.slice(dash + 1)).map((key) => word.slice(0, dash + 1) + key) : this.keysOf(word);
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(word, keys);
    }
    return keys;
  }
}

function snowballStemmer(algorithm: string): CachedStemmer {
  const stemmer = snowball.newStemmer(algorithm);
  return new CachedStemmer((word) => [stemmer.stem(word)]);
}

const stemmers = new Map<string, CachedStemmer>();

function stemmerNamed(name: string): CachedStemmer {
  let stemmer = stemmers.get(name);
  if (!stemmer) {
    if (name === 'ukrainian') stemmer = new CachedStemmer(ukrainianKeys);
    else if (name === 'kazakh') stemmer = new CachedStemmer((word) => [stemKazakh(word)]);
    else if (name === 'mongolian') stemmer = new CachedStemmer((word) => [stemMongolian(word)]);
    else stemmer = snowballStemmer(name);
    stemmers.set(name, stemmer);
  }
  return stemmer;
}

/** Belarusian and unknown Cyrillic text are closest to Russian among what is available. */
const CYRILLIC_STEMMERS: Record<string, string> = { uk: 'ukrainian', kk: 'kazakh', mn: 'mongolian' };

const analyzers = new Map<string, Analyzer>();

export function analyzerFor(language: string): Analyzer {
  const key = language.toLowerCase();
  let analyzer = analyzers.get(key);
  if (!analyzer) {
    analyzer = createAnalyzer(key);
    analyzers.set(key, analyzer);
  }
  return analyzer;
}

function createAnalyzer(language: string): Analyzer {
  const latin = stemmerNamed(SNOWBALL_LATIN[language] ?? 'english');
  const cyrillicName = CYRILLIC_STEMMERS[language] ?? 'russian';
  const cyrillic = stemmerNamed(cyrillicName);
  const keys = (norm: string, isLatin: boolean): readonly string[] => (isLatin ? latin.keys(norm) : cyrillic.keys(norm));
  return {
    language,
    cyrillicMode: language === 'mn' || language === 'kk' ? 'prefix' : 'stem',
    keys,
    stem: (norm, isLatin) => keys(norm, isLatin)[0] ?? norm,
    isStopWord: (norm) => isStopWord(norm, language),
    ...(cyrillicName === 'russian' ? { nameForms: russianNameForms } : {}),
  };
}
