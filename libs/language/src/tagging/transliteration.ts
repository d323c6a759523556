/**
 * Canonical Latin spellings of Cyrillic names per language, for entities the gazetteer does not
 * know. Each language follows the romanisation its own press uses, so a heuristic name agrees with
 * the gazetteer's spelling of similar names:
 *  - ru: text.ts `transliterate` (the Russian path), except that a name with the Mongolian letters
 *    ө/ү is a Mongolian name and is romanised as such ("Батцэцэг Батмөнх" -> "Battsetseg Batmunkh");
 *  - uk: the official Ukrainian system (Cabinet of Ministers resolution 55 of 2010): г -> h,
 *    и -> y, і -> i, й/ї/є/ю/я -> i/i/ie/iu/ia inside a word and y/yi/ye/yu/ya at its start
 *    ("Андрій Сибіга" -> "Andrii Sybiha");
 *  - mn: the usual English-press romanisation: ө, ү -> u, ж -> j, х -> kh, е -> ye, ий -> ii
 *    ("Ухнаагийн Хүрэлсүх" -> "Ukhnaagiin Khurelsukh");
 *  - kk: Russian-style letters plus ә -> a, ғ -> g, қ -> k, ң -> n, ө -> o, ұ/ү -> u, һ -> h, і -> i.
 */
import { transliterate } from './text';

type Table = Record<string, string>;

const COMMON: Table = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

const UKRAINIAN: Table = {
  ...COMMON, г: 'h', ґ: 'g', е: 'e', є: 'ie', и: 'y', і: 'i', ї: 'i', й: 'i', ю: 'iu', я: 'ia', "'": '', '’': '', ʼ: '',
};
/** Word-initial spellings of the Ukrainian iotated letters. */
const UKRAINIAN_INITIAL: Table = { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' };

const MONGOLIAN: Table = { ...COMMON, е: 'ye', ё: 'yo', ж: 'j', ө: 'u', ү: 'u', й: 'i', ь: 'i', ъ: 'i' };

const KAZAKH: Table = { ...COMMON, ә: 'a', ғ: 'g', қ: 'k', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i' };

const TABLES: Record<string, { table: Table; initial?: Table }> = {
  uk: { table: UKRAINIAN, initial: UKRAINIAN_INITIAL },
  mn: { table: MONGOLIAN },
  kk: { table: KAZAKH },
};

const MONGOLIAN_LETTERS = /[өүӨҮ]/u;

function withTable(text: string, table: Table, initial: Table = {}): string {
  let out = '';
  let previousLetter = false;
  for (const char of text) {
    const lower = char.toLowerCase();
    const latin = (!previousLetter ? initial[lower] : undefined) ?? table[lower];
    if (latin === undefined) out += char;
    else if (char !== lower && latin.length > 0) out += latin[0]?.toUpperCase() + latin.slice(1);
    else out += latin;
    previousLetter = /\p{L}/u.test(char);
  }
  return out;
}

/** A readable Latin spelling of a Cyrillic name, in the romanisation of the story's language. */
export function transliterateName(text: string, language: string): string {
  const spec = TABLES[language];
  if (spec) return withTable(text, spec.table, spec.initial);
  if (MONGOLIAN_LETTERS.test(text)) return withTable(text, MONGOLIAN);
  return transliterate(text);
}
