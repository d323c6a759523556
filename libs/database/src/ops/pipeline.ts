/**
 * The overview's Postgres side: per stage, what finished recently, what waits, how old the oldest
 * waiting item is, p95 latency and failures. Queue depths come from BullMQ (the dashboard app
 * asks the queues); this answers from the rows, which outlive any job retention.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../sql';

type Db = EntityManager | DataSource;

export interface StageSummary {
  stage: 'intake' | 'translate' | 'tag' | 'route' | 'publish';
  /** Settled in the last 5 minutes / last hour. */
  done_5m: number;
  done_1h: number;
  failed_1h: number;
  retries_1h: number;
  /** Waiting in Postgres (not yet settled). */
  backlog: number;
  oldest_waiting_seconds: number | null;
  /** p95 of the stage's own latency over the last hour, milliseconds. */
  p95_ms: number | null;
}

export async function pipelineSummary(db: Db): Promise<StageSummary[]> {
  const rows = await queryRows<StageSummary>(
    db,
    `WITH ev AS (
       SELECT e.stage, e.status, e.created_at, e.detail, v.received_at
         FROM stage_event e JOIN story_version v ON v.id = e.story_version_id
        WHERE e.created_at > now() - interval '1 hour'
     ),
     done AS (
       SELECT stage,
              count(*) FILTER (WHERE status IN ('done', 'delivered', 'skipped') AND created_at > now() - interval '5 minutes')::int AS done_5m,
              count(*) FILTER (WHERE status IN ('done', 'delivered', 'skipped'))::int AS done_1h,
              count(*) FILTER (WHERE status = 'failed')::int AS failed_1h,
              count(*) FILTER (WHERE status = 'retry')::int AS retries_1h,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE
                  WHEN detail ? 'ms' THEN (detail->>'ms')::double precision
                  ELSE extract(epoch FROM created_at - received_at) * 1000 END)
                FILTER (WHERE status IN ('done', 'delivered')) AS p95_ms
         FROM ev GROUP BY stage
     ),
     waiting AS (
       SELECT 'translate' AS stage, count(*)::int AS backlog, extract(epoch FROM now() - min(received_at)) AS oldest
         FROM story_version WHERE translate_status IN ('pending', 'running')
       UNION ALL
       SELECT 'tag', count(*)::int, extract(epoch FROM now() - min(received_at))
         FROM story_version WHERE tag_status IN ('pending', 'running')
       UNION ALL
       SELECT 'route', count(*)::int, extract(epoch FROM now() - min(received_at))
         FROM story_version WHERE routed_at IS NULL AND stage = 'enriching'
       UNION ALL
       SELECT 'publish', count(*)::int, extract(epoch FROM now() - min(created_at))
         FROM delivery WHERE status IN ('pending', 'retry', 'sending', 'waiting')
     )
     SELECT s.stage, COALESCE(d.done_5m, 0) AS done_5m, COALESCE(d.done_1h, 0) AS done_1h, COALESCE(d.failed_1h, 0) AS failed_1h,
            COALESCE(d.retries_1h, 0) AS retries_1h, COALESCE(w.backlog, 0) AS backlog,
            CASE WHEN w.backlog > 0 THEN round(w.oldest)::int END AS oldest_waiting_seconds,
            round(d.p95_ms)::int AS p95_ms
       FROM unnest(ARRAY['intake', 'translate', 'tag', 'route', 'publish']) WITH ORDINALITY AS s(stage, ord)
       LEFT JOIN done d ON d.stage = s.stage
       LEFT JOIN waiting w ON w.stage = s.stage
      ORDER BY s.ord`,
  );
  return rows;
}

export interface RecentStory {
  id: string;
  partner_slug: string;
  headline: string;
  created_at: string;
  stage: string;
  deliveries: Record<string, number>;
}

/** The latest stories with their delivery counts: the overview's "what just happened". */
export async function recentStories(db: Db, limit = 10): Promise<RecentStory[]> {
  return queryRows<RecentStory>(
    db,
    `SELECT s.id, p.slug AS partner_slug, v.headline, s.created_at, v.stage,
            COALESCE((SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM delivery WHERE story_version_id = v.id GROUP BY status) g), '{}') AS deliveries
       FROM story s JOIN partner p ON p.id = s.partner_id
       JOIN story_version v ON v.story_id = s.id AND v.version = s.latest_version
      ORDER BY s.updated_at DESC, s.id DESC LIMIT $1`,
    [Math.min(Math.max(limit, 1), 100)],
  );
}
