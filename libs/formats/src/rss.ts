/**
 * RSS 2.0 (with the content, dc and media modules) and RSS 1.0 (rdf:RDF) -> canonical stories,
 * one per item.
 */
import { type Association, type Subject, LIMITS, languageOf } from './canonical';
import { htmlToParagraphs } from './html';
import { feedCategory, feedVersion, mediaRss, rawText } from './feed-item';
import { type XmlNode, attr, kid, kids, textOf } from './xml-safe';
import { type ItemsParsed, bodyFromHtml, dedupeSubjects, eachItem, finish, instant, reject, resolveUrl, timeOf } from './xml-story';

function decodeTitle(n: XmlNode | undefined): string {
  if (!n) return '';
  const t = rawText(n);
  return /<[a-z]/i.test(t) || /&[#a-z0-9]+;/i.test(t) ? htmlToParagraphs(t).join(' ') : t.replace(/\s+/g, ' ').trim();
}

/** `jane@example.com (Jane Doe)` -> `Jane Doe`; a bare address stays as sent. */
function rssAuthor(s: string): string {
  return /^\S+@\S+\s*\((.+)\)$/.exec(s)?.[1]?.trim() ?? s;
}

export function parseRss(root: XmlNode, lenient: boolean): ItemsParsed {
  const isRdf = root.name === 'RDF';
  const channel = kid(root, 'channel');
  const items = isRdf ? kids(root, 'item') : kids(channel, 'item');
  const base = isRdf ? '/rdf:RDF/item' : '/rss/channel/item';
  if (!channel) reject('schema_violation', isRdf ? '/rdf:RDF/channel' : '/rss/channel', 'an RSS document must have a channel');
  if (items.length === 0) reject('missing_field', base, 'the feed has no items');
  if (items.length > LIMITS.items) reject('too_many_items', base, `max ${LIMITS.items} items per document`);
  const channelLang = languageOf(textOf(kid(channel, 'language')) || undefined);
  const channelLink = resolveUrl(textOf(kids(channel, 'link').find((l) => !l.prefix)) || undefined, attr(root, 'base') ?? attr(channel, 'base'));
  const channelRights = textOf(kid(channel, 'copyright')) || textOf(kid(channel, 'rights'));
  return eachItem(items, lenient, (it, i) => {
    const warnings: string[] = [];
    const xpath = `${base}[${i + 1}]`;
    const link = resolveUrl(textOf(kids(it, 'link').find((l) => !l.prefix)) || undefined, channelLink);
    const itemBase = attr(it, 'base') ?? link ?? channelLink;
    const encoded = kid(it, 'encoded');
    const description = kid(it, 'description');
    const rawHtml = encoded && rawText(encoded).trim() ? rawText(encoded) : description ? rawText(description) : '';
    const b = rawHtml ? bodyFromHtml(rawHtml, itemBase) : { html: undefined, paragraphs: [] as string[] };
    const guid = textOf(kid(it, 'guid')) || link || attr(it, 'about');
    const published = timeOf(textOf(kid(it, 'pubDate')) || textOf(kid(it, 'date')) || undefined, warnings, 'pubDate');
    const updated = instant(textOf(kid(it, 'updated')) || textOf(kid(it, 'modified')) || undefined);
    const subjects: Subject[] = kids(it, 'category')
      .filter((c) => !c.prefix || c.prefix === 'atom')
      .map((c) => (c.prefix === 'atom' ? feedCategory(attr(c, 'term'), attr(c, 'scheme'), attr(c, 'label')) : feedCategory(textOf(c) || undefined, attr(c, 'domain'))))
      .concat(kids(it, 'subject').map((c) => ({ scheme: 'dc', name: textOf(c) || undefined })));
    const associations: Association[] = [
      ...kids(it, 'enclosure').map((e) => ({ role: 'enclosure', href: resolveUrl(attr(e, 'url'), itemBase), mimetype: attr(e, 'type') })),
      ...mediaRss(it, itemBase),
    ];
    const creators = kids(it, 'creator').map((c) => textOf(c)).filter(Boolean);
    const author = textOf(kid(it, 'author'));
    return finish(
      {
        format: 'rss',
        externalId: guid || undefined,
        version: feedVersion(updated ?? published),
        versionCreated: updated ?? published,
        firstCreated: updated ? published : undefined,
        itemType: 'text',
        headline: decodeTitle(kid(it, 'title')),
        byline: creators.join(', ') || (author ? rssAuthor(author) : undefined),
        paragraphs: b.paragraphs,
        bodyHtml: b.html,
        language: languageOf(textOf(kid(it, 'language')) || undefined) ?? channelLang,
        subjects: dedupeSubjects(subjects),
        places: [],
        rights: textOf(kid(it, 'rights')) || channelRights ? { copyrightNotice: textOf(kid(it, 'rights')) || channelRights } : undefined,
        associations,
        formatVersion: isRdf ? '1.0' : attr(root, 'version'),
        warnings,
      },
      xpath,
      `${xpath}/title`,
      encoded ? `${xpath}/content:encoded` : `${xpath}/description`,
    );
  });
}
