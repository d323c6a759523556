/**
 * Tokenisation shared by every tagging component: tokens keep their UTF-16 offsets into the text
 * the tagger was given, a normalised form for matching, and the casing/position facts the
 * matchers use to tell a proper name from a common word.
 */

export interface Token {
  /** The token exactly as written. */
  raw: string;
  /** Lower case, "ё" folded to "е", apostrophes unified, English possessive "'s" removed. */
  norm: string;
  start: number;
  end: number;
  index: number;
  capitalised: boolean;
  /** Two or more letters, all upper case: "США", "NATO". */
  acronym: boolean;
  latin: boolean;
  /** First token of the text, of a paragraph or after sentence-ending punctuation. */
  sentenceInitial: boolean;
  /**
   * What separates this token from the previous one, whitespace collapsed to one space and any
   * line break kept as "\n", so multi-word names never match across paragraphs.
   */
  gapBefore: string;
}

const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:[-'’‐][\p{L}\p{M}\p{N}]+)*/gu;
const SENTENCE_END = /[.!?…]/;

export function normalise(word: string): string {
  return word.toLowerCase().replace(/ё/g, 'е').replace(/[’`]/g, "'").replace(/‐/g, '-');
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index;
    const gap = text.slice(previousEnd, start);
    const first = raw[0] ?? '';
    const latin = /\p{Script=Latin}/u.test(first);
    const letters = raw.replace(/[^\p{L}]/gu, '');
    let norm = normalise(raw);
    if (latin) norm = norm.replace(/'s$/, '');
    tokens.push({
      raw,
      norm,
      start,
      end: start + raw.length,
      index: tokens.length,
      capitalised: /^\p{Lu}/u.test(raw),
      acronym: letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase(),
      latin,
      sentenceInitial: tokens.length === 0 || SENTENCE_END.test(gap) || gap.includes('\n'),
      gapBefore: normaliseGap(gap),
    });
    previousEnd = start + raw.length;
  }
  return tokens;
}

export function normaliseGap(gap: string): string {
  if (gap.includes('\n')) return '\n';
  return gap.replace(/\s+/g, ' ');
}

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi',
  є: 'ye', ґ: 'g', ө: 'o', ү: 'u', ә: 'a', ғ: 'g', қ: 'q', ң: 'n', ұ: 'u', һ: 'h',
};

/** A readable Latin spelling of a Cyrillic name, for ids and names of entities not in the gazetteer. */
export function transliterate(text: string): string {
  let out = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const latin = CYRILLIC_TO_LATIN[lower];
    if (latin === undefined) {
      out += char;
    } else if (char !== lower && latin.length > 0) {
      out += latin[0]?.toUpperCase() + latin.slice(1);
    } else {
      out += latin;
    }
  }
  return out;
}

export function slugify(text: string): string {
  return transliterate(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
