/**
 * Atom 1.0 (RFC 4287) -> canonical stories, one per entry: text constructs (text, html, xhtml)
 * and xml:base resolved from the feed down to each link.
 */
import { LIMITS, languageOf } from './canonical';
import { htmlToParagraphs, paragraphsToHtml, textToParagraphs } from './html';
import { feedCategory, feedVersion, mediaRss, rawText } from './feed-item';
import { type XmlNode, attr, kid, kids, textOf, toHtml } from './xml-safe';
import { type ItemsParsed, bodyFromHtml, dedupeSubjects, eachItem, finish, reject, resolveUrl, timeOf } from './xml-story';

/** Atom text constructs: type="text" | "html" (escaped markup) | "xhtml" (inline div) | a MIME type (RFC 4287 §4.1.3). */
function atomHtml(n: XmlNode | undefined): string | undefined {
  if (!n || attr(n, 'src')) return undefined;
  const type = (attr(n, 'type') ?? 'text').toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') {
    const div = kid(n, 'div');
    return div ? toHtml(div, { div: '' }) : rawText(n);
  }
  if (type === 'html' || type === 'text/html') return rawText(n);
  if (type === 'text' || type.startsWith('text/')) return paragraphsToHtml(textToParagraphs(rawText(n)));
  if (type.endsWith('+xml') || type.endsWith('/xml')) return kids(n).map((c) => toHtml(c)).join('');
  return undefined; // base64 binary content
}

/** xml:base from the outermost to the innermost element, each relative to the one before. */
function xmlBase(chain: Array<XmlNode | undefined>): string | undefined {
  let base: string | undefined;
  for (const n of chain) {
    const b = attr(n, 'base');
    if (b) base = resolveUrl(b, base) ?? base;
  }
  return base;
}

function atomPeople(n: XmlNode | undefined, name: 'author' | 'contributor'): string[] {
  return kids(n, name).map((a) => textOf(kid(a, 'name')) || textOf(kid(a, 'email'))).filter(Boolean);
}

export function parseAtom(feed: XmlNode, lenient: boolean): ItemsParsed {
  const entries = kids(feed, 'entry');
  if (entries.length === 0) reject('missing_field', '/feed/entry', 'the feed has no entries');
  if (entries.length > LIMITS.items) reject('too_many_items', '/feed/entry', `max ${LIMITS.items} items per document`);
  const feedLang = languageOf(attr(feed, 'lang'));
  const feedAuthors = atomPeople(feed, 'author');
  return eachItem(entries, lenient, (e, i) => {
    const warnings: string[] = [];
    const xpath = `/feed/entry[${i + 1}]`;
    const entryBase = xmlBase([feed, e]);
    const content = kid(e, 'content');
    const summary = kid(e, 'summary');
    const fromContent = atomHtml(content);
    const html = fromContent ?? atomHtml(summary);
    const b = html ? bodyFromHtml(html, xmlBase([feed, e, fromContent ? content : summary])) : { html: undefined, paragraphs: [] as string[] };
    const updated = timeOf(textOf(kid(e, 'updated')) || undefined, warnings, 'updated');
    const published = timeOf(textOf(kid(e, 'published')) || undefined, warnings, 'published');
    const titleEl = kid(e, 'title');
    const titleType = (attr(titleEl, 'type') ?? 'text').toLowerCase();
    const title = titleEl ? (titleType === 'text' ? textOf(titleEl) : htmlToParagraphs(atomHtml(titleEl) ?? '').join(' ')) : '';
    const links = kids(e, 'link').filter((l) => !l.prefix || l.prefix === 'atom');
    const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
    const linkOf = (l: XmlNode) => resolveUrl(attr(l, 'href'), xmlBase([feed, e, l]));
    const authors = atomPeople(e, 'author');
    const source = kid(e, 'source');
    const rightsEl = kid(e, 'rights') ?? kid(source, 'rights') ?? kid(feed, 'rights');
    const rights = rightsEl ? htmlToParagraphs(atomHtml(rightsEl) ?? '').join(' ') : '';
    const contentSrc = content && attr(content, 'src') ? [{ role: 'content', href: resolveUrl(attr(content, 'src'), xmlBase([feed, e, content])), mimetype: attr(content, 'type') }] : [];
    return finish(
      {
        format: 'atom',
        externalId: textOf(kid(e, 'id')) || (alternate ? linkOf(alternate) : undefined),
        version: feedVersion(updated ?? published),
        versionCreated: updated ?? published,
        firstCreated: published,
        itemType: 'text',
        headline: title,
        // An entry without authors has its feed's (or its source feed's) authors (RFC 4287 §4.2.1).
        byline: [authors, atomPeople(source, 'author'), feedAuthors].find((a) => a.length)?.join(', ') || undefined,
        paragraphs: b.paragraphs,
        bodyHtml: b.html,
        language: languageOf(attr(e, 'lang')) ?? languageOf(attr(content, 'lang')) ?? feedLang,
        subjects: dedupeSubjects(kids(e, 'category').map((c) => feedCategory(attr(c, 'term'), attr(c, 'scheme'), attr(c, 'label') ?? attr(c, 'term')))),
        places: [],
        rights: rights ? { copyrightNotice: rights } : undefined,
        associations: [
          ...links
            .filter((l) => attr(l, 'rel') === 'enclosure' || attr(l, 'rel') === 'related')
            .map((l) => ({ role: attr(l, 'rel'), href: linkOf(l), mimetype: attr(l, 'type'), headline: attr(l, 'title') })),
          ...contentSrc,
          ...mediaRss(e, entryBase),
        ],
        formatVersion: '1.0',
        warnings,
      },
      xpath,
      `${xpath}/title`,
      fromContent !== undefined ? `${xpath}/content` : `${xpath}/summary`,
    );
  });
}
