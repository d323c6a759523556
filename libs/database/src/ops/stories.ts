/**
 * Cross-partner story reads for operators: search with keyset pagination, and one story's whole
 * history (versions, every stage_event, deliveries with external ids, translations, removed
 * boilerplate). Partner-scoped reads stay in the intake; these never filter by partner unless asked.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../sql';

type Db = EntityManager | DataSource;

export const OPS_STORY_STATUSES = ['processing', 'published', 'partially_published', 'failed', 'in_doubt', 'not_routed', 'withdrawn', 'withheld'] as const;
export type OpsStoryStatus = (typeof OPS_STORY_STATUSES)[number];

export interface StorySearch {
  /** Our story / version / delivery id, the partner's id or uri (exact), or words of the headline. */
  q?: string;
  partner?: string;
  status?: OpsStoryStatus;
  /** ISO instants bounding the story's first arrival. */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface StoryRow {
  id: string;
  partner_slug: string;
  external_id: string;
  latest_version: number;
  headline: string;
  language: string;
  created_at: string;
  updated_at: string;
  stage: string;
  status: OpsStoryStatus;
  deliveries: Record<string, number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Status of the latest version, from its stage and its deliveries' statuses (SQL, over `s`, `v`, `dc`). */
const STATUS_SQL = `CASE
    WHEN s.pubstatus = 'canceled' THEN 'withdrawn'
    WHEN s.pubstatus = 'withheld' THEN 'withheld'
    WHEN COALESCE((dc.counts->>'in_doubt')::int, 0) > 0 THEN 'in_doubt'
    WHEN v.stage NOT IN ('done', 'stored') OR COALESCE((dc.counts->>'pending')::int, 0) + COALESCE((dc.counts->>'retry')::int, 0)
         + COALESCE((dc.counts->>'sending')::int, 0) + COALESCE((dc.counts->>'waiting')::int, 0) > 0 THEN 'processing'
    WHEN COALESCE((dc.counts->>'failed')::int, 0) > 0 AND COALESCE((dc.counts->>'delivered')::int, 0) > 0 THEN 'partially_published'
    WHEN COALESCE((dc.counts->>'failed')::int, 0) > 0 THEN 'failed'
    WHEN COALESCE((dc.counts->>'delivered')::int, 0) > 0 THEN 'published'
    ELSE 'not_routed' END`;

export function encodeCursor(row: { created_at: string; id: string }): string {
  return Buffer.from(`${new Date(row.created_at).toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) return null;
  return { at, id };
}

export async function searchStories(db: Db, s: StorySearch): Promise<{ items: StoryRow[]; next_cursor: string | null }> {
  const limit = Math.min(Math.max(s.limit ?? 50, 1), 100);
  const cursor = decodeCursor(s.cursor);
  const q = s.q?.trim() || null;
  const isId = q !== null && UUID.test(q);
  const rows = await queryRows<StoryRow>(
    db,
    `WITH base AS (
       SELECT s.* FROM story s JOIN partner p ON p.id = s.partner_id
        WHERE ($1::text IS NULL OR p.slug = $1)
          AND ($2::timestamptz IS NULL OR s.created_at >= $2) AND ($3::timestamptz IS NULL OR s.created_at < $3)
          AND ($4::text IS NULL
               OR ($5::uuid IS NOT NULL AND (s.id = $5::uuid
                           OR EXISTS (SELECT 1 FROM story_version x WHERE x.story_id = s.id AND x.id = $5::uuid)
                           OR EXISTS (SELECT 1 FROM delivery d JOIN story_version x ON x.id = d.story_version_id WHERE x.story_id = s.id AND d.id = $5::uuid)))
               OR s.external_id = $4
               OR EXISTS (SELECT 1 FROM story_version x WHERE x.story_id = s.id AND x.headline ILIKE '%' || replace(replace($4, '%', '\\%'), '_', '\\_') || '%'))
     )
     SELECT * FROM (
       SELECT s.id, p.slug AS partner_slug, s.external_id, s.latest_version, v.headline, v.language, s.created_at, s.updated_at, v.stage,
              ${STATUS_SQL} AS status, COALESCE(dc.counts, '{}'::jsonb) AS deliveries
         FROM base s
         JOIN partner p ON p.id = s.partner_id
         JOIN story_version v ON v.story_id = s.id AND v.version = s.latest_version
         LEFT JOIN LATERAL (SELECT jsonb_object_agg(status, n) AS counts FROM (SELECT status, count(*)::int AS n FROM delivery WHERE story_version_id = v.id GROUP BY status) g) dc ON true
        WHERE ($6::timestamptz IS NULL OR (s.created_at, s.id) < ($6::timestamptz, $7::uuid))
     ) r
     WHERE ($8::text IS NULL OR r.status = $8)
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT $9`,
    [s.partner ?? null, s.from ?? null, s.to ?? null, q, isId ? q : null, cursor?.at ?? null, cursor?.id ?? null, s.status ?? null, limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export interface StoryDetail {
  id: string;
  partner_slug: string;
  partner_name: string;
  external_id: string;
  created_at: string;
  pubstatus: string;
  pubstatus_reason: string | null;
  embargo_until: string | null;
  expires_at: string | null;
  status: OpsStoryStatus;
  versions: VersionDetail[];
}

export interface VersionDetail {
  id: string;
  version: number;
  received_at: string;
  format: string;
  headline: string;
  language: string;
  stage: string;
  translate_status: string;
  tag_status: string;
  routed_at: string | null;
  removed_spans: Array<{ reason: string; text: string; ruleId?: string }>;
  events: Array<{ id: string; stage: string; status: string; at: string; detail: Record<string, unknown> }>;
  deliveries: Array<{
    id: string;
    channel_id: string;
    channel_slug: string;
    channel_kind: string;
    language: string;
    kind: string;
    status: string;
    attempts: number;
    last_error: string | null;
    external_id: string | null;
    created_at: string;
    claimed_at: string | null;
    delivered_at: string | null;
    detail: Record<string, unknown>;
  }>;
  translations: Array<{ language: string; status: string; provider: string | null; headline: string | null; error: string | null; chars_sent: number; chars_reused: number; created_at: string }>;
}

export async function getStoryDetail(db: Db, storyId: string): Promise<StoryDetail | null> {
  if (!UUID.test(storyId)) return null;
  const stories = await queryRows<Omit<StoryDetail, 'versions'>>(
    db,
    `SELECT s.id, p.slug AS partner_slug, p.name AS partner_name, s.external_id, s.created_at, s.pubstatus, s.pubstatus_reason,
            s.embargo_until, s.expires_at, ${STATUS_SQL} AS status
       FROM story s JOIN partner p ON p.id = s.partner_id
       JOIN story_version v ON v.story_id = s.id AND v.version = s.latest_version
       LEFT JOIN LATERAL (SELECT jsonb_object_agg(status, n) AS counts FROM (SELECT status, count(*)::int AS n FROM delivery WHERE story_version_id = v.id GROUP BY status) g) dc ON true
      WHERE s.id = $1`,
    [storyId],
  );
  const story = stories[0];
  if (!story) return null;
  const versions = await queryRows<Omit<VersionDetail, 'events' | 'deliveries' | 'translations'>>(
    db,
    `SELECT id, version, received_at, format, headline, language, stage, translate_status, tag_status, routed_at, removed_spans
       FROM story_version WHERE story_id = $1 ORDER BY version DESC`,
    [storyId],
  );
  const ids = versions.map((v) => v.id);
  const [events, deliveries, translations] = await Promise.all([
    queryRows<VersionDetail['events'][number] & { story_version_id: string }>(
      db,
      'SELECT id::text, story_version_id, stage, status, created_at AS at, detail FROM stage_event WHERE story_version_id = ANY($1) ORDER BY stage_event.id',
      [ids],
    ),
    queryRows<VersionDetail['deliveries'][number] & { story_version_id: string }>(
      db,
      `SELECT d.id, d.story_version_id, d.channel_id, c.slug AS channel_slug, c.kind AS channel_kind, d.language, d.kind, d.status, d.attempts,
              d.last_error, d.external_id, d.created_at, d.claimed_at, d.delivered_at, d.detail
         FROM delivery d JOIN channel c ON c.id = d.channel_id WHERE d.story_version_id = ANY($1) ORDER BY c.slug, d.language, d.kind`,
      [ids],
    ),
    queryRows<VersionDetail['translations'][number] & { story_version_id: string }>(
      db,
      `SELECT story_version_id, language, status, provider, headline, error, chars_sent, chars_reused, created_at
         FROM translation WHERE story_version_id = ANY($1) ORDER BY language`,
      [ids],
    ),
  ]);
  const pick = <T extends { story_version_id: string }>(rows: T[], id: string) =>
    rows.filter((r) => r.story_version_id === id).map(({ story_version_id: _, ...rest }) => rest);
  return {
    ...story,
    versions: versions.map((v) => ({ ...v, events: pick(events, v.id), deliveries: pick(deliveries, v.id), translations: pick(translations, v.id) })),
  };
}

/**
 * The newest stage_event and audit_event ids, and which stories had stage events after
 * `afterEventId` (-1: none asked, first call). Drives the live views.
 */
export async function changesSince(db: Db, afterEventId: string): Promise<{ eventId: string; auditId: string; storyIds: string[] }> {
  const rows = await queryRows<{ event_id: string; audit_id: string; story_ids: string[] | null }>(
    db,
    `SELECT (SELECT COALESCE(max(id), 0)::text FROM stage_event) AS event_id,
            (SELECT COALESCE(max(id), 0)::text FROM audit_event) AS audit_id,
            (SELECT array_agg(DISTINCT v.story_id::text) FROM stage_event e JOIN story_version v ON v.id = e.story_version_id WHERE $1::bigint >= 0 AND e.id > $1::bigint) AS story_ids`,
    [afterEventId],
  );
  const r = rows[0]!;
  return { eventId: r.event_id, auditId: r.audit_id, storyIds: r.story_ids ?? [] };
}
