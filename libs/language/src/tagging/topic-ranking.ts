/**
 * Rank and cut: turns the evidence the topic classifier gathered for each top-level IPTC Media
 * Topic into a relevance in [0, 1] that says whether the story is *about* that field, the way a
 * desk editor picks one section (sometimes two) rather than every field a word touches.
 *
 * A field's strength is its evidence (already weighted by position and specificity, repeats of a
 * word discounted) times a bonus for distinct words: five different sports words say "sport" more
 * surely than one word five times. Relevance is then
 *   share^SHARE_EXPONENT * (BASE + (1 - BASE) * (1 - e^(-strength/SCALE)))
 * where share is the strength relative to the best field. The best field always scores at least
 * BASE, so a story is routed somewhere whenever any field has evidence; a second field needs about
 * 80% of the best one's strength (the margin rule) to pass the default routing threshold, and an incidental
 * word of another field ("the minister attended the match") ends far below it.
 */

export interface FieldEvidence {
  /** Weighted evidence units. */
  amount: number;
  /** Distinct terms (stems) and entities that gave it. */
  distinct: number;
}

export interface RankingParameters {
  /** Relevance of a best field with almost no evidence. */
  base: number;
  /** Strength at which the confidence part reaches 1 - 1/e. */
  scale: number;
  /** How fast relevance falls with the share of the best field's strength. */
  shareExponent: number;
  /** Bonus per distinct term beyond the first, up to maxDistinct terms. */
  distinctBonus: number;
  maxDistinct: number;
}

export const RANKING: RankingParameters = { base: 0.5, scale: 4, shareExponent: 2, distinctBonus: 0.25, maxDistinct: 5 };

export function fieldStrength(evidence: FieldEvidence, parameters: RankingParameters = RANKING): number {
  const distinct = Math.max(1, Math.min(evidence.distinct, parameters.maxDistinct));
  return evidence.amount * (1 + parameters.distinctBonus * (distinct - 1));
}

/** Relevance per top-level code, best first; codes without evidence are left out. */
export function rankFields(evidence: ReadonlyMap<string, FieldEvidence>, parameters: RankingParameters = RANKING): Array<[string, number]> {
  const strengths = [...evidence].map(([code, e]) => [code, fieldStrength(e, parameters)] as const).filter(([, s]) => s > 0);
  const best = Math.max(0, ...strengths.map(([, s]) => s));
  if (best === 0) return [];
  return strengths
    .map(([code, strength]): [string, number] => {
      const share = strength / best;
      const confidence = 1 - Math.exp(-strength / parameters.scale);
      const relevance = share ** parameters.shareExponent * (parameters.base + (1 - parameters.base) * confidence);
      return [code, Math.round(relevance * 100) / 100];
    })
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
