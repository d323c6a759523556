/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1 views of delivered stories, rendered on read (the `feed`
 * package does the serialising). Rendering is a pure function of its inputs, so re-rendering after
 * a crash or a retry yields the same document.
 *
 * Around the library: xml-js (under `feed`) escapes only `"` in attribute values and splits only
 * the first `]]>` in a CDATA section, and Atom/RSS titles are read as HTML by most readers. So every
 * title is HTML-escaped, every body goes through the sanitiser, Atom category attributes are
 * escaped here, the Atom self link it escapes twice is repaired, and characters XML 1.0 forbids
 * are removed from the output.
 */
import type { PublishableStory } from '@syndication/contracts';
import { Feed, type Item } from 'feed';

import { storyUrn } from '../channel';
import { escapeHtml, paragraphsToHtml } from '../html';
import { LOCAL_ENTITY_SCHEME, MEDIATOPIC_SCHEME_URI, WIKIDATA_ENTITY_PREFIX, wikidataUri } from '../vocab';

export type FeedFormat = 'rss' | 'atom' | 'json';

export interface FeedMeta {
  title: string;
  description?: string;
  /** Absolute URL this document is served at; also the Atom feed id. */
  selfUrl: string;
  siteUrl: string;
  language?: string;
  /** Defaults to the newest item's date, so the output does not change between identical reads. */
  updated?: Date;
  /** Per-item link; defaults to `siteUrl` since stories have no public page of their own yet. */
  itemLink?: (story: PublishableStory) => string;
}

export interface RenderedFeed {
  contentType: string;
  body: string;
}

export const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const GENERATOR = 'news-syndication';
// C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and unpaired surrogates make a document invalid XML.
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

interface Category {
  name: string;
  term: string;
  scheme: string;
}

export function renderFeed(format: FeedFormat, meta: FeedMeta, items: readonly PublishableStory[]): RenderedFeed {
  const selfUrl = normaliseUrl(meta.selfUrl);
  const siteUrl = normaliseUrl(meta.siteUrl);
  const dates = items.map((s) => itemDate(s));
  const newest = dates.reduce<Date | undefined>((max, d) => (d && (!max || d > max) ? d : max), undefined);
  const updated = meta.updated ?? newest ?? new Date(0);
  const isXml = format !== 'json';

  const feed = new Feed({
    id: selfUrl,
    title: meta.title,
    // RSS requires a channel description.
    description: meta.description ?? meta.title,
    link: siteUrl,
    ...(meta.language ? { language: meta.language } : {}),
    updated,
    generator: GENERATOR,
    feedLinks: { rss: selfUrl, atom: selfUrl, json: selfUrl },
    // Atom requires an author on the feed unless every entry has one.
    author: { name: meta.title },
    // Required by the library's types; an empty string makes it omit the element.
    copyright: '',
  });

  items.forEach((story, i) => {
    const item: Item = {
      id: storyUrn(story),
      guid: storyUrn(story),
      title: isXml ? escapeHtml(story.headline) : story.headline,
      link: meta.itemLink ? normaliseUrl(meta.itemLink(story)) : siteUrl,
      date: dates[i] ?? updated,
      content: paragraphsToHtml(story.paragraphs),
      category: categories(story).map((c) =>
        format === 'atom'
          ? { name: escapeXmlAttr(c.name), term: escapeXmlAttr(c.term), scheme: escapeXmlAttr(c.scheme) }
          : { name: c.name, domain: c.scheme },
      ),
    };
    feed.addItem(item);
  });

  switch (format) {
    case 'rss':
      return {
        contentType: FEED_CONTENT_TYPES.rss,
        // Our guids are URNs, not URLs; RSS assumes permalinks unless told otherwise. Titles are
        // escaped and bodies sanitised, so `<guid>` can only be the element itself.
        body: toValidXml(feed.rss2()).replaceAll('<guid>', '<guid isPermaLink="false">'),
      };
    case 'atom': {
      // feed@4.2.2 applies its `&` -> `&amp;` step twice to the Atom self link.
      const once = selfUrl.replaceAll('&', '&amp;');
      const body = feed
        .atom1()
        .replace(`<link rel="self" href="${once.replaceAll('&', '&amp;')}"/>`, `<link rel="self" href="${once}"/>`);
      return { contentType: FEED_CONTENT_TYPES.atom, body: toValidXml(body) };
    }
    case 'json':
      return { contentType: FEED_CONTENT_TYPES.json, body: feed.json1() };
  }
}

function itemDate(story: PublishableStory): Date | undefined {
  const d = new Date(story.receivedAt);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Topics first, then entities; one category per vocabulary term. */
function categories(story: PublishableStory): Category[] {
  const out: Category[] = [];
  const seen = new Set<string>();
  const add = (c: Category): void => {
    const key = `${c.scheme} ${c.term}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const t of story.tags.topics) add({ name: t.name, term: t.code, scheme: MEDIATOPIC_SCHEME_URI });
  for (const e of story.tags.entities) {
    const uri = wikidataUri(e.id);
    add(
      uri
        ? { name: e.name, term: uri, scheme: WIKIDATA_ENTITY_PREFIX }
        : { name: e.name, term: e.id, scheme: LOCAL_ENTITY_SCHEME },
    );
  }
  return out;
}

/** Percent-encodes what URL parsing encodes (`"`, `<`, spaces), so hrefs need only `&` escaped. */
function normaliseUrl(url: string): string {
  return new URL(url).href;
}

function escapeXmlAttr(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function toValidXml(xml: string): string {
  return xml.replace(INVALID_XML_CHARS, '');
}
