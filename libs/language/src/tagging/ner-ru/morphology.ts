/**
 * Russian morphology for the NER model, from the `az` package (OpenCorpora dictionaries, MIT):
 * the grammemes that mark proper names (Name, Surn, Patr, Geox, Orgn, Abbr, Init), the part of
 * speech and case of the likeliest parse, and its lemma.
 *
 * `az` only offers an asynchronous loader; the tagger is synchronous. Its Node loader is replaced
 * by one that reads the files synchronously and queues the callbacks, and the queue is drained
 * right after `Morph.init` has registered every file it waits for: init then completes before
 * `loadMorphology` returns, once per process (~0.6 s, ~60 MB).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface AzTag {
  POS?: string;
  CAse?: string;
  [grammeme: string]: unknown;
}
interface AzParse {
  tag: AzTag;
  score: number;
  word?: string;
  normalize(): { word?: string } | undefined;
  inflect(grammemes: string[]): AzParse | false;
}
interface AzMorph {
  (word: string, config?: Record<string, unknown>): AzParse[];
  init(path: string, callback: (error: Error | null) => void): void;
}
interface AzModule {
  load: (url: string, responseType: string, callback: (error: Error | null, data?: unknown) => void) => void;
  Morph: AzMorph;
}

/** What the NER model needs to know about one word form. */
export interface WordMorphology {
  /** Lemma of the likeliest parse (lower case). */
  lemma: string;
  pos: string;
  case: string;
  /** Name-marking grammemes of the likeliest parse. */
  first: readonly string[];
  /** Name-marking grammemes of any parse. */
  any: readonly string[];
  /** Found in the dictionary rather than guessed from its ending. */
  known: boolean;
}

const NAME_GRAMMEMES = ['Name', 'Surn', 'Patr', 'Geox', 'Orgn', 'Abbr', 'Init', 'Fixd'] as const;
// Lower case with ignoreCase is both faster and better than the raw spelling: "США" is only
// found as a place (Geox) that way.
const LOOKUP = { stutter: 0, typos: 0, ignoreCase: true };
const DICTIONARY_ONLY = { ...LOOKUP, parsers: ['Dictionary?', 'AbbrName?', 'AbbrPatronymic'] };
const MAX_CACHE = 100_000;

let morph: AzMorph | undefined;
const cache = new Map<string, WordMorphology>();

export function loadMorphology(): AzMorph {
  if (morph) return morph;
  const Az = require('az') as AzModule;
  const dicts = join(dirname(require.resolve('az/package.json')), 'dicts');
  const pending: Array<() => void> = [];
  const original = Az.load;
  Az.load = (url, responseType, callback) => {
    let data: unknown;
    try {
      const bytes = readFileSync(url);
      data = responseType === 'json' ? JSON.parse(bytes.toString('utf8')) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    } catch (error) {
      pending.push(() => callback(error as Error));
      return;
    }
    pending.push(() => callback(null, data));
  };
  let failure: Error | null | undefined;
  try {
    Az.Morph.init(dicts, (error) => {
      failure = error;
    });
    while (pending.length > 0) pending.shift()?.();
  } finally {
    Az.load = original;
  }
  if (failure !== null) throw new Error(`az morphology failed to load from ${dicts}: ${failure?.message ?? 'init did not complete'}`);
  morph = Az.Morph;
  return morph;
}

/** Morphology of a word (any case; cached per lower-cased spelling). */
export function analyseWord(word: string): WordMorphology {
  const key = word.toLowerCase();
  let result = cache.get(key);
  if (result) return result;
  const Morph = loadMorphology();
  let parses = Morph(key, DICTIONARY_ONLY);
  const known = parses.length > 0;
  if (!known) parses = Morph(key, LOOKUP);
  const best = parses[0];
  const any = new Set<string>();
  for (const parse of parses) for (const grammeme of NAME_GRAMMEMES) if (parse.tag[grammeme]) any.add(grammeme);
  result = {
    lemma: best?.normalize()?.word?.toLowerCase() ?? key,
    pos: best?.tag.POS ?? 'UNKN',
    case: best?.tag.CAse ?? '',
    first: best ? NAME_GRAMMEMES.filter((grammeme) => best.tag[grammeme]) : [],
    any: [...any],
    known,
  };
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, result);
  return result;
}

export interface NominativeForm {
  word: string;
  pos: string;
  /** masc / femn / neut, when the parse has one. */
  gender?: string;
  plural: boolean;
}

const GENDERS = ['masc', 'femn', 'neut'] as const;

/**
 * The nominative of a word form (lower case), for canonical names: `prefer` picks the parse with
 * that grammeme ("Surn" for a surname), `gender` the parse and form of that gender
 * ("Кузнецовой" -> "кузнецова", not "кузнецов"), `plural` keeps a plural adjective plural.
 */
export function nominativeOf(word: string, options: { prefer?: string; gender?: string; plural?: boolean } = {}): NominativeForm {
  const parses = loadMorphology()(word.toLowerCase(), LOOKUP);
  const fits = (parse: AzParse): boolean =>
    (!options.prefer || parse.tag[options.prefer] === true) && (!options.gender || parse.tag[options.gender] === true || parse.tag.POS !== 'NOUN');
  const parse = parses.find(fits) ?? parses.find((candidate) => !options.prefer || candidate.tag[options.prefer] === true) ?? parses[0];
  if (!parse) return { word: word.toLowerCase(), pos: 'UNKN', plural: false };
  const adjective = parse.tag.POS === 'ADJF';
  const number = options.plural || parse.tag['plur'] === true ? 'plur' : 'sing';
  const target = adjective ? ['nomn', number === 'plur' ? 'plur' : (options.gender ?? 'masc')] : ['nomn', number, ...(options.gender ? [options.gender] : [])];
  const form = parse.inflect(target) || parse.inflect(['nomn', number]) || parse.inflect(['nomn']) || parse;
  const gender = GENDERS.find((candidate) => parse.tag[candidate] === true);
  return { word: (form.word ?? word).toLowerCase(), pos: parse.tag.POS ?? 'UNKN', ...(gender ? { gender } : {}), plural: number === 'plur' };
}
