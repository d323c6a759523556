/**
 * Pipeline behaviour against the real services: retries never publish twice, a language with no
 * translation provider is a recorded outcome, and work lost from Redis is rebuilt from Postgres.
 */
import { generateWebhookSecret } from '@syndication/channels';
import { JOB_NAMES } from '@syndication/contracts';
import { startWebhookReceiver, uniqueIds } from '@syndication/testing';
import { readFileSync } from 'node:fs';
import { SEED_FILE } from '../support/env';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled } from '../support/fixtures';

const story = (uri: string, headline = 'Mongolia signs a minerals deal in Washington') =>
  JSON.stringify({
    uri,
    version: '1',
    headline,
    body_text: 'The foreign minister of Mongolia met the US Secretary of State in Washington.\n\nThe talks covered critical minerals.',
    language: 'en',
  });

describe('pipeline', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);
  afterAll(() => system?.stop());

  it('has exactly one handler for every job name across the worker apps', () => {
    expect([...system.handledJobs].sort()).toEqual([...JOB_NAMES].sort());
  });

  it('streams pipeline events (Redis transport -> SSE) while a new version runs', async () => {
    const partner = await createPartner(system.db, 'sse');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'sse' }, ['source']);
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, story('urn:sse:1'), 'application/json');
    await waitSettled(system.intakeUrl, partner.apiKey, v1.body['id'] as string);
    const ctrl = new AbortController();
    const res = await fetch(`${system.intakeUrl}/v1/stories/${v1.body['id']}/events`, {
      headers: { authorization: `Bearer ${partner.apiKey}` },
      signal: ctrl.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const v2Body = JSON.parse(story('urn:sse:1', 'Updated headline')) as Record<string, unknown>;
    const v2 = await pushStory(system.intakeUrl, partner.apiKey, JSON.stringify({ ...v2Body, version: '2' }), 'application/json');
    expect(v2.status).toBe(202);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"stage":"publish"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    const events = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as { stage: string; status: string; versionId: string });
    expect(events.every((e) => e.versionId === v2.body['version_id'])).toBe(true);
    expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(['translate', 'tag', 'route', 'publish']));
  });

  it('routes on tags: a topic rule takes narrower topics, an entity rule needs the entity', async () => {
    const partner = await createPartner(system.db, 'tags');
    // The seed is tagged "diplomacy" (medtop:20000639); the rule names its top level, politics.
    const politics = await createRoutedChannel(system.db, partner, 'feed', { title: 'politics' }, ['source'], { topics: ['medtop:11000000'] });
    // Russia (Q159) is not among the seed's entities.
    const russia = await createRoutedChannel(system.db, partner, 'feed', { title: 'russia' }, ['source'], { entities: ['Q159'] });
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, readFileSync(SEED_FILE));
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
    const v = view.versions[0]!;
    expect(v.deliveries.map((d) => [d.channel, d.language, d.status])).toEqual([[politics.slug, 'ru', 'delivered']]);
    const rows = (await system.db.query('SELECT count(*)::int AS count FROM delivery WHERE channel_id = $1', [russia.id])) as Array<{ count: number }>;
    expect(rows[0]?.count).toBe(0);
  });

  it('previews where a story would go and which tags decided it, writing nothing', async () => {
    const partner = await createPartner(system.db, 'preview');
    const politics = await createRoutedChannel(system.db, partner, 'feed', { title: 'politics' }, ['source', 'uk'], { topics: ['medtop:11000000'] });
    await createRoutedChannel(system.db, partner, 'feed', { title: 'russia' }, ['source'], { entities: ['Q159'] });
    const res = await fetch(`${system.intakeUrl}/v1/routes/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'text/plain; charset=utf-8' },
      body: readFileSync(SEED_FILE),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      format: string;
      items: Array<{
        language: string;
        channels: Array<{ channel: string; languages: string[] }>;
        matched_routes: Array<{ channel: string; topics: string[]; entities: string[] }>;
        tags: { topics: Array<{ code: string }>; entities: Array<{ id: string }> };
      }>;
    };
    const item = body.items[0]!;
    expect(item.language).toBe('ru');
    // Other partners' routes (from parallel tests) cannot match this partner: only its own channel.
    expect(item.channels).toEqual([{ channel: politics.slug, kind: 'feed', languages: ['ru', 'uk'] }]);
    expect(item.matched_routes).toEqual([expect.objectContaining({ channel: politics.slug, topics: ['medtop:20000639'], entities: [] })]);
    expect(item.tags.entities.map((e) => e.id)).toContain('Q711');
    const stories = (await system.db.query('SELECT count(*)::int AS count FROM story WHERE partner_id = $1', [partner.id])) as Array<{ count: number }>;
    expect(stories[0]?.count).toBe(0);
  });

  it('retries a failing webhook with the same webhook-id and delivers it once', async () => {
    const partner = await createPartner(system.db, 'retry');
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({
      secret,
      respond: (req) => (req.attempt < 3 ? { status: 503 } : { status: 204 }),
    });
    try {
      await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:retry:1'), 'application/json');
      const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
      const d = view.versions[0]!.deliveries[0]!;
      expect(d).toMatchObject({ status: 'delivered', attempts: 3, channel_kind: 'webhook' });
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
      expect(d.external_id).toBe(receiver.received[0]!.id);
      const publishEvents = view.versions[0]!.timeline.filter((e) => e.stage === 'publish').map((e) => e.status);
      expect(publishEvents).toEqual(['retry', 'retry', 'delivered']);
    } finally {
      await receiver.stop();
    }
  }, 60_000);

  it('records a target language with no provider as unsupported and still publishes the rest', async () => {
    const partner = await createPartner(system.db, 'nolang');
    const feed = await createRoutedChannel(system.db, partner, 'feed', { title: 'kk + source' }, ['source', 'kk']);
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:nolang:1'), 'application/json');
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
    const v = view.versions[0]!;
    expect(v.translations).toEqual([expect.objectContaining({ language: 'kk', status: 'unsupported' })]);
    expect(v.stages['translate']).toBe('done');
    expect(v.deliveries.map((d) => [d.language, d.status]).sort()).toEqual([
      ['en', 'delivered'],
      ['kk', 'skipped'],
    ]);
    expect(view.status).toBe('published');
    const rss = await (await fetch(`${system.feedUrl}/feeds/${feed.slug}.rss`)).text();
    expect(rss).toContain('Mongolia signs a minerals deal in Washington');
  }, 60_000);

  it('closes a story version once its deliveries finish together on many channels', async () => {
    const partner = await createPartner(system.db, 'fanout');
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    try {
      for (let i = 0; i < 8; i++) await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:fanout:1'), 'application/json');
      const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
      expect(view.versions[0]!.deliveries.map((d) => d.status)).toEqual(Array(8).fill('delivered'));
      expect(view.versions[0]!.stage).toBe('done');
      expect(uniqueIds(receiver.received)).toHaveLength(8);
    } finally {
      await receiver.stop();
    }
  });

  it('publishes every story exactly once per channel under concurrency', async () => {
    const partner = await createPartner(system.db, 'burst');
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    try {
      await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
      const pushes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => pushStory(system.intakeUrl, partner.apiKey, story(`urn:burst:${i}`, `Story ${i}`), 'application/json')),
      );
      expect(pushes.every((p) => p.status === 202)).toBe(true);
      for (const p of pushes) await waitSettled(system.intakeUrl, partner.apiKey, p.body['id'] as string);
      expect(receiver.received).toHaveLength(30);
      expect(uniqueIds(receiver.received)).toHaveLength(30);
    } finally {
      await receiver.stop();
    }
  }, 90_000);
});

describe('reconciler', () => {
  it('rebuilds work that Redis lost from Postgres', async () => {
    // Intake, relay and queues run, but no workers: the jobs wait in Redis. Then Redis "loses"
    // them (the prefix is wiped, as after a restart without persistence) and workers start.
    const first = await startSystem({ intakeOnly: true });
    const partner = await createPartner(first.db, 'lost');
    const feed = await createRoutedChannel(first.db, partner, 'feed', { title: 'lost' }, ['source']);
    const pushed = await pushStory(first.intakeUrl, partner.apiKey, story('urn:lost:1'), 'application/json');
    expect(pushed.status).toBe(202);
    // No relay ran, so the outbox row is still pending. Mark it dispatched to simulate the worst
    // case: the jobs reached Redis and were then lost with it.
    await first.db.query(`UPDATE outbox SET dispatched_at = now() WHERE payload->>'versionId' = $1`, [pushed.body['version_id']]);
    await first.stop(); // deletes every Redis key of its prefix

    const second = await startSystem({ env: { RECONCILE_INTERVAL_MS: '500', RECONCILE_STALE_AFTER_MS: '200' } });
    try {
      const view = await waitSettled(second.intakeUrl, partner.apiKey, pushed.body['id'] as string, 30_000);
      expect(view.versions[0]!.deliveries.map((d) => d.status)).toEqual(['delivered']);
      const rss = await (await fetch(`${second.feedUrl}/feeds/${feed.slug}.rss`)).text();
      expect(rss).toContain('Mongolia signs a minerals deal');
    } finally {
      await second.stop();
    }
  }, 60_000);
});
