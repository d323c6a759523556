/**
 * Kills, holds, embargoes and expiry against the real services: what a feed shows and what a
 * Standard Webhooks receiver gets, before and after, with Postgres time as the judge.
 */
import { generateWebhookSecret } from '@syndication/channels';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '@syndication/testing';
import Parser from 'rss-parser';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, getStory, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const BODY = 'The foreign minister of Mongolia met the US Secretary of State in Washington.\n\nThe talks covered critical minerals.';

function ninjs(uri: string, version: number, headline: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ uri, version: String(version), headline, body_text: BODY, language: 'en', ...extra });
}

interface Event {
  type: string;
  data: Record<string, unknown>;
  'x-syndication'?: Record<string, unknown>;
}
const events = (r: WebhookReceiver): Event[] => r.received.filter((w: ReceivedWebhook) => w.verified).map((w) => w.payload as Event);
const ofType = (r: WebhookReceiver, type: string) => events(r).filter((e) => e.type === type);

describe('story lifecycle', () => {
  let system: RunningSystem;
  const secret = generateWebhookSecret();
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);
  afterAll(() => system?.stop());
  beforeEach(async () => {
    receiver = await startWebhookReceiver({ secret });
  });
  afterEach(() => receiver.stop());

  async function setup(label: string): Promise<{ partner: TestPartner; feed: string }> {
    const partner = await createPartner(system.db, label);
    const feed = await createRoutedChannel(system.db, partner, 'feed', { title: label }, ['source']);
    await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
    return { partner, feed: feed.slug };
  }

  async function feedTitles(slug: string): Promise<string[]> {
    const feed = await new Parser().parseString(await (await fetch(`${system.feedUrl}/feeds/${slug}.rss`)).text());
    return feed.items.map((i) => i.title ?? '');
  }

  async function pgNow(): Promise<number> {
    const rows: Array<{ now: Date }> = await system.db.query('SELECT now()');
    return rows[0]!.now.getTime();
  }

  it('a canceled version withdraws the story from the feed and sends story.withdrawn; later versions are refused', async () => {
    const { partner, feed } = await setup('kill');
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:kill:1', 1, 'Minerals deal signed'), 'application/json');
    const id = v1.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(await feedTitles(feed)).toEqual(['Minerals deal signed']);
    expect(ofType(receiver, 'story.published')).toHaveLength(1);

    const kill = await pushStory(
      system.intakeUrl,
      partner.apiKey,
      JSON.stringify({ uri: 'urn:kill:1', version: '2', pubstatus: 'canceled', headline: 'KILL: Minerals deal signed', body_text: 'The story was based on a forged document.', language: 'en' }),
      'application/json',
    );
    expect(kill.status).toBe(202);
    const [withdrawn] = await waitFor('story.withdrawn', async () => ofType(receiver, 'story.withdrawn').length > 0 && ofType(receiver, 'story.withdrawn'));
    expect(withdrawn!.data).toMatchObject({
      storyId: id,
      uri: 'urn:kill:1',
      itemId: `urn:syndication:${id}:en`,
      language: 'en',
      pubStatus: 'canceled',
      version: 2,
      reason: 'The story was based on a forged document.',
    });
    expect(await feedTitles(feed)).toEqual([]);

    const view = await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(view.status).toBe('withdrawn');
    expect(view.lifecycle).toMatchObject({ pubstatus: 'canceled', version: 2 });
    expect(view.versions[0]!.deliveries).toEqual([expect.objectContaining({ kind: 'withdraw', status: 'delivered', channel_kind: 'webhook' })]);
    // The kill version itself is never translated, tagged or published.
    expect(view.versions[0]!.stages).toMatchObject({ translate: 'skipped', tag: 'skipped' });

    const v3 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:kill:1', 3, 'Minerals deal signed after all'), 'application/json');
    expect(v3.status).toBe(409);
    expect(v3.body['code']).toBe('story_withdrawn');
    await sleep(500);
    expect(ofType(receiver, 'story.published')).toHaveLength(1);
    expect(await feedTitles(feed)).toEqual([]);
  }, 30_000);

  it('a NewsML-G2 item with pubStatus stat:canceled withdraws the story too', async () => {
    const { partner, feed } = await setup('g2kill');
    const g2 = (version: number, status: string) =>
      `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:g2kill:1" version="${version}" standard="NewsML-G2" standardversion="2.35"><itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-02-07T10:00:00Z</versionCreated><pubStatus qcode="stat:${status}"/></itemMeta><contentMeta><language tag="en"/><headline>Court ruling on mining licences</headline></contentMeta><contentSet><inlineXML contenttype="application/nitf+xml"><nitf><body><body.content><p>The supreme court upheld the mining licences on Friday.</p></body.content></body></nitf></inlineXML></contentSet></newsItem>`;
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, g2(1, 'usable'), 'application/vnd.iptc.g2.newsitem+xml');
    const id = v1.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(await feedTitles(feed)).toEqual(['Court ruling on mining licences']);
    const kill = await pushStory(system.intakeUrl, partner.apiKey, g2(2, 'canceled'), 'application/vnd.iptc.g2.newsitem+xml');
    expect(kill.status).toBe(202);
    await waitFor('story.withdrawn', async () => ofType(receiver, 'story.withdrawn').length > 0);
    expect(ofType(receiver, 'story.withdrawn')[0]!.data).toMatchObject({ storyId: id, uri: 'urn:g2kill:1', version: 2 });
    expect(await feedTitles(feed)).toEqual([]);
  }, 30_000);

  it('withheld holds the story (story.withheld, off the feed) until a later usable version releases it', async () => {
    const { partner, feed } = await setup('hold');
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:hold:1', 1, 'Copper prices rise'), 'application/json');
    const id = v1.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, id);
    await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:hold:1', 2, 'Copper prices rise', { pubstatus: 'withheld' }), 'application/json');
    const [held] = await waitFor('story.withheld', async () => ofType(receiver, 'story.withheld').length > 0 && ofType(receiver, 'story.withheld'));
    expect(held!.data).toMatchObject({ storyId: id, pubStatus: 'withheld', version: 2 });
    expect(await feedTitles(feed)).toEqual([]);
    expect((await getStory(system.intakeUrl, partner.apiKey, id)).body.status).toBe('withheld');

    const v3 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:hold:1', 3, 'Copper prices rise by 4%'), 'application/json');
    expect(v3.status).toBe(202);
    const view = await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(view.status).toBe('published');
    expect(await feedTitles(feed)).toEqual(['Copper prices rise by 4%']);
    expect(ofType(receiver, 'story.published').map((e) => e.data['version'])).toEqual(['1', '3']);
  }, 30_000);

  it('holds every channel until the embargo lifts (Postgres time), then publishes', async () => {
    const { partner, feed } = await setup('embargo');
    const embargo = (await pgNow()) + 4_000;
    const pushed = await pushStory(
      system.intakeUrl,
      partner.apiKey,
      ninjs('urn:embargo:1', 1, 'Budget figures', { embargoed: new Date(embargo).toISOString() }),
      'application/json',
    );
    const id = pushed.body['id'] as string;
    // Routed and held: the deliveries exist, the publisher has looked and put them back.
    const held = await waitFor('the hold', async () => {
      const { body } = await getStory(system.intakeUrl, partner.apiKey, id);
      const v = body.versions[0]!;
      return v.deliveries.length === 2 && v.timeline.filter((e) => e.status === 'held').length === 2 && body;
    });
    expect(held.lifecycle).toMatchObject({ embargoed: true, embargo_until: new Date(embargo).toISOString() });
    expect(held.versions[0]!.deliveries.map((d) => d.status)).toEqual(['pending', 'pending']);
    expect(await feedTitles(feed)).toEqual([]);
    expect(receiver.received).toHaveLength(0);
    expect(await pgNow()).toBeLessThan(embargo);

    const view = await waitSettled(system.intakeUrl, partner.apiKey, id, 20_000);
    expect(view.status).toBe('published');
    const delivered = view.versions[0]!.deliveries.map((d) => Date.parse(d.delivered_at!));
    for (const at of delivered) expect(at).toBeGreaterThanOrEqual(embargo);
    expect(receiver.received[0]!.receivedAt).toBeGreaterThanOrEqual(embargo);
    expect(await feedTitles(feed)).toEqual(['Budget figures']);
  }, 40_000);

  it('a later version without the embargo lifts it', async () => {
    const { partner, feed } = await setup('lift');
    const embargo = new Date((await pgNow()) + 3_600_000).toISOString();
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:lift:1', 1, 'Rates decision', { embargoed: embargo }), 'application/json');
    const id = v1.body['id'] as string;
    await waitFor('the hold', async () => {
      const { body } = await getStory(system.intakeUrl, partner.apiKey, id);
      return body.versions[0]!.timeline.some((e) => e.status === 'held');
    });
    expect(receiver.received).toHaveLength(0);
    const v2 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:lift:1', 2, 'Rates decision: unchanged'), 'application/json');
    expect(v2.status).toBe(202);
    const view = await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(view.lifecycle).toMatchObject({ embargoed: false, embargo_until: null });
    expect(view.versions[0]!.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(await feedTitles(feed)).toEqual(['Rates decision: unchanged']);
    // Only v2 went out: v1 stays held, and is superseded on every channel v2 reached.
    expect(ofType(receiver, 'story.published').map((e) => e.data['version'])).toEqual(['2']);
  }, 30_000);

  it('drops an expired story from the feed, and never starts one that arrives expired', async () => {
    const { partner, feed } = await setup('expiry');
    const expires = (await pgNow()) + 3_000;
    const pushed = await pushStory(
      system.intakeUrl,
      partner.apiKey,
      ninjs('urn:expiry:1', 1, 'Storm warning for Tuesday', { expires: new Date(expires).toISOString() }),
      'application/json',
    );
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
    expect(view.versions[0]!.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(await feedTitles(feed)).toEqual(['Storm warning for Tuesday']);
    // Webhook receivers get the expiry in the ninjs document and honour it themselves.
    expect(ofType(receiver, 'story.published')[0]!.data['expires']).toBe(new Date(expires).toISOString());
    await waitFor('expiry', async () => (await pgNow()) > expires + 100, 10_000);
    expect(await feedTitles(feed)).toEqual([]);

    const late = await pushStory(
      system.intakeUrl,
      partner.apiKey,
      ninjs('urn:expiry:2', 1, 'Yesterday’s storm warning', { expires: new Date((await pgNow()) - 60_000).toISOString() }),
      'application/json',
    );
    const lateView = await waitSettled(system.intakeUrl, partner.apiKey, late.body['id'] as string);
    expect(lateView.lifecycle.expired).toBe(true);
    expect(lateView.versions[0]!.deliveries.map((d) => [d.status, d.last_error])).toEqual([
      ['canceled', 'expired'],
      ['canceled', 'expired'],
    ]);
    expect(ofType(receiver, 'story.published')).toHaveLength(1);
  }, 40_000);

  it('POST /v1/stories/:id/withdraw kills a story for its owner only, once', async () => {
    const { partner, feed } = await setup('withdraw');
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, 'date 2026-02-07 Mongolia signs a minerals deal\n\nThe foreign minister met the US Secretary of State.');
    const id = pushed.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(await feedTitles(feed)).toHaveLength(1);

    const other = await createPartner(system.db, 'withdraw-other');
    const post = (key: string, body?: unknown) =>
      fetch(`${system.intakeUrl}/v1/stories/${id}/withdraw`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const foreign = await post(other.apiKey, { reason: 'not yours' });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { code: string }).code).toBe('not_found');
    const extra = await post(partner.apiKey, { reason: 'x', status: 'published' });
    expect(extra.status).toBe(400);

    const first = await post(partner.apiKey, { reason: 'Legal: the named person was misidentified' });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ id, version: 2, status: 'withdrawn' });
    const again = await post(partner.apiKey);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, version: 2 });

    const [notice] = await waitFor('story.withdrawn', async () => ofType(receiver, 'story.withdrawn').length > 0 && ofType(receiver, 'story.withdrawn'));
    expect(notice!.data).toMatchObject({ storyId: id, reason: 'Legal: the named person was misidentified', version: 2 });
    expect(await feedTitles(feed)).toEqual([]);
    const view = (await getStory(system.intakeUrl, partner.apiKey, id)).body;
    expect(view.versions[0]).toMatchObject({ format: 'kill-notice', version: 2 });
    expect(ofType(receiver, 'story.withdrawn')).toHaveLength(1);
  }, 30_000);
});

describe('a kill overtaking the pipeline', () => {
  it('cancels deliveries of the older version routed after the kill: nothing is published late', async () => {
    // Intake only: v1 waits in the outbox, not yet translated, tagged or routed, when the kill lands.
    const first = await startSystem({ intakeOnly: true });
    const partner = await createPartner(first.db, 'late');
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    try {
      const feed = await createRoutedChannel(first.db, partner, 'feed', { title: 'late' }, ['source']);
      await createRoutedChannel(first.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
      const v1 = await pushStory(first.intakeUrl, partner.apiKey, ninjs('urn:late:1', 1, 'Early report'), 'application/json');
      const kill = await pushStory(
        first.intakeUrl,
        partner.apiKey,
        JSON.stringify({ uri: 'urn:late:1', version: '2', pubstatus: 'canceled', headline: 'KILL', language: 'en' }),
        'application/json',
      );
      expect(kill.status).toBe(202);
      await first.stop();

      // Now the workers run v1's jobs, late: it is translated, tagged and routed, and its
      // publish jobs meet the kill at the claim.
      const second = await startSystem();
      try {
        const id = v1.body['id'] as string;
        const v1Id = v1.body['version_id'] as string;
        const rows = await waitFor('v1 deliveries canceled', async () => {
          const r: Array<{ status: string; last_error: string | null }> = await second.db.query(
            'SELECT status, last_error FROM delivery WHERE story_version_id = $1 ORDER BY status',
            [v1Id],
          );
          return r.length === 2 && r.every((d) => d.status === 'canceled') && r;
        });
        expect(rows.map((r) => r.last_error)).toEqual(['withdrawn by version 2', 'withdrawn by version 2']);
        const view = (await getStory(second.intakeUrl, partner.apiKey, id)).body;
        expect(view.status).toBe('withdrawn');
        await sleep(300);
        expect(receiver.received).toHaveLength(0);
        const xml = await (await fetch(`${second.feedUrl}/feeds/${feed.slug}.rss`)).text();
        expect(xml).not.toContain('Early report');
      } finally {
        await second.stop();
      }
    } finally {
      await receiver.stop();
    }
  }, 60_000);
});
