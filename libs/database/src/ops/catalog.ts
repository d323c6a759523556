/**
 * Operator reads of the system's configuration and health across partners: partners with their
 * volume and delivery success, channels with state and last error, routes, translation providers
 * and cost, polled feeds, and the delivery ledger by channel and status.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../sql';

type Db = EntityManager | DataSource;

export interface PartnerOps {
  id: string;
  slug: string;
  name: string;
  created_at: string;
  require_signature: boolean;
  active_keys: number;
  stories_24h: number;
  stories_7d: number;
  last_push_at: string | null;
  deliveries_24h: number;
  delivered_24h: number;
  failed_24h: number;
  /** Items a polled feed of theirs refused at its last poll, by problem code (pushes refused over HTTP are not stored). */
  feed_rejections: Record<string, number>;
}

export async function listPartnersOps(db: Db): Promise<PartnerOps[]> {
  return queryRows<PartnerOps>(
    db,
    `SELECT p.id, p.slug, p.name, p.created_at, p.require_signature,
            (SELECT count(*)::int FROM partner_key k WHERE k.partner_id = p.id AND k.revoked_at IS NULL) AS active_keys,
            (SELECT count(*)::int FROM story s WHERE s.partner_id = p.id AND s.created_at > now() - interval '24 hours') AS stories_24h,
            (SELECT count(*)::int FROM story s WHERE s.partner_id = p.id AND s.created_at > now() - interval '7 days') AS stories_7d,
            (SELECT max(s.updated_at) FROM story s WHERE s.partner_id = p.id) AS last_push_at,
            COALESCE(d.total, 0) AS deliveries_24h, COALESCE(d.delivered, 0) AS delivered_24h, COALESCE(d.failed, 0) AS failed_24h,
            COALESCE((SELECT jsonb_object_agg(code, n) FROM (
               SELECT item->'problem'->>'code' AS code, count(*)::int AS n
                 FROM polled_feed f, jsonb_array_elements(CASE WHEN jsonb_typeof(f.last_result->'items') = 'array' THEN f.last_result->'items' ELSE '[]' END) item
                WHERE f.partner_id = p.id AND item->'problem'->>'code' IS NOT NULL GROUP BY 1) r), '{}') AS feed_rejections
       FROM partner p
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS total, count(*) FILTER (WHERE d.status = 'delivered')::int AS delivered, count(*) FILTER (WHERE d.status = 'failed')::int AS failed
           FROM delivery d JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
          WHERE s.partner_id = p.id AND d.created_at > now() - interval '24 hours') d ON true
      ORDER BY p.slug`,
  );
}

export interface ChannelOps {
  id: string;
  slug: string;
  kind: string;
  name: string;
  state: string;
  state_reason: string | null;
  state_since: string;
  state_until: string | null;
  last_delivered_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  last_error_story_id: string | null;
  backlog: number;
  delivered_1h: number;
  failed_1h: number;
  routes: number;
}

export async function listChannelsOps(db: Db): Promise<ChannelOps[]> {
  return queryRows<ChannelOps>(
    db,
    `SELECT c.id, c.slug, c.kind, c.name, c.state, c.state_reason, c.state_since, c.state_until,
            (SELECT max(delivered_at) FROM delivery d WHERE d.channel_id = c.id AND d.status = 'delivered') AS last_delivered_at,
            le.last_error, le.at AS last_error_at, le.story_id AS last_error_story_id,
            (SELECT count(*)::int FROM delivery d WHERE d.channel_id = c.id AND d.status IN ('pending', 'retry', 'sending', 'waiting')) AS backlog,
            (SELECT count(*)::int FROM delivery d WHERE d.channel_id = c.id AND d.status = 'delivered' AND d.delivered_at > now() - interval '1 hour') AS delivered_1h,
            (SELECT count(*)::int FROM delivery d WHERE d.channel_id = c.id AND d.status = 'failed' AND COALESCE(d.claimed_at, d.created_at) > now() - interval '1 hour') AS failed_1h,
            (SELECT count(*)::int FROM route r WHERE r.channel_id = c.id AND r.active) AS routes
       FROM channel c
       LEFT JOIN LATERAL (
         SELECT d.last_error, COALESCE(d.claimed_at, d.created_at) AS at, v.story_id
           FROM delivery d JOIN story_version v ON v.id = d.story_version_id
          WHERE d.channel_id = c.id AND d.last_error IS NOT NULL AND d.status <> 'canceled'
          ORDER BY COALESCE(d.claimed_at, d.created_at) DESC LIMIT 1) le ON true
      ORDER BY c.slug`,
  );
}

export interface RouteOps {
  id: string;
  name: string;
  partner_slug: string | null;
  channel_slug: string;
  channel_kind: string;
  source_languages: string[] | null;
  languages: string[];
  topics: string[] | null;
  entities: string[] | null;
  translation_policy: string;
  translation_wait_seconds: number | null;
  translation_providers: string[] | null;
  active: boolean;
}

export async function listRoutesOps(db: Db): Promise<RouteOps[]> {
  return queryRows<RouteOps>(
    db,
    `SELECT r.id, r.name, p.slug AS partner_slug, c.slug AS channel_slug, c.kind AS channel_kind, r.source_languages, r.languages,
            r.topics, r.entities, r.translation_policy, r.translation_wait_seconds, r.translation_providers, r.active
       FROM route r JOIN channel c ON c.id = r.channel_id LEFT JOIN partner p ON p.id = r.partner_id
      ORDER BY c.slug, r.name`,
  );
}

export interface ProviderOps {
  provider: string;
  status: string;
  paused_until: string | null;
  reason: string | null;
  updated_at: string | null;
  translations_24h: number;
  failed_24h: number;
  chars_sent_total: number;
  chars_reused_total: number;
}

/** Providers seen in translation rows or in translation_provider_status, with use and cost. */
export async function listProvidersOps(db: Db): Promise<ProviderOps[]> {
  return queryRows<ProviderOps>(
    db,
    `WITH names AS (SELECT provider FROM translation_provider_status UNION SELECT provider FROM translation WHERE provider IS NOT NULL)
     SELECT n.provider, COALESCE(s.status, 'active') AS status, s.paused_until, s.reason, s.updated_at,
            (SELECT count(*)::int FROM translation t WHERE t.provider = n.provider AND t.created_at > now() - interval '24 hours' AND t.status = 'done') AS translations_24h,
            (SELECT count(*)::int FROM translation t WHERE t.provider = n.provider AND t.created_at > now() - interval '24 hours' AND t.status = 'failed') AS failed_24h,
            COALESCE((SELECT sum(chars_sent)::bigint FROM translation_cost c WHERE c.provider = n.provider), 0)::float8 AS chars_sent_total,
            COALESCE((SELECT sum(chars_reused)::bigint FROM translation_cost c WHERE c.provider = n.provider), 0)::float8 AS chars_reused_total
       FROM names n LEFT JOIN translation_provider_status s ON s.provider = n.provider
      ORDER BY n.provider`,
  );
}

export interface CostRow {
  partner_slug: string;
  provider: string | null;
  language: string;
  translations: number;
  chars_sent: number;
  chars_reused: number;
}

export async function translationCost(db: Db): Promise<CostRow[]> {
  return queryRows<CostRow>(
    db,
    `SELECT p.slug AS partner_slug, c.provider, c.language, c.translations::int, c.chars_sent::float8 AS chars_sent, c.chars_reused::float8 AS chars_reused
       FROM translation_cost c JOIN partner p ON p.id = c.partner_id ORDER BY p.slug, c.provider, c.language`,
  );
}

export interface FeedOps {
  id: string;
  partner_slug: string;
  url: string;
  interval_seconds: number;
  enabled: boolean;
  last_polled_at: string | null;
  last_status: string | null;
  last_error: string | null;
  last_result: Record<string, unknown> | null;
  consecutive_failures: number;
  next_poll_at: string | null;
}

export async function listFeedsOps(db: Db): Promise<FeedOps[]> {
  return queryRows<FeedOps>(
    db,
    `SELECT f.id, p.slug AS partner_slug, f.url, f.interval_seconds, f.enabled, f.last_polled_at, f.last_status, f.last_error,
            f.last_result, f.consecutive_failures, f.next_poll_at
       FROM polled_feed f JOIN partner p ON p.id = f.partner_id ORDER BY p.slug, f.url`,
  );
}

export interface DeliveryOps {
  id: string;
  story_id: string;
  headline: string;
  partner_slug: string;
  channel_slug: string;
  language: string;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  external_id: string | null;
  created_at: string;
  delivered_at: string | null;
}

export async function listDeliveriesOps(db: Db, f: { channel?: string; status?: string; limit?: number; before?: string }): Promise<DeliveryOps[]> {
  return queryRows<DeliveryOps>(
    db,
    `SELECT d.id, v.story_id, v.headline, p.slug AS partner_slug, c.slug AS channel_slug, d.language, d.kind, d.status, d.attempts,
            d.last_error, d.external_id, d.created_at, d.delivered_at
       FROM delivery d JOIN channel c ON c.id = d.channel_id JOIN story_version v ON v.id = d.story_version_id
       JOIN story s ON s.id = v.story_id JOIN partner p ON p.id = s.partner_id
      WHERE ($1::text IS NULL OR c.slug = $1) AND ($2::text IS NULL OR d.status = $2)
        AND ($3::timestamptz IS NULL OR d.created_at < $3)
      ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
    [f.channel ?? null, f.status ?? null, f.before ?? null, Math.min(Math.max(f.limit ?? 50, 1), 100)],
  );
}

export async function deliveryCountsByChannel(db: Db): Promise<Array<{ channel_slug: string; status: string; n: number }>> {
  return queryRows(
    db,
    `SELECT c.slug AS channel_slug, d.status, count(*)::int AS n FROM delivery d JOIN channel c ON c.id = d.channel_id
      GROUP BY c.slug, d.status ORDER BY c.slug, d.status`,
  );
}

export async function findChannelBySlugOrId(db: Db, ref: string): Promise<{ id: string; slug: string } | null> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(ref);
  const rows = await queryRows<{ id: string; slug: string }>(db, `SELECT id, slug FROM channel WHERE ${isUuid ? 'id = $1::uuid' : 'slug = $1'}`, [ref]);
  return rows[0] ?? null;
}

/** Current status of some deliveries (the live list after a replay). */
export async function deliveriesByIds(db: Db, ids: string[]): Promise<Array<{ id: string; story_id: string; channel_slug: string; language: string; status: string; last_error: string | null }>> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)).slice(0, 100);
  if (!valid.length) return [];
  return queryRows(
    db,
    `SELECT d.id, v.story_id, c.slug AS channel_slug, d.language, d.status, d.last_error
       FROM delivery d JOIN channel c ON c.id = d.channel_id JOIN story_version v ON v.id = d.story_version_id
      WHERE d.id = ANY($1::uuid[]) ORDER BY c.slug, d.language`,
    [valid],
  );
}
