/**
 * Near-duplicates across partners (and across one partner's ids): each new text version's
 * MinHash signature is compared with the stories that share one of its LSH bands, found through
 * the GIN index on `story_fingerprint.bands`; pairs at or above the threshold are linked in both
 * directions. Nothing is dropped: both stories go on through the pipeline, the link is a flag.
 */
import type { EntityManager } from 'typeorm';
import { NEAR_DUPLICATE, fingerprint, minhashFromBytes, minhashSimilarity, minhashToBytes } from '@syndication/language';
import { recordStageEvent } from '@syndication/database';

/** Fingerprints of the last two weeks are compared; older stories are news of another day. */
export const NEAR_DUPLICATE_WINDOW = '14 days';
const MAX_CANDIDATES = 200;
/**
 * Links kept per new version: the closest ones. A story syndicated by many partners, or an
 * agency's templated briefs, would otherwise link every copy to every other (quadratic rows and
 * intake work); the closest few are what an editor needs, and each earlier copy keeps its own.
 */
const MAX_LINKS = 10;
// Advisory-lock class of the band locks (two-int form, so it cannot collide with the int8 locks).
const BAND_LOCK_CLASS = 0x4e445550;

export interface FingerprintInput {
  storyId: string;
  versionId: string;
  partnerId: string;
  headline: string;
  paragraphs: string[];
}

/**
 * Inside the intake transaction. Band locks are taken in one sorted pass before any lookup, so
 * two partners pushing the same story at the same moment serialise here and the second one sees
 * the first (without them, neither transaction would see the other's uncommitted fingerprint).
 */
export async function linkNearDuplicates(m: EntityManager, inputs: FingerprintInput[]): Promise<void> {
  const prints = inputs.flatMap((input) => {
    const fp = fingerprint(input.headline, input.paragraphs);
    return fp ? [{ input, fp }] : [];
  });
  if (prints.length === 0) return;
  const lockKeys = [...new Set(prints.flatMap((p) => p.fp.bands.map((b) => Number(BigInt.asIntN(32, BigInt(b))))))].sort((a, b) => a - b);
  await m.query(
    `SELECT count(pg_advisory_xact_lock($1::int, k)) FROM (SELECT k FROM unnest($2::int[]) AS k ORDER BY k) AS keys`,
    [BAND_LOCK_CLASS, lockKeys],
  );
  for (const { input, fp } of prints) {
    const candidates: Array<{ story_id: string; minhash: Buffer }> = await m.query(
      `SELECT story_id, minhash FROM story_fingerprint
        WHERE bands && $1::int8[] AND story_id <> $2 AND created_at > now() - $3::interval
        LIMIT $4`,
      [fp.bands, input.storyId, NEAR_DUPLICATE_WINDOW, MAX_CANDIDATES],
    );
    const links = candidates
      .map((c) => ({ id: c.story_id, similarity: Math.round(minhashSimilarity(fp.minhash, minhashFromBytes(c.minhash)) * 1000) / 1000 }))
      .filter((c) => c.similarity >= NEAR_DUPLICATE.threshold)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, MAX_LINKS);
    await m.query(
      `INSERT INTO story_fingerprint (story_id, story_version_id, partner_id, minhash, bands) VALUES ($1, $2, $3, $4, $5::int8[])
       ON CONFLICT (story_id) DO UPDATE SET story_version_id = EXCLUDED.story_version_id, minhash = EXCLUDED.minhash,
              bands = EXCLUDED.bands, created_at = now()`,
      [input.storyId, input.versionId, input.partnerId, minhashToBytes(fp.minhash), fp.bands],
    );
    if (links.length === 0) continue;
    await m.query(
      `INSERT INTO story_near_duplicate (story_id, other_story_id, similarity)
       SELECT x.a, x.b, x.similarity FROM jsonb_to_recordset($1::jsonb) AS x(a uuid, b uuid, similarity real)
       ON CONFLICT (story_id, other_story_id) DO UPDATE SET similarity = EXCLUDED.similarity, detected_at = now()`,
      [JSON.stringify(links.flatMap((l) => [
        { a: input.storyId, b: l.id, similarity: l.similarity },
        { a: l.id, b: input.storyId, similarity: l.similarity },
      ]))],
    );
    // Counts only: the timeline is the partner's, and the other stories may be other partners'.
    await recordStageEvent(m, input.versionId, 'intake', 'near_duplicates', {
      count: links.length,
      best_similarity: Math.max(...links.map((l) => l.similarity)),
    });
  }
}

export interface NearDuplicateView {
  /** Another partner's story id is not shown (null): the partner learns that, and how close, only. */
  id: string | null;
  partner: string | null;
  similarity: number;
  same_partner: boolean;
}

export async function nearDuplicatesOf(m: EntityManager, storyId: string, viewerPartnerId: string): Promise<NearDuplicateView[]> {
  const rows: Array<{ other_story_id: string; similarity: number; partner_id: string; slug: string }> = await m.query(
    `SELECT n.other_story_id, round(n.similarity::numeric, 3)::float8 AS similarity, o.partner_id, p.slug
       FROM story_near_duplicate n JOIN story o ON o.id = n.other_story_id JOIN partner p ON p.id = o.partner_id
      WHERE n.story_id = $1 ORDER BY n.similarity DESC, n.detected_at`,
    [storyId],
  );
  return rows.map((r) => {
    const own = r.partner_id === viewerPartnerId;
    return { id: own ? r.other_story_id : null, partner: own ? r.slug : null, similarity: r.similarity, same_partner: own };
  });
}
