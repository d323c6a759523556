/**
 * XML formats -> canonical stories, chosen by the root element (never by file name):
 *   newsItem / packageItem (NewsML-G2), newsMessage (G2 items in an itemSet), nitf (NITF 3.x),
 *   rss / rdf:RDF (RSS 2.0 / 1.0), feed (Atom 1.0).
 * Follows the standards' element models rather than sample files: NewsML-G2 2.x item
 * structure (itemMeta, contentMeta, contentSet with inlineXML / inlineData / remoteContent),
 * NITF 3.x docdata and body, RSS 2.0 items and Atom entries. Offending parts are named by XPath.
 */
import { type Association, type CanonicalStory, FormatError, type PubStatus, type Subject, type Place, LIMITS, checkBody, checkHeadline } from './canonical';
import type { ParsedDocument } from './detect';
import { htmlToParagraphs, isoInstant, paragraphsToHtml, sanitizeBodyHtml, schemeFromUri, splitQcode, textToParagraphs } from './html';
import { type XmlNode, attr, kid, kids, parseXml, textOf, toHtml } from './xml-safe';

const G2_NS = 'http://iptc.org/std/nar/2006-10-01/';

function reject(code: string, xpath: string, message: string, status: 400 | 415 | 422 = 422): never {
  throw new FormatError(status, code, xpath, message);
}

/** Stories of a multi-item document; in lenient mode a bad item is set aside instead of failing the rest. */
interface ItemsParsed {
  stories: CanonicalStory[];
  /** The document position of each story (its index among the document's items). */
  positions: number[];
  rejected: Array<{ index: number; error: FormatError }>;
}

function eachItem<T>(items: readonly T[], lenient: boolean, parse: (item: T, index: number) => CanonicalStory | undefined): ItemsParsed {
  const out: ItemsParsed = { stories: [], positions: [], rejected: [] };
  items.forEach((item, index) => {
    try {
      const story = parse(item, index);
      if (story) {
        out.stories.push(story);
        out.positions.push(index);
      }
    } catch (err) {
      if (!lenient || !(err instanceof FormatError)) throw err;
      out.rejected.push({ index, error: err });
    }
  });
  return out;
}

function intVersion(raw: string | undefined): { version?: number; label?: string } {
  if (raw === undefined) return {};
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? { version: n, label: raw } : { label: raw };
}

/** ISO 8601 basic (NITF `20130515T080000+0000`) or extended -> UTC ISO; RFC 822 (RSS) too. */
function instant(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(s);
  if (basic) return isoInstant(`${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6] ?? '00'}${basic[7]}`);
  const iso = isoInstant(s);
  if (iso) return iso;
  // RFC 822 / 1123 dates always carry a zone; Date.parse reads them in that zone.
  if (/^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|UT|GMT|[ECMP][SD]T|Z)$/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

function languageOf(tag: string | undefined): string | undefined {
  return tag && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/i.test(tag) ? tag.slice(0, 2).toLowerCase() : undefined;
}

function bodyFromHtml(html: string): { html: string; paragraphs: string[] } {
  const clean = sanitizeBodyHtml(html);
  return { html: clean, paragraphs: htmlToParagraphs(clean) };
}

function finish(story: Omit<CanonicalStory, 'headline' | 'paragraphs'> & { headline?: string; paragraphs?: string[] }, xpath: string, headlineXpath: string, bodyXpath: string): CanonicalStory {
  const headline = story.headline ? checkHeadline(story.headline, headlineXpath) : '';
  const paragraphs = story.paragraphs?.length ? checkBody(story.paragraphs, bodyXpath) : [];
  if (story.externalId && story.externalId.length > 512) reject('too_long', `${xpath}`, 'the item id is longer than 512 characters');
  return { ...story, headline, paragraphs, bodyHtml: paragraphs.length ? story.bodyHtml : undefined };
}

// ---------------------------------------------------------------- NITF

const NITF_TO_HTML: Record<string, string> = { 'body.content': '', block: 'div', hl2: 'h2', 'media': '', 'media-reference': '', 'media-caption': 'p', 'body.head': '', 'body.end': '', nitf: '', body: '' };

interface NitfBody {
  headline?: string;
  subheadline?: string;
  byline?: string;
  dateline?: string;
  html?: string;
  paragraphs: string[];
}

function nitfBody(nitf: XmlNode): NitfBody {
  const body = kid(nitf, 'body');
  const head = kid(body, 'body.head');
  const hed = kid(head, 'hedline');
  const content = kid(body, 'body.content');
  let html = content ? toHtml(content, NITF_TO_HTML) : undefined;
  let paragraphs = html ? htmlToParagraphs(html) : [];
  // An abstract without body content is the text (previews, briefs).
  if (paragraphs.length === 0 && kid(head, 'abstract')) {
    html = toHtml(kid(head, 'abstract')!, { abstract: '' });
    paragraphs = htmlToParagraphs(html);
  }
  const byline = kid(head, 'byline');
  return {
    headline: textOf(kid(hed, 'hl1')) || undefined,
    subheadline: textOf(kid(hed, 'hl2')) || undefined,
    byline: byline ? textOf(byline).replace(/^by\s+/i, '') || undefined : undefined,
    dateline: textOf(kid(head, 'dateline')) || undefined,
    html: html ? sanitizeBodyHtml(html) : undefined,
    paragraphs,
  };
}

function parseNitf(nitf: XmlNode): CanonicalStory {
  const head = kid(nitf, 'head');
  const docdata = kid(head, 'docdata');
  const b = nitfBody(nitf);
  const id = attr(kid(docdata, 'doc-id'), 'id-string') ?? attr(nitf, 'uno');
  const subjects: Subject[] = [];
  for (const t of kids(docdata, 'tobject')) {
    for (const s of kids(t, 'tobject.subject')) {
      const code = attr(s, 'tobject.subject.refnum');
      if (code) subjects.push({ scheme: 'subj', code: code.replace(/^IPTC:/, ''), name: attr(s, 'tobject.subject.matter') ?? attr(s, 'tobject.subject.type') });
    }
  }
  const identified = kid(docdata, 'identified-content');
  for (const c of kids(identified, 'classifier')) {
    const value = attr(c, 'value') ?? textOf(c);
    if (value) subjects.push({ ...splitQcode(value), scheme: attr(c, 'type') ?? splitQcode(value).scheme, name: textOf(c) || undefined });
  }
  const places: Place[] = kids(identified, 'location').map((l) => ({ name: textOf(l) || undefined, code: attr(l, 'location-code') }));
  const keyList = kid(docdata, 'key-list');
  for (const k of kids(keyList, 'keyword')) {
    const key = attr(k, 'key');
    if (key) subjects.push({ scheme: 'keyword', name: key });
  }
  const urgency = Number(attr(kid(docdata, 'urgency'), 'ed-urg'));
  const copyright = kid(docdata, 'doc.copyright');
  const release = attr(kid(docdata, 'date.release'), 'norm');
  const embargo = instant(release);
  const v = intVersion(attr(kid(docdata, 'du-key'), 'version'));
  const lang = attr(nitf, 'lang') ?? attr(kid(nitf, 'body'), 'lang');
  return finish(
    {
      format: 'nitf',
      externalId: id,
      version: v.version,
      versionLabel: v.label,
      versionCreated: instant(attr(kid(docdata, 'date.issue'), 'norm')),
      itemType: 'text',
      headline: b.headline ?? (textOf(kid(head, 'title')) || undefined),
      subheadline: b.subheadline,
      byline: b.byline,
      dateline: b.dateline,
      paragraphs: b.paragraphs,
      bodyHtml: b.html,
      language: languageOf(lang),
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects,
      places,
      embargo,
      embargoUnreadable: release && !embargo ? release.slice(0, 64) : undefined,
      expires: instant(attr(kid(docdata, 'date.expire'), 'norm')),
      rights: copyright ? { copyrightHolder: attr(copyright, 'holder'), copyrightNotice: attr(copyright, 'year') ? `© ${attr(copyright, 'year')} ${attr(copyright, 'holder') ?? ''}`.trim() : undefined } : undefined,
      associations: [],
      formatVersion: attr(nitf, 'version') ?? attr(nitf, 'change.version'),
    },
    '/nitf',
    '/nitf/body/body.head/hedline/hl1',
    '/nitf/body/body.content',
  );
}

// ---------------------------------------------------------------- NewsML-G2

function g2Name(n: XmlNode, lang?: string): string | undefined {
  const names = kids(n, 'name');
  const best = names.find((x) => lang && attr(x, 'lang')?.toLowerCase().startsWith(lang)) ?? names[0];
  return best ? textOf(best) || undefined : undefined;
}

function qcodeParts(n: XmlNode): { scheme?: string; code?: string; uri?: string } {
  const qcode = attr(n, 'qcode');
  const uri = attr(n, 'uri');
  if (qcode) return { ...splitQcode(qcode), uri };
  if (uri) return { ...schemeFromUri(uri), uri };
  const literal = attr(n, 'literal');
  return literal ? { code: literal } : {};
}

function stripScheme(qcode: string | undefined): string | undefined {
  return qcode ? qcode.slice(qcode.indexOf(':') + 1) : undefined;
}

/** The text of a G2 contentSet: the first inline text or HTML/NITF rendition; binaries are linked. */
function g2Content(set: XmlNode | undefined, xpath: string): { nitf?: NitfBody; html?: string; paragraphs: string[]; remote: Association[]; bodyXpath: string } {
  const remote: Association[] = kids(set, 'remoteContent').map((r) => ({
    role: attr(r, 'rendition'),
    href: attr(r, 'href'),
    uri: attr(r, 'residref'),
    mimetype: attr(r, 'contenttype'),
  }));
  for (const c of kids(set)) {
    const ct = (attr(c, 'contenttype') ?? '').toLowerCase();
    const cx = `${xpath}/contentSet/${c.name}[${kids(set, c.name).indexOf(c) + 1}]`;
    if (c.name === 'inlineXML') {
      const root = kids(c)[0];
      if (!root) continue;
      if (root.name === 'nitf' || ct.includes('nitf')) {
        const nb = nitfBody(root);
        if (nb.paragraphs.length || nb.headline) return { nitf: nb, html: nb.html, paragraphs: nb.paragraphs, remote, bodyXpath: cx };
        continue;
      }
      const bodyEl = root.name === 'html' ? kid(root, 'body') ?? root : root;
      const b = bodyFromHtml(toHtml(bodyEl, { html: '', body: '', head: '' }));
      if (b.paragraphs.length) return { ...b, remote, bodyXpath: cx };
    } else if (c.name === 'inlineData') {
      const raw = c.children.filter((x): x is string => typeof x === 'string').join('');
      if (/html/.test(ct)) {
        const b = bodyFromHtml(raw);
        if (b.paragraphs.length) return { ...b, remote, bodyXpath: cx };
      } else if (!ct || ct.startsWith('text/')) {
        const paragraphs = textToParagraphs(raw);
        if (paragraphs.length) return { html: paragraphsToHtml(paragraphs), paragraphs, remote, bodyXpath: cx };
      }
    }
  }
  return { paragraphs: [], remote, bodyXpath: `${xpath}/contentSet` };
}

function parseG2Item(item: XmlNode, xpath: string): CanonicalStory {
  if (item.name !== 'newsItem' && item.name !== 'packageItem') {
    reject('unsupported_item_kind', xpath, `${item.name} is not supported: send newsItem or packageItem (conceptItem, planningItem and knowledgeItem carry no story)`);
  }
  const guid = attr(item, 'guid');
  if (!guid) reject('schema_violation', `${xpath}/@guid`, `${item.name} must have a guid`);
  const itemMeta = kid(item, 'itemMeta');
  if (!itemMeta) reject('schema_violation', `${xpath}/itemMeta`, `${item.name} must have itemMeta (NewsML-G2 requires it)`);
  const contentMeta = kid(item, 'contentMeta');
  const lang = attr(kid(contentMeta, 'language'), 'tag') ?? attr(item, 'lang');
  const language = languageOf(lang);
  const v = intVersion(attr(item, 'version'));
  const headlines = kids(contentMeta, 'headline');
  const mainHeadline = headlines.find((h) => !attr(h, 'role') || /main/i.test(attr(h, 'role')!)) ?? headlines[0];
  const subHeadline = headlines.find((h) => h !== mainHeadline && /sub/i.test(attr(h, 'role') ?? ''));

  const subjects: Subject[] = [];
  const places: Place[] = [];
  for (const s of kids(contentMeta, 'subject')) {
    const q = qcodeParts(s);
    const entry = { scheme: q.scheme, code: q.code, name: g2Name(s, language), uri: q.uri };
    if (/geoArea|poi/i.test(attr(s, 'type') ?? '')) places.push({ name: entry.name, code: attr(s, 'qcode'), uri: entry.uri });
    subjects.push(entry);
  }
  const located = kid(contentMeta, 'located');
  if (located) places.unshift({ name: g2Name(located, language), code: attr(located, 'qcode'), uri: attr(located, 'uri') });

  const pubQ = stripScheme(attr(kid(itemMeta, 'pubStatus'), 'qcode'));
  const pubStatus: PubStatus | undefined = pubQ === 'usable' || pubQ === 'withheld' || pubQ === 'canceled' ? pubQ : undefined;
  const embargoRaw = textOf(kid(itemMeta, 'embargoed')) || undefined;
  const embargo = instant(embargoRaw);
  const rightsInfo = kid(item, 'rightsInfo');
  const holder = kid(rightsInfo, 'copyrightHolder');
  const rights = rightsInfo
    ? {
        copyrightHolder: holder ? g2Name(holder, language) ?? attr(holder, 'literal') ?? attr(holder, 'uri') : undefined,
        copyrightNotice: textOf(kid(rightsInfo, 'copyrightNotice')) || undefined,
        usageTerms: textOf(kid(rightsInfo, 'usageTerms')) || undefined,
      }
    : undefined;
  const links: Association[] = kids(itemMeta, 'link').map((l) => ({
    role: attr(l, 'rel'),
    uri: attr(l, 'residref'),
    href: attr(l, 'href'),
    mimetype: attr(l, 'contenttype'),
    headline: attr(l, 'title'),
  }));

  let content = g2Content(kid(item, 'contentSet'), xpath);
  const descriptions = kids(contentMeta, 'description');
  let associations = [...links, ...content.remote];
  if (item.name === 'packageItem') {
    // A package links stories; it is stored as a text-less item whose associations are its refs.
    const refs: Association[] = [];
    const walk = (n: XmlNode) => {
      for (const c of kids(n)) {
        if (c.name === 'itemRef') {
          refs.push({ role: 'package-member', uri: attr(c, 'residref'), href: attr(c, 'href'), mimetype: attr(c, 'contenttype'), type: stripScheme(attr(kid(c, 'itemClass'), 'qcode')), headline: textOf(kid(c, 'title')) || textOf(kid(c, 'headline')) || undefined });
        } else walk(c);
      }
    };
    walk(kid(item, 'groupSet') ?? item);
    associations = [...associations, ...refs];
    content = { ...content, paragraphs: [] };
  } else if (content.paragraphs.length === 0 && descriptions.length) {
    // Pictures, video and graphics: the caption/summary is the text.
    const d = descriptions.find((x) => /caption|summary/i.test(attr(x, 'role') ?? '')) ?? descriptions[0]!;
    const paragraphs = textToParagraphs(d.children.filter((x): x is string => typeof x === 'string').join('') || textOf(d));
    content = { ...content, paragraphs, html: paragraphsToHtml(paragraphs), bodyXpath: `${xpath}/contentMeta/description[${descriptions.indexOf(d) + 1}]` };
  }
  const by = kid(contentMeta, 'by');
  const creator = kid(contentMeta, 'creator');
  const urgency = Number(textOf(kid(contentMeta, 'urgency')));
  const headlineText = (mainHeadline ? textOf(mainHeadline) : '') || content.nitf?.headline || '';
  return finish(
    {
      format: 'newsml-g2',
      externalId: guid,
      version: v.version,
      versionLabel: v.label,
      versionCreated: instant(textOf(kid(itemMeta, 'versionCreated')) || undefined),
      firstCreated: instant(textOf(kid(itemMeta, 'firstCreated')) || undefined),
      pubStatus,
      itemType: stripScheme(attr(kid(itemMeta, 'itemClass'), 'qcode')) ?? (item.name === 'packageItem' ? 'composite' : undefined),
      headline: headlineText,
      subheadline: (subHeadline ? textOf(subHeadline) : undefined) || content.nitf?.subheadline,
      byline: (by ? textOf(by) : undefined) || content.nitf?.byline || (creator ? g2Name(creator, language) : undefined),
      dateline: textOf(kid(contentMeta, 'dateline')) || content.nitf?.dateline || (located ? g2Name(located, language) : undefined),
      paragraphs: content.paragraphs,
      bodyHtml: content.html,
      language,
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects,
      places,
      embargo,
      embargoUnreadable: embargoRaw && !embargo ? embargoRaw.slice(0, 64) : undefined,
      rights: rights && Object.values(rights).some(Boolean) ? rights : undefined,
      associations,
      formatVersion: attr(item, 'standardversion'),
    },
    xpath,
    mainHeadline ? `${xpath}/contentMeta/headline` : `${content.bodyXpath}`,
    content.bodyXpath,
  );
}

const G2_ITEMS = new Set(['newsItem', 'packageItem', 'conceptItem', 'planningItem', 'knowledgeItem', 'catalogItem']);

function parseNewsMessage(msg: XmlNode, lenient: boolean): ItemsParsed {
  const set = kid(msg, 'itemSet');
  if (!set) reject('schema_violation', '/newsMessage/itemSet', 'a newsMessage must have an itemSet');
  const items = kids(set).filter((c) => G2_ITEMS.has(c.name));
  if (items.length === 0) reject('missing_field', '/newsMessage/itemSet', 'the news message carries no items');
  if (items.length > LIMITS.items) reject('too_many_items', '/newsMessage/itemSet', `max ${LIMITS.items} items per message`);
  const counters: Record<string, number> = {};
  const skipped: string[] = [];
  const parsed = eachItem(items, lenient, (item) => {
    counters[item.name] = (counters[item.name] ?? 0) + 1;
    const xpath = `/newsMessage/itemSet/${item.name}[${counters[item.name]}]`;
    if (item.name !== 'newsItem' && item.name !== 'packageItem') {
      skipped.push(`${xpath}: ${item.name} is not supported and was skipped`);
      return undefined;
    }
    return parseG2Item(item, xpath);
  });
  const { stories } = parsed;
  if (stories.length === 0 && parsed.rejected.length === 0) {
    reject('unsupported_item_kind', '/newsMessage/itemSet', `no newsItem or packageItem in the message (${skipped.length} unsupported items)`);
  }
  if (skipped.length && stories.length) stories[0] = { ...stories[0]!, warnings: [...(stories[0]!.warnings ?? []), ...skipped] };
  return parsed;
}

// ---------------------------------------------------------------- RSS / Atom

function feedVersion(updated: string | undefined): number | undefined {
  // Feeds carry no version: an item edited later gets a later timestamp, hence a higher version.
  if (!updated) return undefined;
  const minutes = Math.floor(Date.parse(updated) / 60_000) - 26_000_000; // minutes since ~2019-06: fits int, grows
  return minutes >= 1 ? minutes : 1;
}

function parseRss(root: XmlNode, lenient: boolean): ItemsParsed {
  const isRdf = root.name === 'RDF';
  const channel = kid(root, 'channel');
  const items = isRdf ? kids(root, 'item') : kids(channel, 'item');
  const base = isRdf ? '/rdf:RDF/item' : '/rss/channel/item';
  if (!channel) reject('schema_violation', isRdf ? '/rdf:RDF/channel' : '/rss/channel', 'an RSS document must have a channel');
  if (items.length === 0) reject('missing_field', base, 'the feed has no items');
  if (items.length > LIMITS.items) reject('too_many_items', base, `max ${LIMITS.items} items per document`);
  const channelLang = languageOf(textOf(kid(channel, 'language')) || undefined);
  return eachItem(items, lenient, (it, i) => {
    const xpath = `${base}[${i + 1}]`;
    const encoded = kid(it, 'encoded');
    const description = kid(it, 'description');
    const rawHtml = encoded ? rawText(encoded) : description ? rawText(description) : '';
    const b = rawHtml ? bodyFromHtml(rawHtml) : { html: undefined, paragraphs: [] as string[] };
    const guid = textOf(kid(it, 'guid')) || textOf(kid(it, 'link')) || attr(it, 'about');
    const published = instant(textOf(kid(it, 'pubDate')) || textOf(kid(it, 'date')) || undefined);
    const subjects: Subject[] = kids(it, 'category').map((c) => ({ scheme: attr(c, 'domain'), name: textOf(c) || undefined }))
      .concat(kids(it, 'subject').map((c) => ({ scheme: 'dc', name: textOf(c) || undefined })));
    const associations: Association[] = kids(it, 'enclosure').map((e) => ({ role: 'enclosure', href: attr(e, 'url'), mimetype: attr(e, 'type') }))
      .concat(kids(it, 'content').filter((m) => m.prefix === 'media').map((m) => ({ role: 'media', href: attr(m, 'url'), mimetype: attr(m, 'type'), type: attr(m, 'medium') })));
    return finish(
      {
        format: 'rss',
        externalId: guid || undefined,
        version: feedVersion(published),
        versionCreated: published,
        itemType: 'text',
        headline: decodeTitle(kid(it, 'title')),
        byline: textOf(kid(it, 'creator')) || textOf(kid(it, 'author')) || undefined,
        paragraphs: b.paragraphs,
        bodyHtml: b.html,
        language: languageOf(textOf(kid(it, 'language')) || undefined) ?? channelLang,
        subjects,
        places: [],
        rights: textOf(kid(channel, 'copyright')) ? { copyrightNotice: textOf(kid(channel, 'copyright')) } : undefined,
        associations,
        formatVersion: isRdf ? '1.0' : attr(root, 'version'),
      },
      xpath,
      `${xpath}/title`,
      encoded ? `${xpath}/content:encoded` : `${xpath}/description`,
    );
  });
}

/** Text children verbatim (RSS escapes HTML inside description; CDATA arrives as text too). */
function rawText(n: XmlNode): string {
  return n.children.map((c) => (typeof c === 'string' ? c : toHtml(c))).join('');
}

function decodeTitle(n: XmlNode | undefined): string {
  if (!n) return '';
  const t = rawText(n);
  return /<[a-z]/i.test(t) ? htmlToParagraphs(t).join(' ') : t.replace(/\s+/g, ' ').trim();
}

/** Atom text constructs: type="text" | "html" (escaped markup) | "xhtml" (inline div). */
function atomHtml(n: XmlNode | undefined): string | undefined {
  if (!n) return undefined;
  const type = attr(n, 'type') ?? 'text';
  if (type === 'xhtml') {
    const div = kid(n, 'div');
    return div ? toHtml(div, { div: '' }) : rawText(n);
  }
  if (type === 'html' || type === 'text/html') return rawText(n);
  if (type === 'text' || type === 'text/plain') return paragraphsToHtml(textToParagraphs(rawText(n)));
  return undefined; // out-of-line or binary content
}

function parseAtom(feed: XmlNode, lenient: boolean): ItemsParsed {
  const entries = kids(feed, 'entry');
  if (entries.length === 0) reject('missing_field', '/feed/entry', 'the feed has no entries');
  if (entries.length > LIMITS.items) reject('too_many_items', '/feed/entry', `max ${LIMITS.items} items per document`);
  const feedLang = languageOf(attr(feed, 'lang'));
  return eachItem(entries, lenient, (e, i) => {
    const xpath = `/feed/entry[${i + 1}]`;
    const content = kid(e, 'content');
    const html = atomHtml(content) ?? atomHtml(kid(e, 'summary'));
    const b = html ? bodyFromHtml(html) : { html: undefined, paragraphs: [] as string[] };
    const updated = instant(textOf(kid(e, 'updated')) || undefined);
    const titleEl = kid(e, 'title');
    const title = titleEl ? (attr(titleEl, 'type') === 'text' || !attr(titleEl, 'type') ? textOf(titleEl) : htmlToParagraphs(atomHtml(titleEl) ?? '').join(' ')) : '';
    const links = kids(e, 'link');
    return finish(
      {
        format: 'atom',
        externalId: textOf(kid(e, 'id')) || attr(links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate'), 'href'),
        version: feedVersion(updated),
        versionCreated: updated,
        firstCreated: instant(textOf(kid(e, 'published')) || undefined),
        itemType: 'text',
        headline: title,
        byline: kids(e, 'author').map((a) => textOf(kid(a, 'name'))).filter(Boolean).join(', ') || undefined,
        paragraphs: b.paragraphs,
        bodyHtml: b.html,
        language: languageOf(attr(e, 'lang')) ?? languageOf(attr(content, 'lang')) ?? feedLang,
        subjects: kids(e, 'category').map((c) => ({ scheme: attr(c, 'scheme'), code: attr(c, 'term'), name: attr(c, 'label') ?? attr(c, 'term') })),
        places: [],
        rights: textOf(kid(e, 'rights')) || textOf(kid(feed, 'rights')) ? { copyrightNotice: textOf(kid(e, 'rights')) || textOf(kid(feed, 'rights')) } : undefined,
        associations: links.filter((l) => attr(l, 'rel') === 'enclosure' || attr(l, 'rel') === 'related').map((l) => ({ role: attr(l, 'rel'), href: attr(l, 'href'), mimetype: attr(l, 'type'), headline: attr(l, 'title') })),
        formatVersion: '1.0',
      },
      xpath,
      `${xpath}/title`,
      content ? `${xpath}/content` : `${xpath}/summary`,
    );
  });
}

// ---------------------------------------------------------------- dispatch

/** `lenient`: a bad item of a multi-item document (feed, news message) is reported in `rejected`, not thrown. */
export function parseXmlStories(text: string, opts: { lenient?: boolean } = {}): ParsedDocument {
  const lenient = opts.lenient ?? false;
  const root = parseXml(text);
  const xmlns = attr(root, 'xmlns');
  switch (root.name) {
    case 'newsItem':
    case 'packageItem':
      if (xmlns && xmlns !== G2_NS) reject('schema_violation', `/${root.name}`, `${root.name} must be in the NewsML-G2 namespace ${G2_NS}`);
      return { format: 'newsml-g2', stories: [parseG2Item(root, `/${root.name}`)] };
    case 'newsMessage':
      return { format: 'newsml-g2', ...parseNewsMessage(root, lenient) };
    case 'conceptItem':
    case 'planningItem':
    case 'knowledgeItem':
    case 'catalogItem':
      return reject('unsupported_item_kind', `/${root.name}`, `${root.name} is not supported: send newsItem, packageItem or newsMessage`);
    case 'NewsML':
      return reject('unsupported_document', '/NewsML', 'NewsML 1.x is not supported: send NewsML-G2 (newsItem or newsMessage), NITF or ninjs');
    case 'nitf':
      return { format: 'nitf', stories: [parseNitf(root)] };
    case 'rss':
    case 'RDF':
      return { format: 'rss', ...parseRss(root, lenient) };
    case 'feed':
      return { format: 'atom', ...parseAtom(root, lenient) };
    default:
      return reject(
        'unsupported_document',
        `/${root.prefix ? `${root.prefix}:` : ''}${root.name}`,
        `<${root.name.slice(0, 40)}> is not a supported root: NewsML-G2 newsItem/packageItem/newsMessage, NITF, RSS or Atom (fragments such as contentSet or groupSet are not items)`,
      );
  }
}
