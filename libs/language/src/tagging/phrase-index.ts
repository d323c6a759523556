/**
 * Finds known multi-word phrases (gazetteer names, topic terms) in tokenised text despite
 * inflection. Phrases are indexed by the matching key of their first word, so a lookup costs one
 * map access per text token; candidates are then verified word by word, including the
 * punctuation between words ("Washington, D.C." must not match "Washington. D").
 */
import type { Analyzer } from './analyzer';
import { tokenize, type Token } from './text';

export interface PhraseWord {
  raw: string;
  norm: string;
  capitalised: boolean;
  acronym: boolean;
  latin: boolean;
}

export interface Phrase<T> {
  words: PhraseWord[];
  /** Separator before each word, as in Token.gapBefore; the first entry is unused. */
  gaps: string[];
  /** A later word is capitalised, so the first may be matched in lower case. */
  anchored: boolean;
  payload: T;
}

export interface PhraseMatch<T> {
  phrase: Phrase<T>;
  /** Token index range [start, end). */
  start: number;
  end: number;
  /** Higher for exact spellings than for stem or prefix matches; used to break ties. */
  quality: number;
}

export interface PhraseIndexOptions {
  /**
   * Names: a capitalised word only matches a capitalised word and acronyms match exactly, which is
   * what keeps "того" (of that) from being Togo. Topic terms match regardless of case.
   */
  caseSensitive: boolean;
}

const FINAL_VOWEL = /[аеёиоуыэюяөүәіұ]$/;
const PREFIX_KEY_LENGTH = 4;
const MAX_AGGLUTINATED_SUFFIX = 6;
const ACRONYM_SUFFIX = /^\p{Ll}{1,5}$/u;
const MAX_ABBREVIATION = 5;
/** Snowball can cut a foreign name to almost nothing ("Гуам" -> "гу"); such stems match only exactly. */
const MIN_INFLECTED_STEM = 3;

export class PhraseIndex<T> {
  private readonly byKey = new Map<string, Phrase<T>[]>();
  private size = 0;

  constructor(
    private readonly analyzer: Analyzer,
    private readonly options: PhraseIndexOptions,
  ) {}

  get phraseCount(): number {
    return this.size;
  }

  add(text: string, payload: T): void {
    const tokens = tokenize(text);
    const first = tokens[0];
    if (!first) return;
    const phrase: Phrase<T> = {
      words: tokens.map(({ raw, norm, capitalised, acronym, latin }) => ({ raw, norm, capitalised, acronym, latin })),
      gaps: tokens.map((token) => token.gapBefore),
      anchored: tokens.slice(1).some((token) => token.capitalised),
      payload,
    };
    const keys = new Set(this.keys(first.norm, first.latin));
    // Generated case forms are keys of their own, so "Киеве" finds "Киев" although Snowball
    // stems the two differently.
    if (!first.latin && this.analyzer.nameForms) for (const form of this.analyzer.nameForms(first.norm)) keys.add(`=${form}`);
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (list) list.push(phrase);
      else this.byKey.set(key, [phrase]);
    }
    this.size += 1;
  }

  /** Every phrase occurrence starting at any token for which `allowed` holds on all its tokens. */
  matchAll(tokens: readonly Token[], allowed: (index: number) => boolean = () => true): PhraseMatch<T>[] {
    const matches: PhraseMatch<T>[] = [];
    for (let index = 0; index < tokens.length; index += 1) {
      if (!allowed(index)) continue;
      for (const match of this.matchAt(tokens, index)) {
        let ok = true;
        for (let inner = match.start + 1; inner < match.end && ok; inner += 1) ok = allowed(inner);
        if (ok) matches.push(match);
      }
    }
    return matches;
  }

  matchAt(tokens: readonly Token[], index: number): PhraseMatch<T>[] {
    const token = tokens[index];
    if (!token) return [];
    const matches: PhraseMatch<T>[] = [];
    const seen = new Set<Phrase<T>>();
    for (const key of this.lookupKeys(token)) {
      for (const phrase of this.byKey.get(key) ?? []) {
        if (seen.has(phrase)) continue;
        seen.add(phrase);
        const quality = this.matchPhrase(tokens, index, phrase);
        if (quality > 0) matches.push({ phrase, start: index, end: index + phrase.words.length, quality });
      }
    }
    return matches;
  }

  private matchPhrase(tokens: readonly Token[], index: number, phrase: Phrase<T>): number {
    let quality = 0;
    for (let offset = 0; offset < phrase.words.length; offset += 1) {
      const token = tokens[index + offset];
      const word = phrase.words[offset];
      if (!token || !word) return 0;
      if (offset > 0 && token.gapBefore !== phrase.gaps[offset]) return 0;
      const wordQuality = this.matchWord(token, word, offset === 0 && phrase.anchored);
      if (wordQuality === 0) return 0;
      quality += wordQuality + commonPrefixLength(token.norm, word.norm) / 100;
    }
    return quality;
  }

  /**
   * 3 = same spelling, 2 = inflection of a long stem or agglutinated suffix, 1 = inflection of a
   * short stem ("Кубе"), 0 = no match.
   */
  private matchWord(token: Token, word: PhraseWord, relaxCase: boolean): number {
    const caseSensitive = this.options.caseSensitive;
    if (word.acronym && caseSensitive) {
      if (token.raw === word.raw) return 3;
      // Kazakh and Mongolian attach case endings to acronyms with a hyphen: "АҚШ-тың", "АНУ-ын".
      const rest = token.raw.startsWith(`${word.raw}-`) ? token.raw.slice(word.raw.length + 1) : null;
      return rest !== null && ACRONYM_SUFFIX.test(rest) ? 2 : 0;
    }
    // The first word of a multi-word name may be lower-cased in running text
    // ("министерство иностранных дел Монголии") when a capitalised later word anchors it.
    if (caseSensitive && word.capitalised && !token.capitalised && !relaxCase) return 0;
    if (token.latin !== word.latin) return 0;
    if (token.norm === word.norm) return 3;
    if (!token.latin && this.analyzer.nameForms?.(word.norm).has(token.norm)) return 2.5;
    // A short all-capitals word is an abbreviation, which does not inflect: "ГУ МЧС" is not "Гуам".
    if (caseSensitive && token.acronym && token.raw.length <= MAX_ABBREVIATION) return 0;
    if (token.latin || this.analyzer.cyrillicMode === 'stem') {
      const tokenKeys = this.analyzer.keys(token.norm, token.latin);
      const stem = this.analyzer.keys(word.norm, word.latin).find((key) => tokenKeys.includes(key));
      if (stem === undefined || stem.length < MIN_INFLECTED_STEM) return 0;
      if (stem.length >= 4) return 2;
      // Short stems over-generate ("Мали" and "малые" share "мал"): allow only short endings.
      return token.norm.startsWith(stem) && token.norm.length - stem.length <= 2 ? 1 : 0;
    }
    if (word.norm.length < PREFIX_KEY_LENGTH) return 0;
    const base = word.norm.length > PREFIX_KEY_LENGTH && FINAL_VOWEL.test(word.norm) ? word.norm.slice(0, -1) : word.norm;
    return token.norm.startsWith(base) && token.norm.length - base.length <= MAX_AGGLUTINATED_SUFFIX ? 2 : 0;
  }

  private keys(norm: string, latin: boolean): readonly string[] {
    if (latin || this.analyzer.cyrillicMode === 'stem') return this.analyzer.keys(norm, latin);
    return [norm.slice(0, PREFIX_KEY_LENGTH)];
  }

  private lookupKeys(token: Token): string[] {
    const keys = [...this.keys(token.norm, token.latin), `=${token.norm}`];
    const dash = token.norm.indexOf('-');
    if (dash > 0) keys.push(...this.keys(token.norm.slice(0, dash), token.latin), token.norm.slice(0, dash));
    return keys;
  }
}

export function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let length = 0;
  while (length < limit && a[length] === b[length]) length += 1;
  return length;
}

/**
 * Keeps the best of overlapping matches: longer phrases first (so "Государственный департамент
 * США" wins over "США"), then better spelling agreement, then earlier position.
 */
export function selectNonOverlapping<T>(matches: readonly PhraseMatch<T>[]): PhraseMatch<T>[] {
  const ordered = [...matches].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || b.quality - a.quality || a.start - b.start,
  );
  const taken = new Set<number>();
  const chosen: PhraseMatch<T>[] = [];
  for (const match of ordered) {
    let free = true;
    for (let index = match.start; index < match.end && free; index += 1) free = !taken.has(index);
    if (!free) continue;
    for (let index = match.start; index < match.end; index += 1) taken.add(index);
    chosen.push(match);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
