/**
 * Russian dictionary forms from `az` (OpenCorpora dictionaries shipped inside the npm package):
 * "минералов" -> "минерал", "министерской" -> "министерский". The dictionaries (~11 MB) are read
 * once, synchronously, on first use, because the tagger is synchronous; lemmas are cached.
 *
 * az only offers an asynchronous `Morph.init(path, callback)` whose loader counts pending files;
 * its file loader is replaced by one that reads synchronously and replays the callbacks after
 * `init` has registered every file, which keeps that count right.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface AzParse {
  /** Undefined for some parses of unknown words. */
  normalize(): { word?: unknown } | undefined;
}
interface AzModule {
  load(url: string, responseType: string, callback: (error: Error | null, data?: unknown) => void): void;
  Morph: ((word: string) => AzParse[]) & { init(dictionaries: string, callback: (error: Error | null) => void): void };
}

const MAX_CACHE = 50_000;
let morph: ((word: string) => AzParse[]) | null | undefined;
const cache = new Map<string, string>();

function loadAz(): ((word: string) => AzParse[]) | null {
  if (morph !== undefined) return morph;
  // az ships no type declarations; the local interface above keeps the rest typed.
  const az = require('az') as AzModule;
  const dictionaries = path.join(path.dirname(require.resolve('az')), '..', 'dicts');
  const pending: Array<() => void> = [];
  const asyncLoad = az.load;
  az.load = (url, responseType, callback) => {
    try {
      const data = fs.readFileSync(url, responseType === 'json' ? 'utf8' : null);
      const value = typeof data === 'string' ? JSON.parse(data) : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      pending.push(() => callback(null, value));
    } catch (error) {
      pending.push(() => callback(error as Error));
    }
  };
  let failed: Error | null = null;
  try {
    az.Morph.init(dictionaries, (error) => {
      failed = error;
    });
    for (const replay of pending) replay();
  } finally {
    az.load = asyncLoad;
  }
  // Without its dictionaries the tagger still works, on stems.
  morph = failed ? null : az.Morph;
  return morph;
}

/** The dictionary form of a lower-case Russian word, or the word itself when az does not know it. */
export function russianLemma(norm: string): string {
  let lemma = cache.get(norm);
  if (lemma !== undefined) return lemma;
  const parse = loadAz()?.(norm)[0];
  const word = parse?.normalize()?.word;
  lemma = typeof word === 'string' && word.length > 0 ? word.replace(/ё/g, 'е') : norm;
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(norm, lemma);
  return lemma;
}
