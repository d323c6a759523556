import type { PublishableStory } from '@syndication/contracts';
import Parser from 'rss-parser';

import { renderFeed, type FeedMeta } from './feed.render';

function makeStory(overrides: Partial<PublishableStory> = {}): PublishableStory {
  return {
    storyId: '0193a3c2-7d1e-7000-8000-000000000001',
    versionId: '0193a3c2-7d1e-7000-8000-0000000000a1',
    version: 1,
    deliveryId: '0193a3c2-7d1e-7000-8000-0000000000d1',
    partner: 'partner-a',
    uri: 'urn:partner-a:story:42',
    language: 'en',
    sourceLanguage: 'ru',
    machineTranslated: true,
    translationProvider: 'apertium',
    headline: 'Mongolia signs trade deal',
    dateline: 'ULAANBAATAR',
    paragraphs: ['First paragraph.', 'Second paragraph.'],
    receivedAt: '2026-11-27T10:00:00.000Z',
    tags: {
      entities: [
        { id: 'Q711', type: 'place', name: 'Mongolia', mentions: [], confidence: 0.9, source: 'gazetteer' },
        { id: 'person:ivan-petrov', type: 'person', name: 'Ivan Petrov', mentions: [], confidence: 0.7, source: 'heuristic' },
      ],
      topics: [{ code: 'medtop:20000568', name: 'foreign trade', score: 0.8, ancestors: [], source: 'rules' }],
      keywords: ['trade'],
    },
    ...overrides,
  };
}

const meta: FeedMeta = {
  title: 'Partner A & friends',
  selfUrl: 'https://feeds.example/a/feed.xml?lang=en&v=1',
  siteUrl: 'https://example.org/',
  language: 'en',
};

const hostile = makeStory({
  paragraphs: [
    'Before <script>alert(1)</script> after.',
    'Close ]]><item><title>injected</title></item> and again ]]> end.',
    '<img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>',
  ],
});

// rss-parser passes Atom ids through but leaves them out of its Item type.
const atomParser = new Parser<Record<string, unknown>, { id: string; category: Array<{ $: Record<string, string> }> }>({
  customFields: { item: [['category', 'category', { keepArray: true }]] },
});

describe('renderFeed', () => {
  it('RSS 2.0 round-trips through rss-parser with a hostile body kept inert', async () => {
    const { contentType, body } = renderFeed('rss', meta, [hostile]);
    expect(contentType).toBe('application/rss+xml; charset=utf-8');
    expect(body).not.toMatch(/<script/i);
    // Paragraphs are plain text: markup in them is escaped into visible text, never elements.
    expect(body).not.toMatch(/<img|<a /i);

    const parsed = await new Parser().parseString(body);
    expect(parsed.items).toHaveLength(1);
    const item = parsed.items[0]!;
    expect(item.title).toBe('Mongolia signs trade deal');
    expect(item.guid).toBe('urn:syndication:0193a3c2-7d1e-7000-8000-000000000001:en');
    expect(item.isoDate).toBe('2026-11-27T10:00:00.000Z');
    const categories = (item.categories as unknown as Array<{ _: string }>).map((c) => c._);
    expect(categories).toEqual(['foreign trade', 'Mongolia', 'Ivan Petrov']);
    // The injected text survives as text, not as markup.
    expect(item['contentSnippet'] ?? item['content:encodedSnippet']).toContain('Close ]]><item><title>injected</title></item> and again ]]> end.');
    expect(parsed.feedUrl).toBe('https://feeds.example/a/feed.xml?lang=en&v=1');
    expect(body).toContain('<guid isPermaLink="false">');
  });

  it('Atom 1.0 round-trips with labelled categories and a correct self link', async () => {
    const { contentType, body } = renderFeed('atom', meta, [hostile]);
    expect(contentType).toBe('application/atom+xml; charset=utf-8');
    expect(body).not.toMatch(/<script/i);

    const parsed = await atomParser.parseString(body);
    expect(parsed.items).toHaveLength(1);
    const item = parsed.items[0]!;
    expect(item.title).toBe('Mongolia signs trade deal');
    expect(item.id).toBe('urn:syndication:0193a3c2-7d1e-7000-8000-000000000001:en');
    expect(item.category.map((c) => c.$)).toEqual([
      { label: 'foreign trade', scheme: 'http://cv.iptc.org/newscodes/mediatopic/', term: 'medtop:20000568' },
      { label: 'Mongolia', scheme: 'http://www.wikidata.org/entity/', term: 'http://www.wikidata.org/entity/Q711' },
      { label: 'Ivan Petrov', scheme: 'urn:syndication:entity', term: 'person:ivan-petrov' },
    ]);
    expect(item.contentSnippet).toContain('Before <script>alert(1)</script> after.');
    expect(parsed.feedUrl).toBe('https://feeds.example/a/feed.xml?lang=en&v=1');
  });

  it('escapes markup in headlines and category names for the XML formats', async () => {
    const story = makeStory({
      headline: 'Q&A: <b>tariffs</b> ]]> rise',
      tags: {
        entities: [{ id: 'org:at-t', type: 'organisation', name: 'AT&T <Mobility>', mentions: [], confidence: 1, source: 'x' }],
        topics: [],
        keywords: [],
      },
    });
    for (const format of ['rss', 'atom'] as const) {
      const { body } = renderFeed(format, meta, [story]);
      expect(body).not.toContain('<b>');
      const parsed = await atomParser.parseString(body);
      expect(parsed.items).toHaveLength(1);
      // Titles are HTML in both formats: the parser hands back HTML that displays as the original text.
      expect(parsed.items[0]!.title).toBe('Q&amp;A: &lt;b&gt;tariffs&lt;/b&gt; ]]&gt; rise');
    }
    const json = JSON.parse(renderFeed('json', meta, [story]).body) as { items: Array<{ title: string; tags: string[] }> };
    expect(json.items[0]!.title).toBe('Q&A: <b>tariffs</b> ]]> rise');
    expect(json.items[0]!.tags).toEqual(['AT&T <Mobility>']);
  });

  it('JSON Feed parses as JSON with a JSON Feed version and sanitised content_html', () => {
    const { contentType, body } = renderFeed('json', meta, [hostile, makeStory({ storyId: 'other', language: 'uk' })]);
    expect(contentType).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(body) as { version: string; feed_url: string; items: Array<Record<string, unknown>> };
    expect(['https://jsonfeed.org/version/1', 'https://jsonfeed.org/version/1.1']).toContain(feed.version);
    expect(feed.feed_url).toBe(meta.selfUrl);
    expect(feed.items.map((i) => i['id'])).toEqual([
      'urn:syndication:0193a3c2-7d1e-7000-8000-000000000001:en',
      'urn:syndication:other:uk',
    ]);
    expect(String(feed.items[0]!['content_html'])).not.toMatch(/<script|<img|<a /i);
    expect(feed.items[0]!['tags']).toEqual(['foreign trade', 'Mongolia', 'Ivan Petrov']);
  });

  it('keeps the item id across versions so a correction replaces the item', () => {
    const v1 = renderFeed('rss', meta, [makeStory()]).body;
    const v2 = renderFeed('rss', meta, [makeStory({ version: 2, versionId: 'v2', headline: 'Corrected' })]).body;
    const guid = (xml: string) => /<guid[^>]*>([^<]+)<\/guid>/.exec(xml)?.[1];
    expect(guid(v2)).toBe(guid(v1));
  });

  it('is deterministic: the same rows render the same bytes', () => {
    const stories = [makeStory(), makeStory({ storyId: 's2', receivedAt: '2026-11-28T08:00:00.000Z' })];
    const first = renderFeed('atom', meta, stories).body;
    expect(renderFeed('atom', meta, stories).body).toBe(first);
    expect(first).toContain('<updated>2026-11-28T08:00:00.000Z</updated>');
  });

  it('drops characters XML 1.0 forbids instead of emitting an unparseable document', async () => {
    const { body } = renderFeed('rss', meta, [makeStory({ paragraphs: ['bell\u0007 and \uD800 lone surrogate'] })]);
    const parsed = await new Parser().parseString(body);
    expect(parsed.items[0]!['content:encodedSnippet']).toBe('bell and  lone surrogate');
  });

  it('renders an empty feed', async () => {
    const parsed = await new Parser().parseString(renderFeed('rss', meta, []).body);
    expect(parsed.items).toHaveLength(0);
    expect(parsed.title).toBe('Partner A & friends');
  });
});
