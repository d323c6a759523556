/**
 * Russian dictionary forms from `az` (OpenCorpora dictionaries shipped inside the npm package):
 * "минералов" -> "минерал", "министерской" -> "министерский". The dictionaries are loaded once per
 * process by the NER model's loader (ner-ru/morphology.ts), so keywords and entities share them;
 * lemmas are cached.
 */
import { loadMorphology } from './ner-ru/morphology';

const MAX_CACHE = 50_000;
const cache = new Map<string, string>();
let unavailable = false;

function morph(): ReturnType<typeof loadMorphology> | null {
  if (unavailable) return null;
  try {
    return loadMorphology();
  } catch {
    // Without its dictionaries the tagger still works, on stems.
    unavailable = true;
    return null;
  }
}

/** The dictionary form of a lower-case Russian word, or the word itself when az does not know it. */
export function russianLemma(norm: string): string {
  let lemma = cache.get(norm);
  if (lemma !== undefined) return lemma;
  const parse = morph()?.(norm)[0];
  const word = parse?.normalize()?.word;
  lemma = typeof word === 'string' && word.length > 0 ? word.replace(/ё/g, 'е') : norm;
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(norm, lemma);
  return lemma;
}
