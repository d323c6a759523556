/**
 * The seed story through every channel kind against local fakes that speak each real protocol
 * (Telegram Bot API, SMTP, Mastodon statuses API, Standard Webhooks, our own feed): each receives
 * exactly one correct delivery; a correction then edits what each shows (Telegram edit, Mastodon
 * edit, threaded correction mail, a webhook with the new version, the feed item replaced), and a
 * kill takes it down everywhere (deleted message and status, retraction mail, story.withdrawn,
 * gone from the feed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWebhookSecret } from '@syndication/channels';
import { parsePlainText } from '@syndication/formats';
import {
  startFakeMastodon,
  startFakeTelegram,
  startSmtpSink,
  startWebhookReceiver,
  type FakeMastodon,
  type FakeTelegram,
  type SmtpSink,
  type WebhookReceiver,
} from '@syndication/testing';
import { simpleParser } from 'mailparser';
import Parser from 'rss-parser';
import { admin } from '../support/partners';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

const seed = parsePlainText(readFileSync(join(__dirname, '../fixtures/seed/centralasia-2026-02-07-ru.txt'), 'utf8'));
const TOKEN = '424242:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ';
const CHAT = '-1001234567890';
const MASTO_TOKEN = 'masto_token_abcdefghijklmnop';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function ninjs(version: number, headline: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ uri: 'urn:centralasia:2026-02-07', version: String(version), headline, body_text: seed.paragraphs.join('\n\n'), language: 'ru', ...extra });
}

describe('every channel kind: one delivery, then a correction, then a kill', () => {
  let system: RunningSystem;
  let tg: FakeTelegram;
  let sink: SmtpSink;
  let masto: FakeMastodon;
  let hook: WebhookReceiver;
  let partner: TestPartner;
  const secret = generateWebhookSecret();
  const feedSlug = `feed-${Date.now().toString(36)}`;

  beforeAll(async () => {
    system = await startSystem();
    [tg, sink, masto, hook] = await Promise.all([
      startFakeTelegram({ tokens: [TOKEN] }),
      startSmtpSink({ auth: { username: 'wire', password: 'smtp-pass' } }),
      startFakeMastodon({ token: MASTO_TOKEN }),
      startWebhookReceiver({ secret }),
    ]);
    partner = await createPartner(system.db, 'chan');
    const channels: Array<{ slug: string; kind: string; config: Record<string, unknown> }> = [
      { slug: feedSlug, kind: 'feed', config: { title: 'Seed feed' } },
      { slug: `${feedSlug}-hook`, kind: 'webhook', config: { url: hook.url, secret } },
      { slug: `${feedSlug}-tg`, kind: 'telegram', config: { bot_token: TOKEN, chat_id: CHAT, api_root: tg.apiRoot } },
      {
        slug: `${feedSlug}-mail`,
        kind: 'email',
        config: { host: sink.host, port: sink.port, tls: 'none', username: 'wire', password: 'smtp-pass', from: 'wire@news.example', to: ['desk@paper.example'] },
      },
      { slug: `${feedSlug}-masto`, kind: 'mastodon', config: { instance_url: masto.url, access_token: MASTO_TOKEN } },
    ];
    for (const c of channels) {
      const created = await admin(system, 'POST', '/v1/admin/channels', { ...c, name: `Seed ${c.kind}` });
      expect(created.status).toBe(201);
      const route = await admin(system, 'POST', '/v1/admin/routes', { name: `seed to ${c.kind}`, channel: c.slug, partner: partner.slug, languages: ['source'] });
      expect(route.status).toBe(201);
    }
    // Credentials are sealed at rest and never shown back.
    const stored: Array<{ config: string }> = await system.db.query(`SELECT config::text FROM channel WHERE slug LIKE $1`, [`${feedSlug}%`]);
    for (const secretValue of [TOKEN, MASTO_TOKEN, 'smtp-pass', secret]) expect(stored.map((r) => r.config).join()).not.toContain(secretValue);
    const shown = await admin(system, 'GET', `/v1/admin/channels/${feedSlug}-tg`);
    expect(shown.body['config']).toMatchObject({ bot_token: '(set)', chat_id: CHAT });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([tg?.stop(), sink?.stop(), masto?.stop(), hook?.stop()]);
    await system?.stop();
  });

  const published = () => hook.received.filter((w) => w.verified && (w.payload as { type: string }).type === 'story.published');
  async function feedItems(): Promise<Array<{ title?: string }>> {
    const res = await fetch(`${system.feedUrl}/feeds/${feedSlug}.rss`);
    return (await new Parser().parseString(await res.text())).items;
  }

  it('delivers the seed once to each, corrects it everywhere, then withdraws it everywhere', async () => {
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, ninjs(1, seed.headline), 'application/json');
    expect(v1.status).toBe(202);
    const id = v1.body['id'] as string;
    const view = await waitSettled(system.intakeUrl, partner.apiKey, id, 60_000);
    expect(view.versions[0]!.deliveries.map((d) => `${d.channel_kind}:${d.status}`).sort()).toEqual([
      'email:delivered',
      'feed:delivered',
      'mastodon:delivered',
      'telegram:delivered',
      'webhook:delivered',
    ]);

    // Exactly one correct delivery on each.
    expect(tg.visible(CHAT)).toHaveLength(1);
    expect(tg.visible(CHAT)[0]!.text).toContain(`<b>${seed.headline}</b>`);
    expect(sink.messages).toHaveLength(1);
    const mail1 = await simpleParser(sink.messages[0]!.raw);
    expect(mail1.subject).toBe(seed.headline);
    expect(mail1.text).toContain(seed.paragraphs[1]!);
    expect(masto.visible()).toHaveLength(1);
    expect(masto.visible()[0]!.text.startsWith(seed.headline)).toBe(true);
    expect(published()).toHaveLength(1);
    expect((await feedItems()).map((i) => i.title)).toEqual([seed.headline]);

    // A correction edits what each channel shows.
    const corrected = `${seed.headline} (исправлено)`;
    const v2 = await pushStory(system.intakeUrl, partner.apiKey, ninjs(2, corrected), 'application/json');
    expect(v2.status).toBe(202);
    await waitSettled(system.intakeUrl, partner.apiKey, id, 60_000);
    expect(tg.visible(CHAT)).toHaveLength(1);
    expect(tg.visible(CHAT)[0]).toMatchObject({ edits: 1 });
    expect(tg.visible(CHAT)[0]!.text).toContain(corrected);
    expect(masto.visible()).toHaveLength(1);
    expect(masto.visible()[0]).toMatchObject({ edits: 1 });
    expect(masto.visible()[0]!.text).toContain(corrected);
    expect(sink.messages).toHaveLength(2);
    const mail2 = await simpleParser(sink.messages[1]!.raw);
    expect(mail2.subject).toBe(`Correction: ${corrected}`);
    expect(mail2.inReplyTo).toBe(mail1.messageId);
    expect(published()).toHaveLength(2);
    expect((published()[1]!.payload as { data: { version: string } }).data.version).toBe('2');
    expect((await feedItems()).map((i) => i.title)).toEqual([corrected]);

    // A kill takes it down everywhere.
    const kill = await pushStory(system.intakeUrl, partner.apiKey, ninjs(3, `KILL: ${seed.headline}`, { pubstatus: 'canceled', body_text: 'Forged source.' }), 'application/json');
    expect(kill.status).toBe(202);
    await waitFor('withdrawals', async () => {
      const v = await waitSettled(system.intakeUrl, partner.apiKey, id, 60_000);
      return v.status === 'withdrawn' && v;
    });
    await waitSettled(system.intakeUrl, partner.apiKey, id, 60_000);
    expect(tg.visible(CHAT)).toHaveLength(0);
    expect(tg.messages).toHaveLength(1);
    expect(masto.visible()).toHaveLength(0);
    expect(masto.statuses).toHaveLength(1);
    expect(sink.messages).toHaveLength(3);
    const mail3 = await simpleParser(sink.messages[2]!.raw);
    expect(mail3.subject).toMatch(/^Withdrawn: /);
    expect(mail3.inReplyTo).toBe(mail2.messageId);
    expect(hook.received.filter((w) => (w.payload as { type: string }).type === 'story.withdrawn')).toHaveLength(1);
    expect(await feedItems()).toEqual([]);
    // Nothing was sent twice anywhere.
    expect(tg.calls.map((c) => c.method)).toEqual(['sendMessage', 'editMessageText', 'deleteMessage']);
    expect(masto.requests.map((r) => r.method)).toEqual(['POST', 'PUT', 'DELETE']);
  }, 120_000);
});
