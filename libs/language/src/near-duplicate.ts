/**
 * Near-duplicate fingerprints: MinHash (Broder, 1997) over word 3-shingles of the normalised
 * headline and body, with locality-sensitive hashing (LSH) bands so candidates are found by an
 * indexed lookup instead of comparing every story.
 *
 * Normalisation: Unicode NFKC, lower case, words = runs of letters and digits (punctuation,
 * quotes, dashes and spacing differences vanish). 128 seeded 32-bit hash functions; the
 * estimated Jaccard similarity is the share of equal signature slots (standard error about
 * 0.045 at 0.5). 32 bands of 4 rows: two stories share at least one band with probability
 * 1 - (1 - s^4)^32, i.e. 0.87 at s = 0.5, 0.99 at s = 0.6, 0.23 at s = 0.3, so the 0.5 threshold
 * sits just above the curve's knee ((1/32)^(1/4) = 0.42). No npm package for this was installed,
 * so it is written here (about a hundred lines, covered by near-duplicate.spec.ts).
 */

export const NEAR_DUPLICATE = {
  permutations: 128,
  bands: 32,
  rows: 4,
  shingleWords: 3,
  /** Shorter texts (a headline, a caption) give unreliable estimates and are not fingerprinted. */
  minWords: 12,
  /** Estimated Jaccard similarity of the shingle sets at or above which two stories are linked. */
  threshold: 0.5,
} as const;

export interface Fingerprint {
  /** `permutations` unsigned 32-bit minimums. */
  minhash: Uint32Array;
  /** One key per band (signed 64-bit, as Postgres int8 text), distinct across band positions. */
  bands: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;

export function normaliseWords(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed seeds (never change them: stored signatures would stop matching new ones).
const SEEDS = (() => {
  const seeds = new Uint32Array(NEAR_DUPLICATE.permutations);
  let x = 0x9e3779b9;
  for (let i = 0; i < seeds.length; i++) {
    x = (x + 0x6d2b79f5) >>> 0;
    seeds[i] = fmix32(x);
  }
  return seeds;
})();

export function fingerprint(headline: string, paragraphs: readonly string[]): Fingerprint | null {
  const words = normaliseWords(`${headline}\n${paragraphs.join('\n')}`);
  if (words.length < NEAR_DUPLICATE.minWords) return null;
  const k = NEAR_DUPLICATE.shingleWords;
  const shingles = new Set<number>();
  for (let i = 0; i + k <= words.length; i++) shingles.add(fnv1a(words.slice(i, i + k).join(' ')));
  const minhash = new Uint32Array(NEAR_DUPLICATE.permutations).fill(0xffffffff);
  for (const base of shingles) {
    for (let p = 0; p < minhash.length; p++) {
      const h = fmix32((base ^ (SEEDS[p] as number)) >>> 0);
      if (h < (minhash[p] as number)) minhash[p] = h;
    }
  }
  const bands: string[] = [];
  for (let b = 0; b < NEAR_DUPLICATE.bands; b++) {
    let hi = fmix32(b + 1);
    let lo = fmix32((b + 1) ^ 0x5bd1e995);
    for (let r = 0; r < NEAR_DUPLICATE.rows; r++) {
      const v = minhash[b * NEAR_DUPLICATE.rows + r] as number;
      hi = fmix32((Math.imul(hi, 31) ^ v) >>> 0);
      lo = fmix32((Math.imul(lo, 37) + v) >>> 0);
    }
    bands.push(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString());
  }
  return { minhash, bands };
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function minhashSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export function minhashToBytes(m: Uint32Array): Buffer {
  const buf = Buffer.alloc(m.length * 4);
  m.forEach((v, i) => buf.writeUInt32BE(v, i * 4));
  return buf;
}

export function minhashFromBytes(buf: Buffer): Uint32Array {
  const out = new Uint32Array(Math.floor(buf.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32BE(i * 4);
  return out;
}
