/** The Telegram adapter against a local Bot API server that speaks the real protocol. */
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { outboundPolicy, DENY_PRIVATE } from '@syndication/net';
import { startFakeTelegram, type FakeTelegram } from '@syndication/testing';

import { ChannelConfigError, ChannelDeliveryError } from '../channel';
import { MemoryCooldownStore } from '../cooldown';
import { TelegramChannel, type TelegramConfig } from './telegram.channel';

const TOKEN = '123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ';
const CHAT = '-1001234567890';
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
    headline: 'Mongolia signs <minerals> deal',
    paragraphs: ['First paragraph.', '<script>alert(1)</script> Second.'],
    receivedAt: '2026-02-07T10:00:00.000Z',
    tags: { entities: [], topics: [], keywords: [] },
    ...overrides,
  };
}

const notice: WithdrawalNotice = {
  deliveryId: 'w1',
  storyId: 'story-1',
  uri: 'urn:p:1',
  partner: 'p',
  language: 'en',
  pubStatus: 'canceled',
  version: 3,
  reason: 'Forged document',
  at: '2026-02-07T12:00:00.000Z',
};

describe('TelegramChannel', () => {
  let tg: FakeTelegram;
  let config: TelegramConfig;
  let channel: TelegramChannel;
  beforeEach(async () => {
    tg = await startFakeTelegram({ tokens: [TOKEN] });
    channel = new TelegramChannel(2_000, loopback, new MemoryCooldownStore());
    config = channel.parseConfig({ bot_token: TOKEN, chat_id: CHAT, api_root: tg.apiRoot, link_template: 'https://news.example/{story_id}' });
  });
  afterEach(() => tg.stop());

  it('validates its config strictly, naming the field', () => {
    expect(() => channel.parseConfig({ bot_token: 'nope', chat_id: CHAT })).toThrow(ChannelConfigError);
    expect(() => channel.parseConfig({ bot_token: TOKEN, chat_id: 'not a chat' })).toThrow(/chat_id/);
    expect(() => channel.parseConfig({ bot_token: TOKEN, chat_id: CHAT, extra: 1 })).toThrow(/extra/);
    expect(channel.parseConfig({ bot_token: TOKEN, chat_id: -100123 }).chat_id).toBe('-100123');
    expect(channel.resendSafe).toBe(false);
  });

  it('sends one HTML message, edits it on a correction, deletes it on a kill', async () => {
    const sent = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 });
    expect(sent.externalId).toMatch(new RegExp(`^${CHAT}/\\d+$`));
    const [msg] = tg.visible(CHAT);
    expect(msg!.parse_mode).toBe('HTML');
    expect(msg!.text).toContain('<b>Mongolia signs &lt;minerals&gt; deal</b>');
    expect(msg!.text).not.toContain('<script');
    expect(msg!.text).toContain('<a href="https://news.example/story-1">Full story</a>');

    const corrected = await channel.publish(config, story({ version: 2, headline: 'Mongolia signs minerals deal (corrected)' }), {
      deliveryId: 'd2',
      attempt: 1,
      previousExternalId: sent.externalId!,
    });
    expect(corrected.externalId).toBe(sent.externalId);
    expect(tg.visible(CHAT)).toHaveLength(1);
    expect(tg.visible(CHAT)[0]).toMatchObject({ edits: 1 });
    expect(tg.visible(CHAT)[0]!.text).toContain('(corrected)');

    await channel.withdraw(config, notice, { deliveryId: 'w1', attempt: 1, previousExternalId: sent.externalId! });
    expect(tg.visible(CHAT)).toHaveLength(0);
    expect(tg.calls.map((c) => c.method)).toEqual(['sendMessage', 'editMessageText', 'deleteMessage']);
    // A repeated kill (the message is already gone) is still a success.
    await expect(channel.withdraw(config, notice, { deliveryId: 'w1', attempt: 2, previousExternalId: sent.externalId! })).resolves.toBeDefined();
  });

  it('a correction whose message was deleted by an admin posts a new message', async () => {
    const out = await channel.publish(config, story({ version: 2 }), { deliveryId: 'd2', attempt: 1, previousExternalId: `${CHAT}/999` });
    expect(out.externalId).not.toBe(`${CHAT}/999`);
    expect(tg.visible(CHAT)).toHaveLength(1);
  });

  it('a 429 holds the whole bot for retry_after, across chats, without calling Telegram again', async () => {
    tg.failNext({ kind: 'error', code: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 });
    const err = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelDeliveryError);
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7_000 });
    const other = { ...config, chat_id: '-1009999' };
    const again = await channel.publish(other, story(), { deliveryId: 'd3', attempt: 1 }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'rate_limited', retryable: true });
    expect((again as ChannelDeliveryError).retryAfterMs).toBeGreaterThan(5_000);
    expect(tg.calls).toHaveLength(1);
  });

  it('classifies ok:false by error_code: 401 and 403 are permanent, 5xx retryable', async () => {
    const wrong = { ...config, bot_token: '999:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ' };
    await expect(channel.publish(wrong, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'auth_rejected', retryable: false });
    tg.failNext({ kind: 'error', code: 403, description: 'Forbidden: bot was kicked from the channel chat' });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'forbidden', retryable: false });
    tg.failNext({ kind: 'error', code: 502, description: 'Bad Gateway' });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'server_error', retryable: true, inDoubt: false });
  });

  it('an answer lost after the message was posted is in doubt (never resent), as is a timeout', async () => {
    tg.failNext({ kind: 'lose_answer' });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ inDoubt: true });
    expect(tg.visible(CHAT)).toHaveLength(1);
    tg.failNext({ kind: 'hang', ms: 5_000 });
    await expect(channel.publish(config, story(), { deliveryId: 'd2', attempt: 1 })).rejects.toMatchObject({ code: 'timeout', inDoubt: true });
  });

  it('refuses an api_root the outbound policy forbids, before any request', async () => {
    const guarded = new TelegramChannel(2_000, DENY_PRIVATE);
    await expect(guarded.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'destination_forbidden', retryable: false });
    expect(tg.calls).toHaveLength(0);
  });
});
