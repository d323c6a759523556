import { NEAR_DUPLICATE, fingerprint, minhashFromBytes, minhashSimilarity, minhashToBytes, normaliseWords } from './near-duplicate';

const BODY = [
  'The foreign minister of Mongolia, Battsetseg Batmunkh, met the US Secretary of State Marco Rubio in Washington on Friday.',
  'The two discussed supplies of critical minerals, including rare earth elements and copper concentrate, over the next five years.',
  'Officials said a memorandum on geological surveys would be signed in the spring, and that a joint working group would meet in Ulaanbaatar.',
];

describe('near-duplicate fingerprints', () => {
  it('normalises case, punctuation and Unicode forms away', () => {
    expect(normaliseWords('«Ｍongolia’s» copper—exports, 2026!')).toEqual(['mongolia', 's', 'copper', 'exports', '2026']);
  });

  it('finds the same text with small edits similar, and unrelated text not', () => {
    const a = fingerprint('Mongolia and the US discuss critical minerals', BODY)!;
    const edited = fingerprint('Mongolia, US discuss critical minerals', [
      BODY[0]!.replace('on Friday', 'on Friday, February 6'),
      BODY[1]!,
      BODY[2]!.replace('in the spring', 'this spring'),
    ])!;
    const other = fingerprint('Coal exports to China hit a record', [
      'Mongolian coal exports to China reached a record in January, customs data showed on Monday.',
      'Shipments through the Gashuunsukhait crossing rose by a third compared with a year earlier.',
    ])!;
    const similar = minhashSimilarity(a.minhash, edited.minhash);
    expect(similar).toBeGreaterThanOrEqual(NEAR_DUPLICATE.threshold);
    expect(minhashSimilarity(a.minhash, other.minhash)).toBeLessThan(0.2);
    // Near-duplicates share an LSH band (the indexed lookup), unrelated stories do not.
    expect(a.bands.some((b) => edited.bands.includes(b))).toBe(true);
    expect(a.bands.some((b) => other.bands.includes(b))).toBe(false);
  });

  it('is deterministic and survives a bytea round trip', () => {
    const a = fingerprint('Headline', BODY)!;
    const b = fingerprint('headline', BODY.map((p) => p.toUpperCase()))!;
    expect(minhashSimilarity(a.minhash, b.minhash)).toBe(1);
    expect(a.bands).toEqual(b.bands);
    expect(a.bands).toHaveLength(NEAR_DUPLICATE.bands);
    expect(minhashFromBytes(minhashToBytes(a.minhash))).toEqual(a.minhash);
  });

  it('does not fingerprint texts too short to compare', () => {
    expect(fingerprint('Short', ['Only a few words here.'])).toBeNull();
  });
});
