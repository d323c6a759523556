/**
 * Channel credentials at rest. The credential fields of a channel's config (CHANNEL_SECRET_FIELDS:
 * a Telegram bot token, an SMTP password, a Mastodon access token, a webhook signing secret) are
 * stored as `{"$sealed": "<base64>"}`, AES-256-GCM under SECRETS_KEY like partner HMAC keys
 * (secrets.ts), bound to the kind and field so a sealed value opens only where it was put. The
 * publisher opens them just before a send; the admin API shows only that a value is set.
 * Configs written before sealing existed hold plain strings: they still open (as themselves), and
 * `sealPlainChannelSecrets` seals them in place (idempotent; `npm start` runs it after the
 * migrations, since a migration has no SECRETS_KEY).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { CHANNEL_SECRET_FIELDS, CHANNEL_KINDS, type ChannelKind } from '@syndication/contracts';
import { openSecret, sealSecret } from './secrets';

export const SEALED = '$sealed';
export const REDACTED = '(set)';

const bound = (kind: string, field: string) => `channel:${kind}:${field}`;

function isSealed(v: unknown): v is { [SEALED]: string } {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[SEALED] === 'string';
}

function secretFields(kind: string): readonly string[] {
  return (CHANNEL_KINDS as readonly string[]).includes(kind) ? CHANNEL_SECRET_FIELDS[kind as ChannelKind] : [];
}

/** The config with every credential field sealed (already sealed values are kept). */
export function sealChannelConfig(key: Buffer, kind: string, config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const field of secretFields(kind)) {
    const v = out[field];
    if (typeof v === 'string') out[field] = { [SEALED]: sealSecret(key, v, bound(kind, field)).toString('base64') };
  }
  return out;
}

/** The config with every credential field in clear, for the adapter. Throws SecretUnreadableError. */
export function openChannelConfig(key: Buffer | readonly Buffer[], kind: string, config: unknown): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return config;
  const out = { ...(config as Record<string, unknown>) };
  for (const field of secretFields(kind)) {
    const v = out[field];
    if (isSealed(v)) out[field] = openSecret(key, Buffer.from(v[SEALED], 'base64'), bound(kind, field));
  }
  return out;
}

/** What the admin API shows: credential fields replaced by "(set)". */
export function redactChannelConfig(kind: string, config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const field of secretFields(kind)) if (out[field] !== undefined) out[field] = REDACTED;
  return out;
}

/** Seals credentials still stored in clear; returns how many channel rows changed. Call in a transaction. */
export async function sealPlainChannelSecrets(m: EntityManager | DataSource, key: Buffer): Promise<number> {
  const rows: Array<{ id: string; kind: string; config: Record<string, unknown> }> = await m.query(`SELECT id, kind, config FROM channel FOR UPDATE`);
  let changed = 0;
  for (const r of rows) {
    const sealed = sealChannelConfig(key, r.kind, r.config);
    if (JSON.stringify(sealed) === JSON.stringify(r.config)) continue;
    await m.query('UPDATE channel SET config = $2 WHERE id = $1', [r.id, JSON.stringify(sealed)]);
    changed++;
  }
  return changed;
}
