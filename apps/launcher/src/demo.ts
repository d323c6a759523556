/**
 * The demo setup `npm start` provisions (idempotently): a partner with a well-known key, a feed
 * channel that carries the Ukrainian version, a webhook channel pointed at a local receiver that
 * verifies Standard Webhooks signatures, an email channel to a local SMTP sink, and Telegram and
 * Mastodon channels when their credentials are in the environment. The partner also gets an HMAC
 * signing key, so signed requests can be tried at once.
 *
 * Channels and routes go through the same code path as the admin API: each config is validated by
 * its channel adapter and stored by `createChannel` (credentials sealed, audited).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { ChannelKind } from '@syndication/contracts';
import { ChannelRegistry } from '@syndication/channels';
import { type Actor, createChannel, listOpsUsers, upsertApiKey, upsertHmacKey, upsertOpsUser, upsertPartner, upsertRoute } from '@syndication/database';
import { DEMO_API_KEY, DEMO_PARTNER, DEMO_SIGNING_KEY_ID, DEMO_SIGNING_SECRET } from '../../partner-cli/src/demo';

export const DEMO_FEED = 'demo-feed';
export const DEMO_WEBHOOK = 'demo-webhook';
export const DEMO_EMAIL = 'demo-email';
export const DEMO_TELEGRAM = 'demo-telegram';
export const DEMO_MASTODON = 'demo-mastodon';
/** Fixed so the receiver verifies what a previous run configured; a demo value, not a secret. */
export const DEMO_WEBHOOK_SECRET = 'whsec_ZGVtby13ZWJob29rLXNlY3JldC1jaGFuZ2UtbWU=';

export const DEMO_FEED_CONFIG = {
  title: 'Syndication demo — Ukrainian',
  description: 'Stories from the demo partner, machine-translated into Ukrainian',
};

export function demoWebhookConfig(url: string): Record<string, unknown> {
  return { url, secret: DEMO_WEBHOOK_SECRET };
}

export interface DemoChannels {
  webhookUrl: string;
  smtp: { host: string; port: number };
  /** From DEMO_TELEGRAM_BOT_TOKEN / DEMO_TELEGRAM_CHAT_ID (/ DEMO_TELEGRAM_API_ROOT). */
  telegram?: { bot_token: string; chat_id: string; api_root?: string };
  /** From DEMO_MASTODON_URL / DEMO_MASTODON_TOKEN. */
  mastodon?: { instance_url: string; access_token: string };
}

/** The optional channels' credentials, when the environment has them. */
export function demoCredentials(env: NodeJS.ProcessEnv): Pick<DemoChannels, 'telegram' | 'mastodon'> {
  const tgToken = env['DEMO_TELEGRAM_BOT_TOKEN'];
  const tgChat = env['DEMO_TELEGRAM_CHAT_ID'];
  const mUrl = env['DEMO_MASTODON_URL'];
  const mToken = env['DEMO_MASTODON_TOKEN'];
  return {
    ...(tgToken && tgChat ? { telegram: { bot_token: tgToken, chat_id: tgChat, ...(env['DEMO_TELEGRAM_API_ROOT'] ? { api_root: env['DEMO_TELEGRAM_API_ROOT'] } : {}) } } : {}),
    ...(mUrl && mToken ? { mastodon: { instance_url: mUrl, access_token: mToken } } : {}),
  };
}

const ACTOR: Actor = { actor: 'npm start', actorType: 'system' };
const registry = new ChannelRegistry();

async function demoChannel(m: EntityManager, secretsKey: Buffer, slug: string, kind: ChannelKind, name: string, config: Record<string, unknown>): Promise<string> {
  // Validated exactly as POST /v1/admin/channels validates (a ChannelConfigError names the field).
  const parsed = registry.get(kind).parseConfig(config) as Record<string, unknown>;
  await createChannel(m, { slug, kind, name, config: parsed }, secretsKey, ACTOR, { upsert: true });
  const rows: Array<{ id: string }> = await m.query('SELECT id FROM channel WHERE slug = $1', [slug]);
  return rows[0]!.id;
}

/** `secretsKey` is SECRETS_KEY: signing secrets and channel credentials are stored sealed under it. Returns the channel slugs. */
export async function provisionDemo(db: DataSource, channels: DemoChannels, secretsKey: Buffer): Promise<string[]> {
  return db.transaction(async (m) => {
    const partnerId = await upsertPartner(m, DEMO_PARTNER, 'Demo partner');
    const [keyId, secret] = DEMO_API_KEY.split('.') as [string, string];
    await upsertApiKey(m, partnerId, keyId, secret);
    await upsertHmacKey(m, partnerId, DEMO_SIGNING_KEY_ID, DEMO_SIGNING_SECRET, secretsKey);
    const slugs = [DEMO_FEED, DEMO_WEBHOOK, DEMO_EMAIL];
    const feed = await demoChannel(m, secretsKey, DEMO_FEED, 'feed', 'Demo feed (Ukrainian)', DEMO_FEED_CONFIG);
    await upsertRoute(m, { name: 'demo: everything to the feed in Ukrainian', channelId: feed, languages: ['uk'], partnerId });
    const hook = await demoChannel(m, secretsKey, DEMO_WEBHOOK, 'webhook', 'Demo partner webhook', demoWebhookConfig(channels.webhookUrl));
    await upsertRoute(m, { name: 'demo: everything to the webhook, source + Ukrainian', channelId: hook, languages: ['source', 'uk'], partnerId });
    const mail = await demoChannel(m, secretsKey, DEMO_EMAIL, 'email', 'Demo newsroom mailing list', {
      host: channels.smtp.host,
      port: channels.smtp.port,
      tls: 'none',
      from: 'wire@syndication.demo',
      to: ['desk@partner.demo'],
      unsubscribe_url: 'mailto:unsubscribe@syndication.demo',
    });
    await upsertRoute(m, { name: 'demo: everything by email, source language', channelId: mail, languages: ['source'], partnerId, translationPolicy: 'source_first' });
    if (channels.telegram) {
      const tg = await demoChannel(m, secretsKey, DEMO_TELEGRAM, 'telegram', 'Demo Telegram chat', channels.telegram);
      await upsertRoute(m, { name: 'demo: everything to Telegram in Ukrainian', channelId: tg, languages: ['uk'], partnerId });
      slugs.push(DEMO_TELEGRAM);
    }
    if (channels.mastodon) {
      const masto = await demoChannel(m, secretsKey, DEMO_MASTODON, 'mastodon', 'Demo Mastodon account', { ...channels.mastodon, visibility: 'unlisted' });
      await upsertRoute(m, { name: 'demo: everything to Mastodon, source language', channelId: masto, languages: ['source'], partnerId, translationPolicy: 'source_first' });
      slugs.push(DEMO_MASTODON);
    }
    return slugs;
  });
}

/** The ops dashboard's demo admin: public values, like the demo partner key. */
export const DEMO_OPS_USER = 'demo-admin';
export const DEMO_OPS_PASSWORD = 'demo-admin-password-change-me';

/**
 * Creates the demo admin once. An existing account of that name is left as it is (its password may
 * have been changed); `true` when the demo password is in force because this run set it.
 */
export async function provisionDemoOpsUser(db: DataSource): Promise<boolean> {
  if ((await listOpsUsers(db)).some((u) => u.username === DEMO_OPS_USER)) return false;
  await upsertOpsUser(db, DEMO_OPS_USER, 'admin', DEMO_OPS_PASSWORD);
  return true;
}
