/**
 * Failures grouped by cause (stage x channel x error code, with an error class), over 1 h / 24 h /
 * 7 d, with a sample story to deep-link to; and the selection a group replay acts on.
 *
 * Delivery errors are stored as `<code>: <message>` by the publisher (the channel adapter's
 * stable code first), so the code is the text before the first colon. The class says what kind of
 * action helps: transient (retry later), rate_limited (slow down), auth (fix credentials),
 * permanent (fix the channel or the story).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../sql';

type Db = EntityManager | DataSource;

export const ERROR_CLASS_SQL = (code: string) => `CASE
    WHEN ${code} IN ('rate_limited', 'unavailable') THEN 'rate_limited'
    WHEN ${code} IN ('auth_rejected', 'credentials_broken') THEN 'auth'
    WHEN ${code} IN ('endpoint_gone', 'redirect_blocked', 'bad_config', 'client_error', 'rejected') THEN 'permanent'
    ELSE 'transient' END`;

const CODE_SQL = `CASE WHEN position(':' IN COALESCE(d.last_error, '')) > 0 AND position(' ' IN split_part(d.last_error, ':', 1)) = 0
                       THEN split_part(d.last_error, ':', 1) ELSE 'error' END`;

export interface FailureGroup {
  stage: string;
  channel: string | null;
  channel_id: string | null;
  status: string;
  error_code: string;
  error_class: string;
  last_1h: number;
  last_24h: number;
  last_7d: number;
  first_seen: string;
  last_seen: string;
  sample_story_id: string;
  sample_error: string | null;
  /** Rows a replay of this group would reset now (failed ones). */
  replayable: number;
}

export async function failureGroups(db: Db): Promise<FailureGroup[]> {
  return queryRows<FailureGroup>(
    db,
    `WITH f AS (
       SELECT 'publish'::text AS stage, c.slug AS channel, c.id AS channel_id, d.status, ${CODE_SQL} AS error_code,
              COALESCE(d.claimed_at, d.created_at) AS at, v.story_id, d.last_error AS error
         FROM delivery d JOIN channel c ON c.id = d.channel_id JOIN story_version v ON v.id = d.story_version_id
        WHERE d.status IN ('failed', 'retry', 'in_doubt') AND COALESCE(d.claimed_at, d.created_at) > now() - interval '7 days'
       UNION ALL
       SELECT e.stage, NULL, NULL, 'failed', 'stage_failed', e.created_at, v.story_id, e.detail->>'error'
         FROM stage_event e JOIN story_version v ON v.id = e.story_version_id
        WHERE e.stage IN ('translate', 'tag') AND e.status = 'failed' AND e.created_at > now() - interval '7 days'
          AND ((e.stage = 'translate' AND v.translate_status = 'failed') OR (e.stage = 'tag' AND v.tag_status = 'failed'))
     )
     SELECT stage, channel, channel_id, status, error_code, ${ERROR_CLASS_SQL('error_code')} AS error_class,
            count(*) FILTER (WHERE at > now() - interval '1 hour')::int AS last_1h,
            count(*) FILTER (WHERE at > now() - interval '24 hours')::int AS last_24h,
            count(*)::int AS last_7d,
            min(at) AS first_seen, max(at) AS last_seen,
            (array_agg(story_id ORDER BY at DESC))[1] AS sample_story_id,
            (array_agg(error ORDER BY at DESC))[1] AS sample_error,
            count(*) FILTER (WHERE status = 'failed')::int AS replayable
       FROM f GROUP BY stage, channel, channel_id, status, error_code
      ORDER BY max(at) DESC`,
  );
}

export interface FailureFilter {
  stage: 'publish' | 'translate' | 'tag';
  channelId?: string;
  errorCode?: string;
}

/** Failed delivery ids matching a group (publish), oldest first, at most `limit`. */
export async function failedDeliveryIds(db: Db, f: FailureFilter, limit = 1000): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    `SELECT d.id FROM delivery d
      WHERE d.status = 'failed' AND d.kind IN ('publish', 'withdraw')
        AND ($1::uuid IS NULL OR d.channel_id = $1) AND ($2::text IS NULL OR ${CODE_SQL} = $2)
      ORDER BY COALESCE(d.claimed_at, d.created_at) LIMIT $3`,
    [f.channelId ?? null, f.errorCode ?? null, limit],
  );
  return rows.map((r) => r.id);
}

/** Version ids whose translate / tag stage failed for good. */
export async function failedStageVersionIds(db: Db, stage: 'translate' | 'tag', limit = 1000): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    `SELECT id FROM story_version WHERE ${stage === 'translate' ? 'translate_status' : 'tag_status'} = 'failed' ORDER BY received_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.id);
}
