/**
 * Creating partners, keys, channels and routes. Used by `npm start` for the demo setup and by
 * tests; an admin API will call the same functions. Every function is idempotent on its natural key.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ChannelKind } from '@syndication/contracts';

export async function upsertPartner(m: EntityManager, slug: string, name: string): Promise<string> {
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO partner (slug, name) VALUES ($1, $2)
     ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [slug, name],
  );
  return rows[0]!.id;
}

/** Registers `<keyId>.<secret>` for a partner (only a digest of the secret is stored). */
export async function upsertApiKey(m: EntityManager, partnerId: string, keyId: string, secret: string): Promise<string> {
  const digest = createHash('sha256').update(secret, 'utf8').digest();
  await m.query(
    `INSERT INTO partner_key (partner_id, key_id, secret_sha256) VALUES ($1, $2, $3)
     ON CONFLICT (key_id) DO UPDATE SET secret_sha256 = EXCLUDED.secret_sha256, revoked_at = NULL
     WHERE partner_key.partner_id = EXCLUDED.partner_id`,
    [partnerId, keyId, digest],
  );
  return `${keyId}.${secret}`;
}

export function newApiKeySecret(): string {
  return randomBytes(24).toString('base64url');
}

export async function upsertChannel(
  m: EntityManager,
  slug: string,
  kind: ChannelKind,
  name: string,
  config: Record<string, unknown>,
): Promise<string> {
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO channel (slug, kind, name, config) VALUES ($1, $2, $3, $4)
     ON CONFLICT (slug) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, config = EXCLUDED.config, active = true
     RETURNING id`,
    [slug, kind, name, JSON.stringify(config)],
  );
  return rows[0]!.id;
}

export async function upsertRoute(
  m: EntityManager,
  route: {
    name: string;
    channelId: string;
    languages: string[];
    partnerId?: string | null;
    sourceLanguages?: string[] | null;
    /** IPTC Media Topic codes; a story tagged with one of them or a narrower topic matches. */
    topics?: string[] | null;
    /** Entity ids (Wikidata QIDs) of which the story must mention at least one. */
    entities?: string[] | null;
    /** Provider chain for this route's translations (overrides pair and global orders). */
    translationProviders?: string[] | null;
    /** 'wait' (default) holds deliveries up to translationWaitSeconds; 'source_first' does not wait. */
    translationPolicy?: 'wait' | 'source_first';
    translationWaitSeconds?: number | null;
  },
): Promise<string> {
  const policy = [route.translationProviders ?? null, route.translationPolicy ?? 'wait', route.translationWaitSeconds ?? null];
  const existing: Array<{ id: string }> = await m.query('SELECT id FROM route WHERE name = $1 AND channel_id = $2', [
    route.name,
    route.channelId,
  ]);
  if (existing[0]) {
    await m.query(
      `UPDATE route SET languages = $2, partner_id = $3, source_languages = $4, topics = $5, entities = $6, active = true,
              translation_providers = $7, translation_policy = $8, translation_wait_seconds = $9
        WHERE id = $1`,
      [existing[0].id, route.languages, route.partnerId ?? null, route.sourceLanguages ?? null, route.topics ?? null, route.entities ?? null, ...policy],
    );
    return existing[0].id;
  }
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO route (name, channel_id, languages, partner_id, source_languages, topics, entities, translation_providers, translation_policy, translation_wait_seconds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [route.name, route.channelId, route.languages, route.partnerId ?? null, route.sourceLanguages ?? null, route.topics ?? null, route.entities ?? null, ...policy],
  );
  return rows[0]!.id;
}
