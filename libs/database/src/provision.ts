/**
 * Creating partners, keys, channels and routes. Used by `npm start` for the demo setup and by
 * tests; an admin API will call the same functions. Every function is idempotent on its natural key.
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ChannelKind } from '@syndication/contracts';
import type { PartnerKeyKind } from './entities/partner.entity';
import { sealSecret } from './secrets';

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
     WHERE partner_key.partner_id = EXCLUDED.partner_id AND partner_key.kind = 'api_key'`,
    [partnerId, keyId, digest],
  );
  return `${keyId}.${secret}`;
}

export function newApiKeySecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Registers an HMAC signing key; the secret is sealed under `secretsKey` (SECRETS_KEY). */
export async function upsertHmacKey(m: EntityManager, partnerId: string, keyId: string, secret: string, secretsKey: Buffer): Promise<void> {
  await m.query(
    `INSERT INTO partner_key (partner_id, key_id, kind, secret_sealed) VALUES ($1, $2, 'hmac', $3)
     ON CONFLICT (key_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, revoked_at = NULL
     WHERE partner_key.partner_id = EXCLUDED.partner_id AND partner_key.kind = 'hmac'`,
    [partnerId, keyId, sealSecret(secretsKey, secret, keyId)],
  );
}

/** Registers a partner's Ed25519 public key (PEM SPKI, or base64 of the raw 32 bytes). */
export async function upsertEd25519Key(m: EntityManager, partnerId: string, keyId: string, publicKey: string): Promise<void> {
  await m.query(
    `INSERT INTO partner_key (partner_id, key_id, kind, public_key) VALUES ($1, $2, 'ed25519', $3)
     ON CONFLICT (key_id) DO UPDATE SET public_key = EXCLUDED.public_key, revoked_at = NULL
     WHERE partner_key.partner_id = EXCLUDED.partner_id AND partner_key.kind = 'ed25519'`,
    [partnerId, keyId, parseEd25519PublicKey(publicKey)],
  );
}

export class KeyMaterialError extends Error {}

/** Ed25519 DER prefix of an SPKI structure (RFC 8410); the raw key is the 32 bytes after it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** PEM SPKI or base64 of the raw 32-byte key -> SPKI DER. Throws KeyMaterialError otherwise. */
export function parseEd25519PublicKey(input: string): Buffer {
  const text = input.trim();
  let der: Buffer;
  if (text.startsWith('-----BEGIN')) {
    try {
      const key = createPublicKey({ key: text, format: 'pem' });
      if (key.asymmetricKeyType !== 'ed25519') throw new KeyMaterialError(`an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
      der = key.export({ type: 'spki', format: 'der' });
    } catch (err) {
      throw err instanceof KeyMaterialError ? err : new KeyMaterialError('not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
    }
  } else {
    const raw = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    if (raw.length !== 32) throw new KeyMaterialError('expected a PEM public key or base64 of the 32-byte raw Ed25519 key');
    der = Buffer.concat([ED25519_SPKI_PREFIX, raw]);
  }
  return der;
}

/** At most this many active keys per partner per use (API keys; signing keys): one in use, one being rolled in. */
export const MAX_ACTIVE_KEYS = 2;

export class TooManyActiveKeysError extends Error {}

export type NewPartnerKey = { kind: 'api_key' } | { kind: 'hmac' } | { kind: 'ed25519'; publicKey: string };

export interface CreatedPartnerKey {
  keyId: string;
  kind: PartnerKeyKind;
  createdAt: Date;
  /** api_key: the bearer credential `<key_id>.<secret>`; hmac: the signing secret. Shown once. */
  secret?: string;
}

/**
 * Creates a key with a generated id (and secret). Refuses a third active key of the same use
 * (API keys vs signing keys) instead of retiring one silently: revoking is the operator's
 * decision, taken once the partner has switched. The partner row lock serialises concurrent calls.
 */
export async function createPartnerKey(m: EntityManager, partnerId: string, spec: NewPartnerKey, secretsKey: Buffer): Promise<CreatedPartnerKey> {
  await m.query('SELECT 1 FROM partner WHERE id = $1 FOR UPDATE', [partnerId]);
  const signing = spec.kind !== 'api_key';
  const [active]: Array<{ n: number }> = await m.query(
    `SELECT count(*)::int AS n FROM partner_key
      WHERE partner_id = $1 AND revoked_at IS NULL AND (kind = 'api_key') = $2`,
    [partnerId, !signing],
  );
  if ((active?.n ?? 0) >= MAX_ACTIVE_KEYS) {
    throw new TooManyActiveKeysError(
      `the partner already has ${MAX_ACTIVE_KEYS} active ${signing ? 'signing keys' : 'API keys'}; revoke one first`,
    );
  }
  const keyId = `${{ api_key: 'ak', hmac: 'hk', ed25519: 'ek' }[spec.kind]}_${randomBytes(8).toString('hex')}`;
  let secret: string | undefined;
  if (spec.kind === 'api_key') {
    secret = await upsertApiKey(m, partnerId, keyId, newApiKeySecret());
  } else if (spec.kind === 'hmac') {
    secret = `hsec_${randomBytes(32).toString('base64url')}`;
    await upsertHmacKey(m, partnerId, keyId, secret, secretsKey);
  } else {
    await upsertEd25519Key(m, partnerId, keyId, spec.publicKey);
  }
  const [row]: Array<{ created_at: Date }> = await m.query('SELECT created_at FROM partner_key WHERE key_id = $1', [keyId]);
  return { keyId, kind: spec.kind, createdAt: row!.created_at, ...(secret ? { secret } : {}) };
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
