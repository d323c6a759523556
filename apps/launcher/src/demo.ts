/**
 * The demo setup `npm start` provisions (idempotently): a partner with a well-known key, a feed
 * channel that carries the Ukrainian version, and a webhook channel pointed at a local receiver
 * that verifies Standard Webhooks signatures, carrying the source and Ukrainian versions. The
 * partner also gets an HMAC signing key, so signed requests can be tried at once.
 */
import type { DataSource } from 'typeorm';
import { listOpsUsers, upsertApiKey, upsertChannel, upsertHmacKey, upsertOpsUser, upsertPartner, upsertRoute } from '@syndication/database';
import { DEMO_API_KEY, DEMO_PARTNER, DEMO_SIGNING_KEY_ID, DEMO_SIGNING_SECRET } from '../../partner-cli/src/demo';

export const DEMO_FEED = 'demo-feed';
export const DEMO_WEBHOOK = 'demo-webhook';
/** Fixed so the receiver verifies what a previous run configured; a demo value, not a secret. */
export const DEMO_WEBHOOK_SECRET = 'whsec_ZGVtby13ZWJob29rLXNlY3JldC1jaGFuZ2UtbWU=';

export const DEMO_FEED_CONFIG = {
  title: 'Syndication demo — Ukrainian',
  description: 'Stories from the demo partner, machine-translated into Ukrainian',
};

export function demoWebhookConfig(url: string): Record<string, unknown> {
  return { url, secret: DEMO_WEBHOOK_SECRET };
}

/** `secretsKey` is SECRETS_KEY: the signing secret is stored sealed under it, as every HMAC secret is. */
export async function provisionDemo(db: DataSource, webhookUrl: string, secretsKey: Buffer): Promise<void> {
  await db.transaction(async (m) => {
    const partnerId = await upsertPartner(m, DEMO_PARTNER, 'Demo partner');
    const [keyId, secret] = DEMO_API_KEY.split('.') as [string, string];
    await upsertApiKey(m, partnerId, keyId, secret);
    await upsertHmacKey(m, partnerId, DEMO_SIGNING_KEY_ID, DEMO_SIGNING_SECRET, secretsKey);
    const feed = await upsertChannel(m, DEMO_FEED, 'feed', 'Demo feed (Ukrainian)', DEMO_FEED_CONFIG);
    await upsertRoute(m, { name: 'demo: everything to the feed in Ukrainian', channelId: feed, languages: ['uk'], partnerId });
    const hook = await upsertChannel(m, DEMO_WEBHOOK, 'webhook', 'Demo partner webhook', demoWebhookConfig(webhookUrl));
    await upsertRoute(m, { name: 'demo: everything to the webhook, source + Ukrainian', channelId: hook, languages: ['source', 'uk'], partnerId });
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
