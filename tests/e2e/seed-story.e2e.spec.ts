/**
 * The walking skeleton end to end: the seed story pushed over HTTP is cleaned, detected as
 * Russian, translated into Ukrainian by the real APy, tagged, routed, and published to a feed
 * (read back with a real feed parser) and to a signed webhook (verified by a real receiver).
 */
import { readFileSync } from 'node:fs';
import Parser from 'rss-parser';
import { generateWebhookSecret } from '@syndication/channels';
import { startWebhookReceiver } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, getStory, pushStory, waitSettled, type TestPartner } from '../support/fixtures';
import { SEED_FILE } from '../support/env';

const seed = readFileSync(SEED_FILE);

describe('seed story: push -> translate + tag -> feed + webhook', () => {
  let system: RunningSystem;
  let partner: TestPartner;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let feedSlug: string;
  let storyId: string;

  beforeAll(async () => {
    system = await startSystem();
    partner = await createPartner(system.db, 'seed');
    const secret = generateWebhookSecret();
    receiver = await startWebhookReceiver({ secret });
    feedSlug = (await createRoutedChannel(system.db, partner, 'feed', { title: 'Seed feed (uk)' }, ['uk'])).slug;
    await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source', 'uk']);
  }, 60_000);

  afterAll(async () => {
    await receiver?.stop();
    await system?.stop();
  });

  it('accepts the push with 202, a story id and a status URL', async () => {
    const res = await pushStory(system.intakeUrl, partner.apiKey, seed);
    expect(res.status).toBe(202);
    expect(res.body['status']).toBe('accepted');
    storyId = res.body['id'] as string;
    expect(res.body['status_url']).toBe(`${system.intakeUrl}/v1/stories/${storyId}`);
  });

  it('settles with every stage done and every delivery delivered', async () => {
    const story = await waitSettled(system.intakeUrl, partner.apiKey, storyId, 60_000);
    const v = story.versions[0]!;
    expect(story.status).toBe('published');
    expect(v.stages).toEqual({ intake: 'done', translate: 'done', tag: 'done', route: 'done', publish: 'done' });
    expect(v.language).toBe('ru');
    expect(v.story_date).toBe('2026-02-07');
    expect(v.headline).toBe('Батцэцэг приняла участие в министерской конференции, организованной госсекретарем Марко Рубио');
    expect(v.dateline).toBe('CentralAsia (MNG)');
    expect(v.paragraphs.join('\n')).not.toMatch(/Телеграм|Карта распространения/);
    expect(v.removed.map((r) => r.reason)).toEqual(expect.arrayContaining(['promo_footer', 'navigation']));
    expect(v.deliveries.map((d) => [d.channel_kind, d.language, d.status]).sort()).toEqual([
      ['feed', 'uk', 'delivered'],
      ['webhook', 'ru', 'delivered'],
      ['webhook', 'uk', 'delivered'],
    ]);
    const uk = v.translations.find((t) => t.language === 'uk');
    expect(uk?.status).toBe('done');
    expect(uk?.provider).toBe('apertium');
    expect(uk?.headline).toMatch(/[іїє]/);
    const entities = v.tags.filter((t) => t.kind !== 'keyword' && t.kind !== 'topic').map((t) => `${t.kind}:${t.code}:${t.label}`);
    expect(entities).toEqual(
      expect.arrayContaining([
        'place:Q711:Mongolia',
        'place:Q30:United States',
        'place:Q61:Washington, D.C.',
        'person:Q324546:Marco Rubio',
        'person:person:battsetseg-batmunkh:Battsetseg Batmunkh',
        'organisation:Q789915:US State Department',
      ]),
    );
    const topics = v.tags.filter((t) => t.kind === 'topic').map((t) => t.label);
    expect(topics).toEqual(expect.arrayContaining(['diplomacy', 'metal and mineral mining and refining']));
    // Both fields a desk would file it under pass the routing threshold; "natural resources"
    // (environment), a word or two of the story, is no longer a topic.
    const routable = v.tags.filter((t) => t.kind === 'topic' && t.routable).map((t) => t.label);
    expect(routable).toEqual(expect.arrayContaining(['diplomacy', 'metal and mineral mining and refining']));
    expect(topics).not.toContain('natural resources');
    // The timeline answers "where is the story" from Postgres alone.
    expect(v.timeline.map((e) => e.stage)).toEqual(expect.arrayContaining(['intake', 'translate', 'tag', 'route', 'publish']));
  });

  it('publishes the Ukrainian translation, with tags and without the promo footer, in the feed', async () => {
    const story = (await getStory(system.intakeUrl, partner.apiKey, storyId)).body;
    const ukHeadline = story.versions[0]!.translations.find((t) => t.language === 'uk')!.headline!;
    for (const ext of ['rss', 'atom']) {
      const res = await fetch(`${system.feedUrl}/feeds/${feedSlug}.${ext}`);
      expect(res.status).toBe(200);
      const xml = await res.text();
      const feed = await new Parser().parseString(xml);
      expect(feed.items).toHaveLength(1);
      const item = feed.items[0]!;
      expect(item.title).toBe(ukHeadline);
      // RSS carries the body in content:encoded, Atom in <content>.
      const content = String((item as Record<string, unknown>)['content:encoded'] ?? item.content ?? '');
      expect(content).not.toMatch(/centralasiamedia|Телеграм|Телеграм-канал/);
      expect(content).toMatch(/Державний департамент США/);
      // rss-parser reads RSS categories only; for Atom check the category elements themselves.
      if (ext === 'rss') expect(JSON.stringify(item.categories)).toMatch(/Mongolia/);
      else expect(xml).toMatch(/<category [^>]*label="Mongolia"/);
    }
    const json = (await (await fetch(`${system.feedUrl}/feeds/${feedSlug}.json`)).json()) as { items: Array<{ title: string }> };
    expect(json.items.map((i) => i.title)).toEqual([ukHeadline]);
  });

  it('delivers signed webhooks the receiver verified, one per language', async () => {
    expect(receiver.received.length).toBe(2);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const languages = receiver.received.map((r) => (r.payload as { data: { language: string } }).data.language).sort();
    expect(languages).toEqual(['ru', 'uk']);
  });

  it('treats an identical second push as a repeat: same id, nothing new published', async () => {
    const res = await pushStory(system.intakeUrl, partner.apiKey, seed);
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('duplicate');
    expect(res.body['id']).toBe(storyId);
    await new Promise((r) => setTimeout(r, 1500));
    const story = (await getStory(system.intakeUrl, partner.apiKey, storyId)).body;
    expect(story.versions).toHaveLength(1);
    expect(receiver.received.length).toBe(2);
    const feed = await new Parser().parseString(await (await fetch(`${system.feedUrl}/feeds/${feedSlug}.rss`)).text());
    expect(feed.items).toHaveLength(1);
  });
});
