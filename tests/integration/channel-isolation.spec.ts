/**
 * One slow channel never holds the others: with 4 publish worker slots and a per-channel limit of
 * 2, a webhook endpoint that accepts requests and never answers (the sender gives up after its
 * 30 s timeout) gets at most 2 sends in flight, while a Telegram chat and a second webhook
 * receive every story before the hanging endpoint has answered anything. Without the gate, the
 * hanging channel's jobs fill all 4 slots and the others wait out the 30 s.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateWebhookSecret } from '@syndication/channels';
import { startFakeTelegram, startWebhookReceiver, type FakeTelegram, type WebhookReceiver } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory } from '../support/fixtures';

const TOKEN = '31337:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ';
const CHAT = '-100999';
const STORIES = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('channel isolation', () => {
  let system: RunningSystem;
  let tg: FakeTelegram;
  let fast: WebhookReceiver;
  const open = new Set<ServerResponse>();
  let maxOpen = 0;
  let arrived = 0;
  const hang = createServer((_req: IncomingMessage, res: ServerResponse) => {
    arrived++;
    open.add(res);
    maxOpen = Math.max(maxOpen, open.size);
    res.on('close', () => open.delete(res));
  });
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    system = await startSystem({ env: { PUBLISH_CONCURRENCY: '4', CHANNEL_CONCURRENCY: '2', WEBHOOK_TIMEOUT_MS: '30000' } });
    tg = await startFakeTelegram({ tokens: [TOKEN] });
    fast = await startWebhookReceiver({ secret });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    // Dropping the hanging connections lets the in-flight sends fail at once, so the worker drains.
    hang.closeAllConnections();
    await new Promise<void>((resolve) => hang.close(() => resolve()));
    await Promise.all([tg?.stop(), fast?.stop()]);
    await system?.stop();
  });

  it('delivers every story to the healthy channels while the hanging endpoint holds at most its own 2 slots', async () => {
    const partner = await createPartner(system.db, 'iso');
    const hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/hook`;
    await createRoutedChannel(system.db, partner, 'webhook', { url: hangUrl, secret }, ['source']);
    await createRoutedChannel(system.db, partner, 'telegram', { bot_token: TOKEN, chat_id: CHAT, api_root: tg.apiRoot }, ['source']);
    await createRoutedChannel(system.db, partner, 'webhook', { url: fast.url, secret }, ['source']);

    for (let i = 0; i < STORIES; i++) {
      const res = await pushStory(system.intakeUrl, partner.apiKey, JSON.stringify({ uri: `urn:iso:${i}`, version: '1', headline: `Story ${i}`, body_text: 'Body.', language: 'en' }), 'application/json');
      expect(res.status).toBe(202);
    }
    // Every healthy delivery lands while the hanging endpoint has answered nothing (its first
    // request would time out only after 30 s, and the test gives up before that).
    const deadline = Date.now() + 25_000;
    while (tg.visible(CHAT).length < STORIES || fast.received.length < STORIES) {
      if (Date.now() > deadline) throw new Error(`healthy channels stalled: telegram ${tg.visible(CHAT).length}, webhook ${fast.received.length} of ${STORIES}`);
      await sleep(100);
    }
    expect(tg.visible(CHAT)).toHaveLength(STORIES);
    expect(fast.received.filter((w) => w.verified)).toHaveLength(STORIES);
    expect(arrived).toBeGreaterThan(0);
    expect(maxOpen).toBeLessThanOrEqual(2);
    const hung: Array<{ n: number }> = await system.db.query(
      `SELECT count(*)::int AS n FROM delivery d JOIN channel c ON c.id = d.channel_id WHERE c.config->>'url' = $1 AND d.status IN ('delivered', 'failed')`,
      [hangUrl],
    );
    expect(hung[0]!.n).toBe(0);
  }, 60_000);
});
