/** The Mastodon adapter against a local instance that implements the statuses API. */
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { DENY_PRIVATE, outboundPolicy } from '@syndication/net';
import { startFakeMastodon, type FakeMastodon } from '@syndication/testing';

import { ChannelConfigError } from '../channel';
import { MastodonChannel, type MastodonConfig } from './mastodon.channel';

const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz012345';
const loopback = outboundPolicy({ allowlist: ['127.0.0.0/8'] });

function story(overrides: Partial<PublishableStory> = {}): PublishableStory {
  return {
    storyId: 'story-1',
    versionId: 'v1',
    version: 1,
    deliveryId: 'd1',
    partner: 'p',
    uri: 'urn:p:1',
    language: 'en',
    sourceLanguage: 'en',
    machineTranslated: false,
    headline: 'Mongolia signs minerals deal',
    paragraphs: ['First paragraph. '.repeat(40), '<script>alert(1)</script>Second.'],
    receivedAt: '2026-02-07T10:00:00.000Z',
    tags: {
      entities: [{ id: 'Q711', type: 'place', name: 'Mongolia', mentions: [], confidence: 0.9, source: 'gazetteer' }],
      topics: [{ code: 'medtop:20000568', name: 'foreign trade', score: 0.8, ancestors: [], source: 'rules' }],
      keywords: [],
    },
    ...overrides,
  };
}

const notice: WithdrawalNotice = { deliveryId: 'w1', storyId: 'story-1', uri: 'urn:p:1', partner: 'p', language: 'en', pubStatus: 'canceled', version: 3, reason: 'Forged', at: '2026-02-07T12:00:00.000Z' };

describe('MastodonChannel', () => {
  let masto: FakeMastodon;
  let channel: MastodonChannel;
  let config: MastodonConfig;
  beforeEach(async () => {
    masto = await startFakeMastodon({ token: TOKEN });
    channel = new MastodonChannel(1_500, loopback);
    config = channel.parseConfig({ instance_url: masto.url, access_token: TOKEN, link_template: 'https://news.example/s/{story_id}?lang={language}' });
  });
  afterEach(() => masto.stop());

  it('validates its config strictly', () => {
    expect(() => channel.parseConfig({ instance_url: 'ftp://x', access_token: TOKEN })).toThrow(ChannelConfigError);
    expect(() => channel.parseConfig({ instance_url: masto.url, access_token: TOKEN, visibility: 'direct' })).toThrow(/visibility/);
    expect(channel.resendSafe).toBe(true);
  });

  it('posts one status within the limit (link, hashtags), with an Idempotency-Key; a resend returns the same status', async () => {
    const first = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 });
    const again = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 2 });
    expect(again.externalId).toBe(first.externalId);
    expect(masto.visible()).toHaveLength(1);
    const [s] = masto.visible();
    expect(s!.text.startsWith('Mongolia signs minerals deal\n\n')).toBe(true);
    expect(s!.text).toContain('https://news.example/s/story-1?lang=en');
    expect(s!.text.endsWith('#ForeignTrade #Mongolia')).toBe(true);
    expect(s!.text).not.toMatch(/[<>]/);
    expect(masto.requests.filter((r) => r.method === 'POST').map((r) => r.idempotencyKey)).toEqual(['d1', 'd1']);
  });

  it('edits the status on a correction and deletes it on a kill', async () => {
    const first = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 });
    const edited = await channel.publish(config, story({ version: 2, headline: 'Deal signed' }), { deliveryId: 'd2', attempt: 1, previousExternalId: first.externalId! });
    expect(edited.externalId).toBe(first.externalId);
    expect(masto.visible()).toEqual([expect.objectContaining({ id: first.externalId, edits: 1 })]);
    expect(masto.visible()[0]!.text.startsWith('Corrected: Deal signed')).toBe(true);
    await channel.withdraw(config, notice, { deliveryId: 'w1', attempt: 1, previousExternalId: first.externalId! });
    expect(masto.visible()).toHaveLength(0);
    await expect(channel.withdraw(config, notice, { deliveryId: 'w1', attempt: 2, previousExternalId: first.externalId! })).resolves.toMatchObject({ detail: { already: true } });
  });

  it('429 honours the rate-limit reset, 401 is permanent, a hang is a timeout', async () => {
    const reset = new Date(Date.now() + 60_000).toISOString();
    masto.failNext({ kind: 'error', status: 429, headers: { 'x-ratelimit-reset': reset } });
    const err = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true });
    expect((err as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
    await expect(channel.publish({ ...config, access_token: 'wrong_token_1234567890' }, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({
      code: 'auth_rejected',
      retryable: false,
    });
    masto.failNext({ kind: 'hang', ms: 5_000 });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });

  it('refuses an instance the outbound policy forbids', async () => {
    await expect(new MastodonChannel(1_500, DENY_PRIVATE).publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'destination_forbidden' });
    expect(masto.requests).toHaveLength(0);
  });
});
