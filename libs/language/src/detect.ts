/**
 * Source-language detection for the languages partners send us: ru, en, uk, mn, kk.
 *
 * franc's trigram model alone confuses the Cyrillic languages on short news text, so the script's
 * distinctive letters decide first (as ratios: one "ө" in a Russian story's Mongolian name must
 * not flip it), and franc, restricted to our languages, confirms and sets the confidence.
 */
import { francAll } from 'franc';
import type { LanguageCode } from '@syndication/contracts';

export type DetectableLanguage = Extract<LanguageCode, 'ru' | 'en' | 'uk' | 'mn' | 'kk'>;

export interface DetectionResult {
  language: DetectableLanguage | 'und';
  /** 0..1; a ranking heuristic (agreement of letters and trigrams, text length), not a probability. */
  confidence: number;
}

/** franc speaks ISO 639-3; Mongolian appears as Halh (khk) or the macrolanguage (mon). */
const FRANC_TO_ISO1: Readonly<Record<string, DetectableLanguage>> = {
  rus: 'ru',
  ukr: 'uk',
  khk: 'mn',
  mon: 'mn',
  kaz: 'kk',
  eng: 'en',
};
const CYRILLIC_CANDIDATES = ['rus', 'ukr', 'khk', 'mon', 'kaz'];
/**
 * For Latin script, franc must pick English against its usual neighbours; any Latin text would
 * otherwise come out "eng" when English is the only Latin language allowed.
 */
const LATIN_CANDIDATES = ['eng', 'spa', 'fra', 'deu', 'cat', 'ita', 'por', 'nld', 'pol', 'tur', 'ron', 'swe'];

/** Below this many letters neither letters nor trigrams are reliable. */
export const MIN_DETECTION_LETTERS = 12;

const KAZAKH_ONLY = /[әғқңұһӘҒҚҢҰҺ]/gu;
const UKRAINIAN_ONLY = /[їєґЇЄҐ]/gu;
// "і" is Ukrainian and Kazakh; it counts for Ukrainian only when no Kazakh letters are present.
const DOTTED_I = /[іІ]/gu;
const MONGOLIAN_KAZAKH_SHARED = /[өүӨҮ]/gu;
const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** Share of Cyrillic letters that must be distinctive before they decide. */
const MIN_LETTER_RATIO = 0.01;
const MIN_LETTER_COUNT = 2;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Links, handles and e-mail addresses are Latin noise inside Cyrillic text. */
function stripNoise(text: string): string {
  return text
    .replace(/\bhttps?:\/\/\S+/giu, ' ')
    .replace(/\S+@\S+\.\S+/gu, ' ')
    .replace(/@[\p{L}\p{N}_]+/gu, ' ');
}

function significant(n: number, total: number): boolean {
  return n >= MIN_LETTER_COUNT && n / total >= MIN_LETTER_RATIO;
}

/** What the distinctive letters say, if anything. */
function byLetters(text: string, cyrillic: number): DetectableLanguage | undefined {
  const kazakh = count(text, KAZAKH_ONLY);
  if (significant(kazakh, cyrillic)) return 'kk';
  const ukrainian = count(text, UKRAINIAN_ONLY) + (kazakh === 0 ? count(text, DOTTED_I) : 0);
  if (significant(ukrainian, cyrillic)) return 'uk';
  if (kazakh === 0 && significant(count(text, MONGOLIAN_KAZAKH_SHARED), cyrillic)) return 'mn';
  return undefined;
}

function topByFranc(text: string, only: string[]): DetectableLanguage | undefined {
  const [top] = francAll(text, { only, minLength: MIN_DETECTION_LETTERS });
  return top ? FRANC_TO_ISO1[top[0]] : undefined;
}

/** Too few distinctive letters to decide alone, but enough to back franc up (a short sentence). */
function confirmsFranc(francTop: DetectableLanguage | undefined, text: string): DetectableLanguage | undefined {
  const kazakh = count(text, KAZAKH_ONLY);
  if (francTop === 'kk' && kazakh > 0) return 'kk';
  if (francTop === 'uk' && kazakh === 0 && count(text, UKRAINIAN_ONLY) + count(text, DOTTED_I) > 0) return 'uk';
  if (francTop === 'mn' && kazakh === 0 && count(text, MONGOLIAN_KAZAKH_SHARED) > 0) return 'mn';
  return undefined;
}

/**
 * franc's own scores are normalised per text (on a long story every candidate scores ~0.95), so
 * they say little across lengths; confidence comes from which evidence agreed instead.
 */
const CONFIDENCE = {
  lettersAndFranc: 0.95,
  francAgreesOnRussian: 0.9,
  francAlone: 0.9,
  lettersAlone: 0.75,
  francWithOneLetter: 0.7,
  russianByElimination: 0.6,
} as const;

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function detectLanguage(text: string): DetectionResult {
  const cleaned = stripNoise(text);
  const cyrillic = count(cleaned, CYRILLIC);
  const latin = count(cleaned, LATIN);
  const letters = cyrillic + latin;
  if (letters < MIN_DETECTION_LETTERS) return { language: 'und', confidence: 0 };

  // Short texts earn less trust; by ~200 letters the length no longer matters.
  const lengthFactor = 0.6 + 0.4 * Math.min(1, letters / 200);
  const result = (language: DetectableLanguage, evidence: keyof typeof CONFIDENCE): DetectionResult => ({
    language,
    confidence: round(CONFIDENCE[evidence] * lengthFactor),
  });

  if (latin > cyrillic) {
    return topByFranc(cleaned, LATIN_CANDIDATES) === 'en'
      ? result('en', 'francAlone')
      : { language: 'und', confidence: 0 };
  }

  const francTop = topByFranc(cleaned, CYRILLIC_CANDIDATES);
  const fromLetters = byLetters(cleaned, cyrillic);
  if (fromLetters) return result(fromLetters, francTop === fromLetters ? 'lettersAndFranc' : 'lettersAlone');
  const confirmed = confirmsFranc(francTop, cleaned);
  if (confirmed) return result(confirmed, 'francWithOneLetter');
  // Ukrainian and Kazakh text of any length carries their letters; without them it is Russian.
  return result('ru', francTop === 'ru' ? 'francAgreesOnRussian' : 'russianByElimination');
}
