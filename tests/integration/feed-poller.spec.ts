/**
 * Partner feeds we poll, end to end against a fake partner feed server on 127.0.0.1: a feed
 * registered through /v1/feeds gets a job scheduler, its first poll ingests every item through
 * the intake path, a conditional GET answered 304 ingests nothing, a changed feed ingests only
 * what is new, items without guid dedupe across polls, and neither a poller restart nor a wiped
 * Redis re-ingests anything (the schedulers come back from Postgres). Failures are recorded on
 * the feed row and back the feed off; the SSRF guard refuses internal targets.
 */
import IORedis from 'ioredis';
import { FEED_POLL_QUEUE } from '@syndication/contracts';
import { FeedPollService } from '../../apps/feed-poller/src/feed-poll.service';
import { FeedSchedulers } from '../../apps/feed-poller/src/feed-schedulers';
import { TEST_REDIS_URL } from '../support/env';
import { type FakeFeedServer, type FakeItem, startFakeFeedServer } from '../support/fake-feed';
import { createPartner, type TestPartner } from '../support/fixtures';
import { startSystem, type RunningSystem } from '../support/system';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const item = (n: number, extra: Partial<FakeItem> = {}): FakeItem => ({
  guid: `urn:partner:story:${n}`,
  title: `Regional council approves budget number ${n}`,
  body: `The regional council approved the budget for the next year on Tuesday after a long debate about roads and schools, item ${n}.`,
  pubDate: 'Wed, 01 May 2024 10:00:00 GMT',
  ...extra,
});

interface FeedView {
  id: string;
  url: string;
  interval_seconds: number;
  last_status: string | null;
  last_error: string | null;
  last_result: Record<string, unknown> | null;
  consecutive_failures: number;
  next_poll_at: string | null;
}

async function api(system: RunningSystem, partner: TestPartner, method: string, path: string, body?: unknown) {
  const res = await fetch(`${system.intakeUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${partner.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

describe('feed poller', () => {
  let system: RunningSystem;
  let partner: TestPartner;
  let server: FakeFeedServer;

  const polls = () => system.poller!.get(FeedPollService);
  const schedulers = () => system.poller!.get(FeedSchedulers);

  async function stories(): Promise<string[]> {
    const rows: Array<{ external_id: string }> = await system.db.query('SELECT external_id FROM story WHERE partner_id = $1 ORDER BY external_id', [partner.id]);
    return rows.map((r) => r.external_id);
  }
  async function feedRow(id: string): Promise<FeedView> {
    return (await api(system, partner, 'GET', `/v1/feeds/${id}`)).body as unknown as FeedView;
  }
  async function register(path: string): Promise<FeedView> {
    const res = await api(system, partner, 'POST', '/v1/feeds', { url: `${server.base}${path}`, interval_seconds: 60 });
    expect(res.status).toBe(201);
    return res.body as unknown as FeedView;
  }

  beforeAll(async () => {
    server = await startFakeFeedServer();
    system = await startSystem({ intakeOnly: true, withPoller: true, env: { FEED_SYNC_INTERVAL_MS: '200' } });
    partner = await createPartner(system.db, 'poll');
  }, 30_000);
  afterAll(async () => {
    // Feeds outlive the test in the shared database: later systems' pollers must not poll them.
    await system?.db.query('DELETE FROM polled_feed WHERE partner_id IN (SELECT id FROM partner WHERE slug LIKE $1 OR slug LIKE $2 OR slug LIKE $3)', ['poll-%', 'other-%', 'ssrf-%']);
    await system?.stop();
    await server?.stop();
  }, 30_000);

  it('registered feed: scheduled first poll ingests every item; 304 next; a changed feed ingests exactly the new item', async () => {
    server.feeds.set('/main.rss', { format: 'rss', validators: 'both', items: [item(1), item(2), item(3)] });
    const feed = await register('/main.rss');

    // Nobody calls poll here: the sync creates the scheduler, whose first job runs at once.
    const first = await waitFor('the first scheduled poll', async () => {
      const f = await feedRow(feed.id);
      return f.last_status ? f : undefined;
    });
    expect(first).toMatchObject({ last_status: 'ok', last_error: null, consecutive_failures: 0 });
    expect(first.last_result).toMatchObject({ items: 3, accepted: 3, duplicates: 0, rejected: 0 });
    expect(await stories()).toEqual(['urn:partner:story:1', 'urn:partner:story:2', 'urn:partner:story:3']);
    const scheduler = await schedulers().scheduler(feed.id);
    expect(scheduler).toMatchObject({ key: `feed.${feed.id}`, every: 60_000 });
    const versions: Array<{ format: string; stage: string }> = await system.db.query(
      `SELECT v.format, v.stage FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1`,
      [partner.id],
    );
    // The intake path: stored, queued for enrichment through the outbox, like a pushed feed item.
    expect(versions.every((v) => v.format === 'rss' && v.stage === 'enriching')).toBe(true);

    // Second poll: conditional GET with both validators, 304, nothing ingested.
    const again = await polls().poll(feed.id);
    expect(again).toEqual({ status: 'not_modified' });
    const last = server.hits('/main.rss').at(-1)!;
    expect(last.status).toBe(304);
    expect(last.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(last.headers['if-modified-since']).toMatch(/GMT$/);
    expect((await feedRow(feed.id)).last_status).toBe('not_modified');
    expect(await stories()).toHaveLength(3);

    // One new item: exactly one story more; the three others are duplicates.
    server.feeds.get('/main.rss')!.items.unshift(item(4));
    expect(await polls().poll(feed.id)).toEqual({ status: 'ok', items: 4, accepted: 1, duplicates: 3, rejected: 0 });
    expect(await stories()).toEqual(['urn:partner:story:1', 'urn:partner:story:2', 'urn:partner:story:3', 'urn:partner:story:4']);

    // Restart the poller after wiping the queue's Redis keys: the scheduler comes back from the row,
    // its immediate first run is a conditional GET (validators live in Postgres), nothing re-ingested.
    const redis = new IORedis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${system.prefix}:${FEED_POLL_QUEUE}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
      expect(await redis.keys(`${system.prefix}:${FEED_POLL_QUEUE}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
    const before = server.hits('/main.rss').length;
    await system.restartPoller();
    expect(await schedulers().scheduler(feed.id)).toMatchObject({ key: `feed.${feed.id}`, every: 60_000 });
    await waitFor('the rebuilt scheduler to poll', async () => server.hits('/main.rss').length > before);
    await waitFor('the poll to be recorded', async () => (await feedRow(feed.id)).last_status === 'not_modified' && server.hits('/main.rss').at(-1)!.status === 304);
    // Even a full 200 (validators lost) ingests nothing again: dedupe is in Postgres.
    await system.db.query('UPDATE polled_feed SET etag = NULL, last_modified = NULL WHERE id = $1', [feed.id]);
    expect(await polls().poll(feed.id)).toEqual({ status: 'ok', items: 4, accepted: 0, duplicates: 4, rejected: 0 });
    expect(await stories()).toHaveLength(4);
  });

  it('items without guid: identified by link, else by content; deduped across polls even as the feed bytes change', async () => {
    const noGuid = [
      item(10, { guid: undefined, link: 'https://partner.example/news/10' }),
      item(11, { guid: undefined, link: undefined }),
      item(12, { guid: undefined, link: undefined, pubDate: undefined }),
    ];
    server.feeds.set('/noguid.atom', { format: 'atom', validators: 'none', items: noGuid, buildStamp: '2026-01-01T00:00:00Z' });
    server.feeds.set('/one.rss', { format: 'rss', validators: 'etag', items: [item(20, { guid: undefined, link: undefined })], buildStamp: 'Thu, 01 Jan 2026 00:00:00 GMT' });
    const atom = await register('/noguid.atom');
    const one = await register('/one.rss');
    await waitFor('first polls', async () => (await feedRow(atom.id)).last_status && (await feedRow(one.id)).last_status);
    const ids = await stories();
    expect(ids).toContain('https://partner.example/news/10');
    expect(ids.filter((id) => id.startsWith('sha256:'))).toHaveLength(3);

    for (const stamp of ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z']) {
      server.feeds.get('/noguid.atom')!.buildStamp = stamp;
      server.feeds.get('/one.rss')!.buildStamp = stamp;
      expect(await polls().poll(atom.id)).toEqual({ status: 'ok', items: 3, accepted: 0, duplicates: 3, rejected: 0 });
      // A one-item feed whose bytes changed (lastBuildDate): its item is the same, so a duplicate.
      expect(await polls().poll(one.id)).toEqual({ status: 'ok', items: 1, accepted: 0, duplicates: 1, rejected: 0 });
    }
    expect(await stories()).toEqual(ids);
  });

  it('a bad item is recorded and skipped, the rest ingested (lenient)', async () => {
    server.feeds.set('/partial.rss', { format: 'rss', validators: 'etag', items: [item(30), item(31, { title: 'x'.repeat(700) }), item(32)] });
    const feed = await register('/partial.rss');
    await waitFor('the poll', async () => (await feedRow(feed.id)).last_status);
    const row = await feedRow(feed.id);
    expect(row.last_status).toBe('partial');
    expect(row.last_result).toMatchObject({ items: 3, accepted: 2, rejected: 1, problems: [{ index: 1, code: 'too_long', errors: [{ pointer: '/rss/channel/item[2]/title' }] }] });
    expect(await stories()).toEqual(expect.arrayContaining(['urn:partner:story:30', 'urn:partner:story:32']));
    expect(await stories()).not.toContain('urn:partner:story:31');
  });

  it('failures are recorded on the row and back the feed off; an HTML page or a 500 never crashes anything', async () => {
    server.feeds.set('/page.html', { format: 'rss', validators: 'none', items: [item(40)], contentType: 'text/html; charset=utf-8' });
    server.feeds.set('/down.rss', { format: 'rss', validators: 'none', items: [item(41)], status: 500 });
    const html = await register('/page.html');
    const down = await register('/down.rss');
    await waitFor('the polls', async () => (await feedRow(html.id)).last_status && (await feedRow(down.id)).last_status);
    const h = await feedRow(html.id);
    expect(h).toMatchObject({ last_status: 'error', consecutive_failures: 1 });
    expect(h.last_error).toMatch(/^unexpected_content_type: /);
    expect(h.last_result).toMatchObject({ error: { code: 'unexpected_content_type' } });
    const d = await feedRow(down.id);
    expect(d).toMatchObject({ last_status: 'error', consecutive_failures: 1 });
    expect(d.last_error).toMatch(/^http_500: /);
    // Backing off: the next scheduled poll inside the backoff does nothing.
    expect(Date.parse(d.next_poll_at!)).toBeGreaterThan(Date.now() + 30_000);
    const hits = server.hits('/down.rss').length;
    expect(await polls().poll(down.id)).toEqual({ status: 'skipped' });
    expect(server.hits('/down.rss')).toHaveLength(hits);
    // After the backoff, a second failure doubles it.
    await system.db.query('UPDATE polled_feed SET next_poll_at = now() WHERE id = $1', [down.id]);
    expect(await polls().poll(down.id)).toMatchObject({ status: 'error', code: 'http_500' });
    const d2 = await feedRow(down.id);
    expect(d2.consecutive_failures).toBe(2);
    expect(Date.parse(d2.next_poll_at!) - Date.now()).toBeGreaterThan(100_000);
    expect(await stories()).not.toContain('urn:partner:story:41');
  });

  it('a redirect to a private address is refused (each hop re-checked), recorded on the row', async () => {
    server.feeds.set('/moved.rss', { format: 'rss', validators: 'none', items: [], location: 'http://10.0.0.1/feed.rss' });
    const feed = await register('/moved.rss');
    await waitFor('the poll', async () => (await feedRow(feed.id)).last_status);
    const row = await feedRow(feed.id);
    expect(row.last_status).toBe('error');
    expect(row.last_error).toMatch(/^destination_forbidden: 10\.0\.0\.1/);
  });

  it('registration: validated, listed, and deleted (the scheduler goes with the row)', async () => {
    for (const [body, code] of [
      [{ url: 'ftp://partner.example/feed' }, 'invalid_url'],
      [{ url: 'https://user:pw@partner.example/feed' }, 'invalid_url'],
      [{ url: 'not a url' }, 'invalid_url'],
      [{ url: 'https://partner.example/feed', interval_seconds: 5 }, 'out_of_range'],
      [{ url: 'https://partner.example/feed', interval_seconds: 90_000 }, 'out_of_range'],
      [{ url: 'https://partner.example/feed', interval_seconds: 60.5 }, 'out_of_range'],
      [{ url: 'https://partner.example/feed', every: 60 }, 'unknown_field'],
      [{}, 'missing_field'],
    ] as const) {
      const res = await api(system, partner, 'POST', '/v1/feeds', body);
      expect([res.status, res.body['code']]).toEqual([422, code]);
    }
    const created = await api(system, partner, 'POST', '/v1/feeds', { url: 'https://partner.example/wire.atom' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://partner.example/wire.atom', interval_seconds: 300, enabled: true });
    const again = await api(system, partner, 'POST', '/v1/feeds', { url: 'https://partner.example/wire.atom', interval_seconds: 600 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: created.body['id'], interval_seconds: 600 });
    const list = await api(system, partner, 'GET', '/v1/feeds');
    expect((list.body['feeds'] as FeedView[]).map((f) => f.url)).toContain('https://partner.example/wire.atom');

    const other = await createPartner(system.db, 'other');
    expect((await api(system, other, 'GET', `/v1/feeds/${String(created.body['id'])}`)).status).toBe(404);
    expect((await api(system, other, 'DELETE', `/v1/feeds/${String(created.body['id'])}`)).status).toBe(404);

    const id = String(created.body['id']);
    await waitFor('its scheduler', async () => (await schedulers().scheduler(id))?.every === 600_000);
    expect((await api(system, partner, 'DELETE', `/v1/feeds/${id}`)).status).toBe(204);
    await waitFor('the scheduler to be removed', async () => (await schedulers().scheduler(id)) === undefined);
    expect((await api(system, partner, 'GET', `/v1/feeds/${id}`)).status).toBe(404);
  });
});

describe('feed poller: SSRF guard with the production default policy', () => {
  let system: RunningSystem;
  let partner: TestPartner;
  let server: FakeFeedServer;

  beforeAll(async () => {
    server = await startFakeFeedServer();
    // No allowlist: what production runs with.
    system = await startSystem({ intakeOnly: true, withPoller: true, env: { OUTBOUND_ALLOWLIST: '', FEED_SYNC_INTERVAL_MS: '200' } });
    partner = await createPartner(system.db, 'ssrf');
  }, 30_000);
  afterAll(async () => {
    // Feeds outlive the test in the shared database: later systems' pollers must not poll them.
    await system?.db.query('DELETE FROM polled_feed WHERE partner_id IN (SELECT id FROM partner WHERE slug LIKE $1 OR slug LIKE $2 OR slug LIKE $3)', ['poll-%', 'other-%', 'ssrf-%']);
    await system?.stop();
    await server?.stop();
  }, 30_000);

  it.each([
    ['127.0.0.1', () => `${server.base}/feed.rss`],
    ['10.x', () => 'http://10.1.2.3/feed.rss'],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['[::1]', () => `http://[::1]:${server.port}/feed.rss`],
    ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${server.port}/feed.rss`],
  ])('refuses to register %s', async (_name, url) => {
    const res = await api(system, partner, 'POST', '/v1/feeds', { url: url() });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'destination_forbidden', errors: [{ pointer: '/url' }] });
  });

  it('a host name resolving to loopback is refused at connect time; the partner server is never hit', async () => {
    server.feeds.set('/feed.rss', { format: 'rss', validators: 'none', items: [item(50)] });
    const res = await api(system, partner, 'POST', '/v1/feeds', { url: `http://localhost:${server.port}/feed.rss`, interval_seconds: 60 });
    expect(res.status).toBe(201);
    const id = String(res.body['id']);
    const row = await waitFor('the poll', async () => {
      const f = (await api(system, partner, 'GET', `/v1/feeds/${id}`)).body as unknown as FeedView;
      return f.last_status ? f : undefined;
    });
    expect(row.last_status).toBe('error');
    expect(row.last_error).toMatch(/^destination_forbidden: localhost resolves to (127\.0\.0\.1|::1)/);
    expect(server.requests).toEqual([]);
  });
});
