/**
 * Withdrawing a story (a kill) without a pushed `canceled` version: recorded as a new version
 * (format `kill-notice`) so the story's history shows who withdrew it and why, then applied
 * exactly like a pushed kill (applyVersionLifecycle). Used by the partner's
 * `POST /v1/stories/:id/withdraw` and by operators in the ops dashboard.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { recordStageEvent } from '@syndication/database';
import { applyVersionLifecycle } from './lifecycle';

export const KILL_NOTICE_FORMAT = 'kill-notice';

export interface WithdrawResult {
  created: boolean;
  storyId: string;
  versionId: string;
  version: number;
}

/**
 * Null when there is no such story (or, with `partnerId`, not one of that partner's). Call inside
 * a transaction; a story already withdrawn answers its withdrawing version with `created: false`.
 */
export async function withdrawStory(m: EntityManager, w: { storyId: string; reason: string; partnerId?: string }): Promise<WithdrawResult | null> {
  const { storyId, reason } = w;
  if (!/^[0-9a-f-]{36}$/i.test(storyId)) return null;
  const found: Array<{ external_id: string; partner_id: string }> = await m.query(
    'SELECT external_id, partner_id FROM story WHERE id = $1 AND ($2::uuid IS NULL OR partner_id = $2)',
    [storyId, w.partnerId ?? null],
  );
  if (!found[0]) return null;
  // The intake's per-story lock: a push of a new version and this kill cannot interleave.
  await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${found[0].partner_id}/${found[0].external_id}`]);
  const stories: Array<{ latest_version: number; pubstatus: string; pubstatus_version: number | null }> = await m.query(
    'SELECT latest_version, pubstatus, pubstatus_version FROM story WHERE id = $1',
    [storyId],
  );
  const s = stories[0]!;
  if (s.pubstatus === 'canceled') {
    const prior: Array<{ id: string; version: number }> = await m.query(
      'SELECT id, version FROM story_version WHERE story_id = $1 AND version = $2',
      [storyId, s.pubstatus_version ?? s.latest_version],
    );
    return { created: false, storyId, versionId: prior[0]!.id, version: prior[0]!.version };
  }
  const latest: Array<{ headline: string; language: string; canonical: Record<string, unknown> }> = await m.query(
    'SELECT headline, language, canonical FROM story_version WHERE story_id = $1 ORDER BY version DESC LIMIT 1',
    [storyId],
  );
  const l = latest[0]!;
  const version = s.latest_version + 1;
  const raw = JSON.stringify({ reason });
  const inserted: Array<{ id: string }> = await m.query(
    `INSERT INTO story_version (story_id, version, format, content_type, raw_payload, raw_sha256, headline, paragraphs, language,
                                stage, canonical, translate_status, tag_status, routed_at)
     VALUES ($1, $2, $3, 'application/json', $4, $5, $6, '[]', $7, 'stored', $8, 'skipped', 'skipped', now()) RETURNING id`,
    [storyId, version, KILL_NOTICE_FORMAT, raw, createHash('sha256').update(raw).digest(), l.headline, l.language,
      JSON.stringify({ ...l.canonical, version, pubStatus: 'canceled', paragraphs: [], bodyHtml: undefined })],
  );
  const versionId = inserted[0]!.id;
  await m.query('UPDATE story SET latest_version = $2, updated_at = now() WHERE id = $1', [storyId, version]);
  await recordStageEvent(m, versionId, 'intake', 'done', { format: KILL_NOTICE_FORMAT, reason });
  await applyVersionLifecycle(m, { storyId, versionId, version, pubStatus: 'canceled', reason });
  return { created: true, storyId, versionId, version };
}
