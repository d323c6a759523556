/**
 * XML formats -> canonical stories, chosen by the root element's local name (never by file name
 * or namespace prefix): newsItem / packageItem (NewsML-G2), newsMessage (G2 items in one or more
 * itemSets), NewsML (NewsML 1.x), nitf (NITF 3.x), rss / rdf:RDF (RSS 2.0 / 1.0), feed (Atom 1.0).
 * Follows the standards' element models rather than sample files: NewsML-G2 2.x (itemMeta,
 * contentMeta, rightsInfo, contentSet alternatives ranked inline NITF > inline XHTML > inline
 * HTML data > inline text > remote references), NITF 3.x docdata and body, RSS 2.0 with the
 * content/dc/media modules, and Atom text constructs with xml:base. Offending parts are named by
 * XPath. The dialect quirks handled are listed in README ("Formats and dialects").
 */
import { type Association, type CanonicalStory, FormatError, type PubStatus, type Rights, type Subject, type Place, LIMITS, checkBody, checkHeadline, cleanByline, languageOf } from './canonical';
import type { ParsedDocument } from './detect';
import { htmlToParagraphs, isoDate, isoInstant, paragraphsToHtml, sanitizeBodyHtml, schemeFromUri, splitQcode, textToParagraphs } from './html';
import { type XmlNode, attr, kid, kids, parseXml, textOf, toHtml } from './xml-safe';

const G2_NS = /^https?:\/\/iptc\.org\/std\/nar\/2006-10-01\/?$/;

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
  const n = Number(raw.trim());
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? { version: n, label: raw.trim() } : { label: raw.trim() };
}

/**
 * ISO 8601 basic (NITF `20130515T080000+0000`, `20130515T0800Z`) or extended -> UTC ISO; RFC 822
 * (RSS, with or without weekday/seconds, named US zones) too. A time without an offset is not an
 * instant: it would be read in the server's zone, so it is refused here and the caller decides.
 */
export function instant(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})$/i.exec(s);
  if (basic) return isoInstant(`${basic[1]}-${basic[2]}-${basic[3]}T${basic[4]}:${basic[5]}:${basic[6] ?? '00'}${basic[7]!.toUpperCase()}`);
  const iso = isoInstant(s.replace(/,(\d+)/, '.$1'));
  if (iso) return iso;
  if (/^(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{2}:?\d{2}|UTC?|GMT|[ECMP][SD]T|Z)$/i.test(s)) {
    const t = Date.parse(s.replace(/([+-]\d{2}):(\d{2})$/, '$1$2').replace(/\bUTC$/i, 'GMT'));
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

/** A date without a time (`2024-05-02`, NITF `20240502`) -> YYYY-MM-DD. */
function dateOnly(raw: string | undefined): string | undefined {
  const s = raw?.trim() ?? '';
  const basic = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return isoDate(basic ? `${basic[1]}-${basic[2]}-${basic[3]}` : /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : '');
}

/**
 * Embargo as sent -> instant, or `unreadable` (the story is then held until a later version says
 * when). A bare date lifts when that date has begun everywhere (00:00 at UTC-12 = 12:00Z), so
 * nothing is published early in any zone.
 */
function embargoOf(raw: string | undefined, warnings: string[], label: string): { embargo?: string; unreadable?: string } {
  if (raw === undefined) return {};
  if (!raw.trim()) return { unreadable: 'until further notice' };
  const at = instant(raw);
  if (at) return { embargo: at };
  const day = dateOnly(raw);
  if (day) return { embargo: `${day}T12:00:00.000Z` };
  warnings.push(`${label} "${raw.trim().slice(0, 40)}" has no readable instant with an offset; the story is held until a later version`);
  return { unreadable: raw.trim().slice(0, 64) };
}

/** Expiry: a bare date means the end of that day (UTC); a time without an offset is dropped with a warning. */
function expiryOf(raw: string | undefined, warnings: string[], label: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const at = instant(raw);
  if (at) return at;
  const day = dateOnly(raw);
  if (day) return `${day}T23:59:59.000Z`;
  warnings.push(`${label} "${raw.trim().slice(0, 40)}" is not an instant with an offset; ignored`);
  return undefined;
}

function timeOf(raw: string | undefined, warnings: string[], label: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const at = instant(raw);
  if (!at) warnings.push(`${label} "${raw.trim().slice(0, 40)}" is not an instant with an offset; ignored`);
  return at;
}

/** A relative reference resolved against a base; undefined when there is no usable absolute result. */
function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return base ? undefined : href;
  }
}

/** Relative `href`s in sanitised HTML made absolute (feeds and Atom xml:base), so channels never publish broken links. */
function absolutizeLinks(html: string, base: string | undefined): string {
  if (!base) return html;
  return html.replace(/(<a\b[^>]*?\shref=")([^"]*)(")/g, (whole, pre: string, href: string, post: string) => {
    const raw = href.replace(/&amp;/g, '&');
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return whole;
    const abs = resolveUrl(raw, base);
    return abs && /^https?:/i.test(abs) ? `${pre}${abs.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}${post}` : whole;
  });
}

function bodyFromHtml(html: string, base?: string): { html: string; paragraphs: string[] } {
  let clean = absolutizeLinks(sanitizeBodyHtml(html), base);
  // Feeds often send text (with inline markup at most) where HTML is allowed: blank lines are its paragraphs.
  if (clean && !/<(?:p|div|h[1-6]|ul|ol|table|blockquote|pre|figure)\b/i.test(clean)) {
    clean = clean.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean).map((b) => `<p>${b}</p>`).join('');
  }
  return { html: clean, paragraphs: htmlToParagraphs(clean) };
}

function finish(story: Omit<CanonicalStory, 'headline' | 'paragraphs'> & { headline?: string; paragraphs?: string[] }, xpath: string, headlineXpath: string, bodyXpath: string): CanonicalStory {
  const headline = story.headline ? checkHeadline(story.headline, headlineXpath) : '';
  const paragraphs = story.paragraphs?.length ? checkBody(story.paragraphs, bodyXpath) : [];
  if (story.externalId && story.externalId.length > 512) reject('too_long', `${xpath}`, 'the item id is longer than 512 characters');
  const out: CanonicalStory = { ...story, headline, paragraphs, bodyHtml: paragraphs.length ? story.bodyHtml : undefined };
  if (!out.warnings?.length) delete out.warnings;
  if (!out.signals?.length) delete out.signals;
  return out;
}

/** The element and its descendants, depth first. */
function descendants(n: XmlNode | undefined, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (x: XmlNode) => {
    for (const c of kids(x)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  if (n) walk(n);
  return out;
}

/** A copy of the tree without the named elements (NITF media blocks, byline titles). */
function without(n: XmlNode, names: Set<string>): XmlNode {
  return { ...n, children: n.children.filter((c) => typeof c === 'string' || !names.has(c.name)).map((c) => (typeof c === 'string' ? c : without(c, names))) };
}

/** First non-empty text among the nodes, preferring one whose xml:lang matches. */
function pickLang(nodes: XmlNode[], language: string | undefined): XmlNode | undefined {
  return nodes.find((x) => language && languageOf(attr(x, 'lang')) === language && textOf(x)) ?? nodes.find((x) => textOf(x));
}

function dedupeSubjects(list: Subject[]): Subject[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = `${s.scheme ?? ''}|${s.code ?? ''}|${s.uri ?? ''}|${s.code || s.uri ? '' : s.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- NITF

const NITF_TO_HTML: Record<string, string> = {
  'body.content': '',
  block: 'div',
  hl1: 'h1',
  hl2: 'h2',
  bq: 'blockquote',
  credit: 'p',
  'nitf-table': '',
  'body.head': '',
  'body.end': '',
  nitf: '',
  body: '',
  abstract: '',
};
/** Not text of the story: media blocks become associations, table metadata and notes are dropped. */
const NITF_NOT_TEXT = new Set(['media', 'nitf-table-metadata', 'note', 'fn']);

interface NitfBody {
  headline?: string;
  subheadline?: string;
  byline?: string;
  dateline?: string;
  html?: string;
  paragraphs: string[];
  media: Association[];
  lang?: string;
}

function nitfByline(head: XmlNode | undefined): string | undefined {
  // The whole line as written (person and title, `Jane Doe, AP Writer`), less the leading "By".
  const lines = kids(head, 'byline')
    .map((b) => cleanByline(textOf(b)))
    .filter(Boolean);
  return lines.length ? lines.join(', ') : undefined;
}

function nitfMedia(content: XmlNode | undefined): Association[] {
  return descendants(content, 'media').map((m) => {
    const refs = kids(m, 'media-reference');
    const best = refs.find((r) => attr(r, 'source') ?? attr(r, 'data')) ?? refs[0];
    return {
      role: 'media',
      type: attr(m, 'media-type'),
      href: attr(best, 'source') ?? attr(best, 'data'),
      mimetype: attr(best, 'mime-type'),
      headline: textOf(kid(m, 'media-caption')) || attr(best, 'alternate-text') || undefined,
    };
  });
}

export function nitfBody(nitf: XmlNode): NitfBody {
  const body = kid(nitf, 'body');
  const head = kid(body, 'body.head');
  const hed = kid(head, 'hedline');
  const content = kid(body, 'body.content');
  let html = content ? toHtml(without(content, NITF_NOT_TEXT), NITF_TO_HTML) : undefined;
  let paragraphs = html ? htmlToParagraphs(html) : [];
  // An abstract without body content is the text (previews, briefs).
  const abstract = kid(head, 'abstract');
  if (paragraphs.length === 0 && abstract) {
    html = toHtml(abstract, NITF_TO_HTML);
    paragraphs = htmlToParagraphs(html);
  }
  return {
    headline: textOf(kid(hed, 'hl1')) || undefined,
    subheadline: textOf(kid(hed, 'hl2')) || undefined,
    byline: nitfByline(head),
    dateline: textOf(kid(head, 'dateline')) || undefined,
    html: html ? sanitizeBodyHtml(html) : undefined,
    paragraphs,
    media: nitfMedia(content),
    lang: attr(nitf, 'lang') ?? attr(body, 'lang') ?? attr(content, 'lang') ?? attr(kid(nitf, 'head'), 'lang') ?? attr(nitf, 'baselang'),
  };
}

/** `<location><city>London</city><country>UK</country></location>` -> `London, UK`. */
function nitfLocation(l: XmlNode): string | undefined {
  const parts = kids(l).map((c) => textOf(c)).filter(Boolean);
  return (parts.length ? parts.join(', ') : textOf(l)) || undefined;
}

const NITF_STATUS: Record<string, PubStatus> = { usable: 'usable', withheld: 'withheld', canceled: 'canceled', cancelled: 'canceled' };

function parseNitf(nitf: XmlNode): CanonicalStory {
  const warnings: string[] = [];
  const head = kid(nitf, 'head');
  const docdata = kid(head, 'docdata');
  const b = nitfBody(nitf);
  const id = attr(kid(docdata, 'doc-id'), 'id-string') ?? attr(nitf, 'uno') ?? attr(kid(docdata, 'du-key'), 'key');
  const subjects: Subject[] = [];
  // tobject belongs to head (NITF DTD); some producers put it in docdata.
  for (const t of [...kids(head, 'tobject'), ...kids(docdata, 'tobject')]) {
    for (const s of kids(t, 'tobject.subject')) {
      const code = attr(s, 'tobject.subject.refnum') ?? attr(s, 'tobject.subject.code');
      if (code) {
        subjects.push({
          scheme: 'subj',
          code: code.replace(/^[A-Za-z]+:/, ''),
          name: attr(s, 'tobject.subject.detail') ?? attr(s, 'tobject.subject.matter') ?? attr(s, 'tobject.subject.type'),
        });
      }
    }
  }
  const identified = kid(docdata, 'identified-content');
  for (const c of kids(identified, 'classifier')) {
    const value = attr(c, 'value') ?? attr(c, 'id-string') ?? textOf(c);
    if (!value) continue;
    const q = /^https?:/i.test(value) ? { ...schemeFromUri(value), uri: value } : splitQcode(value);
    subjects.push({ ...q, scheme: q.scheme ?? attr(c, 'type'), name: textOf(c) || undefined });
  }
  const places: Place[] = kids(identified, 'location').map((l) => ({ name: nitfLocation(l), code: attr(l, 'location-code') }));
  for (const k of kids(kid(docdata, 'key-list'), 'keyword')) {
    const key = attr(k, 'key') ?? (textOf(k) || undefined);
    if (key) subjects.push({ scheme: 'keyword', name: key });
  }
  const urgency = Number(attr(kid(docdata, 'urgency'), 'ed-urg'));
  const copyright = kid(docdata, 'doc.copyright');
  const docRights = kid(docdata, 'doc.rights');
  const holder = attr(copyright, 'holder') ?? attr(docRights, 'owner');
  const rights: Rights = {
    copyrightHolder: holder,
    copyrightNotice: attr(copyright, 'year') ? `© ${attr(copyright, 'year')} ${holder ?? ''}`.trim() : undefined,
    usageTerms: attr(docRights, 'limitations'),
  };
  const status = (attr(docdata, 'management-status') ?? '').toLowerCase();
  const releaseEl = kid(docdata, 'date.release');
  const release = releaseEl ? (attr(releaseEl, 'norm') ?? '') : status === 'embargoed' ? '' : undefined;
  const emb = embargoOf(release, warnings, 'date.release');
  const v = intVersion(attr(kid(docdata, 'du-key'), 'version'));
  const issue = attr(kid(docdata, 'date.issue'), 'norm') ?? attr(kid(head, 'pubdata'), 'date.publication');
  const nitfVersion = /NITF\s*(\d+(?:\.\d+)*)/i.exec(attr(nitf, 'version') ?? '')?.[1] ?? attr(nitf, 'version') ?? attr(nitf, 'change.version');
  const edMsg = kids(docdata, 'ed-msg').map((m) => attr(m, 'info') ?? textOf(m)).filter(Boolean).join(' ');
  return finish(
    {
      format: 'nitf',
      externalId: id,
      version: v.version,
      versionLabel: v.label,
      versionCreated: timeOf(issue, warnings, 'date.issue'),
      pubStatus: NITF_STATUS[status],
      itemType: 'text',
      headline: b.headline ?? (textOf(kid(head, 'title')) || undefined),
      subheadline: b.subheadline,
      byline: b.byline,
      dateline: b.dateline,
      paragraphs: b.paragraphs,
      bodyHtml: b.html,
      language: languageOf(b.lang),
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects: dedupeSubjects(subjects),
      places,
      embargo: emb.embargo,
      embargoUnreadable: emb.unreadable,
      expires: expiryOf(attr(kid(docdata, 'date.expire'), 'norm'), warnings, 'date.expire'),
      rights: Object.values(rights).some(Boolean) ? rights : undefined,
      associations: b.media,
      editorNote: edMsg || undefined,
      formatVersion: nitfVersion,
      warnings,
    },
    '/nitf',
    '/nitf/body/body.head/hedline/hl1',
    '/nitf/body/body.content',
  );
}

// ---------------------------------------------------------------- NewsML-G2

function g2Name(n: XmlNode, lang?: string): string | undefined {
  const best = pickLang(kids(n, 'name'), lang);
  return best ? textOf(best) || undefined : undefined;
}

/** A G2 concept reference: `qcode` (scheme alias + code), else a `uri` (known IPTC vocabularies mapped), else a `literal`. */
function qcodeParts(n: XmlNode): { scheme?: string; code?: string; uri?: string } {
  const qcode = attr(n, 'qcode');
  const uri = attr(n, 'uri');
  if (qcode) return { ...splitQcode(qcode), uri };
  if (uri) return { ...schemeFromUri(uri), uri };
  const literal = attr(n, 'literal');
  return literal ? { code: literal } : {};
}

/** The code of a QCode (`stat:usable`) or the last segment of a URI (`.../pubstatusg2/usable`). */
function conceptCode(n: XmlNode | undefined): string | undefined {
  const q = attr(n, 'qcode');
  if (q) return q.slice(q.indexOf(':') + 1);
  const uri = attr(n, 'uri');
  return uri ? uri.replace(/[/#]+$/, '').split(/[/#]/).pop() : undefined;
}

function pubStatusOf(n: XmlNode | undefined): PubStatus | undefined {
  const code = conceptCode(n)?.toLowerCase();
  return code ? NITF_STATUS[code] : undefined;
}

type Rendition = { rank: number; html?: string; paragraphs: string[]; nitf?: NitfBody; lang?: string; xpath: string };

/** One contentSet alternative as text, with its rank (lower is better), or undefined when it holds no text. */
function g2Rendition(c: XmlNode, cx: string): Rendition | undefined {
  const ct = (attr(c, 'contenttype') ?? '').toLowerCase();
  const ownLang = attr(c, 'lang');
  if (c.name === 'inlineXML') {
    const roots = kids(c);
    const root = roots[0];
    if (!root) return undefined;
    if (root.name === 'nitf' || ct.includes('nitf')) {
      const nb = nitfBody(root.name === 'nitf' ? root : { name: 'nitf', attrs: {}, children: [{ name: 'body', attrs: {}, children: [{ name: 'body.content', attrs: {}, children: c.children }] }] });
      return nb.paragraphs.length || nb.headline ? { rank: 0, html: nb.html, paragraphs: nb.paragraphs, nitf: nb, lang: ownLang ?? nb.lang, xpath: cx } : undefined;
    }
    // One root per the schema; lax producers send several block elements: all of them are the text.
    const html = roots.length > 1 ? c.children.map((x) => (typeof x === 'string' ? '' : toHtml(x, { html: '', body: '', head: '' }))).join('') : toHtml(root.name === 'html' ? kid(root, 'body') ?? root : root, { html: '', body: '', head: '' });
    const b = bodyFromHtml(html);
    const isHtml = /html/.test(ct) || ['html', 'body', 'div', 'p', 'article', 'section'].includes(root.name);
    return b.paragraphs.length ? { rank: isHtml ? 1 : 4, ...b, lang: ownLang ?? attr(root, 'lang'), xpath: cx } : undefined;
  }
  if (c.name === 'inlineData') {
    let raw = c.children.filter((x): x is string => typeof x === 'string').join('');
    const enc = (attr(c, 'encoding') ?? attr(c, 'encodinguri') ?? '').toLowerCase();
    if (enc.includes('base64')) {
      raw = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
    } else if (enc && !/^(enc:)?(none|identity|text)$/.test(enc)) {
      return undefined;
    }
    if (/html/.test(ct)) {
      const b = bodyFromHtml(raw);
      return b.paragraphs.length ? { rank: 2, ...b, lang: ownLang, xpath: cx } : undefined;
    }
    if (!ct || ct.startsWith('text/')) {
      const paragraphs = textToParagraphs(raw);
      return paragraphs.length ? { rank: 3, html: paragraphsToHtml(paragraphs), paragraphs, lang: ownLang, xpath: cx } : undefined;
    }
  }
  return undefined;
}

/**
 * The text of a G2 contentSet: the best-ranked inline alternative (NITF, then XHTML, then HTML
 * data, then plain text; document order breaks ties); remote renditions are linked, never fetched.
 */
function g2Content(set: XmlNode | undefined, xpath: string): { rendition?: Rendition; remote: Association[]; bodyXpath: string } {
  const remote: Association[] = kids(set, 'remoteContent').map((r) => ({
    role: attr(r, 'rendition') ?? 'rendition',
    href: attr(r, 'href'),
    uri: attr(r, 'residref'),
    mimetype: attr(r, 'contenttype'),
  }));
  let best: Rendition | undefined;
  for (const c of kids(set)) {
    const cx = `${xpath}/contentSet/${c.name}[${kids(set, c.name).indexOf(c) + 1}]`;
    const r = g2Rendition(c, cx);
    if (r && (!best || r.rank < best.rank)) best = r;
  }
  return { rendition: best, remote, bodyXpath: best?.xpath ?? `${xpath}/contentSet` };
}

function g2Rights(item: XmlNode, language: string | undefined): Rights | undefined {
  const infos = kids(item, 'rightsInfo');
  if (infos.length === 0) return undefined;
  const info = infos.find((r) => language && languageOf(attr(r, 'lang')) === language) ?? infos[0]!;
  const holder = kid(info, 'copyrightHolder');
  const rights: Rights = {
    copyrightHolder: holder ? g2Name(holder, language) ?? attr(holder, 'literal') ?? attr(holder, 'qcode') ?? attr(holder, 'uri') : undefined,
    copyrightNotice: textOf(pickLang(kids(info, 'copyrightNotice'), language)) || attr(kid(info, 'copyrightNotice'), 'href'),
    usageTerms: textOf(pickLang(kids(info, 'usageTerms'), language)) || attr(kid(info, 'usageTerms'), 'href'),
  };
  return Object.values(rights).some(Boolean) ? rights : undefined;
}

function g2Subjects(contentMeta: XmlNode | undefined, language: string | undefined): { subjects: Subject[]; places: Place[] } {
  const subjects: Subject[] = [];
  const places: Place[] = [];
  for (const s of kids(contentMeta, 'subject')) {
    const q = qcodeParts(s);
    const name = g2Name(s, language);
    if (/geoArea|poi/i.test(attr(s, 'type') ?? '')) places.push({ name, code: attr(s, 'qcode') ?? attr(s, 'literal'), uri: q.uri });
    subjects.push({ scheme: q.scheme, code: q.code, name, uri: q.uri });
    // sameAs gives the same concept in another scheme (a provider code mapped to medtop): routing reads it.
    for (const same of kids(s, 'sameAs')) {
      const sq = qcodeParts(same);
      if (sq.code || sq.uri) subjects.push({ scheme: sq.scheme, code: sq.code, name: g2Name(same, language) ?? name, uri: sq.uri });
    }
  }
  for (const k of kids(contentMeta, 'keyword')) {
    const t = textOf(k);
    if (t) subjects.push({ scheme: 'keyword', name: t });
  }
  return { subjects: dedupeSubjects(subjects), places };
}

function parseG2Item(item: XmlNode, xpath: string): CanonicalStory {
  if (item.name !== 'newsItem' && item.name !== 'packageItem') {
    reject('unsupported_item_kind', xpath, `${item.name} is not supported: send newsItem or packageItem (conceptItem, planningItem and knowledgeItem carry no story)`);
  }
  const warnings: string[] = [];
  const guid = attr(item, 'guid');
  if (!guid) reject('schema_violation', `${xpath}/@guid`, `${item.name} must have a guid`);
  const itemMeta = kid(item, 'itemMeta');
  if (!itemMeta) reject('schema_violation', `${xpath}/itemMeta`, `${item.name} must have itemMeta (NewsML-G2 requires it)`);
  const contentMeta = kid(item, 'contentMeta');
  const contentSet = kid(item, 'contentSet');
  const headlines = kids(contentMeta, 'headline');
  // xml:lang is inherited: contentMeta/language first, then the item, contentMeta, headline, content.
  const declaredLang =
    attr(kid(contentMeta, 'language'), 'tag') ?? attr(item, 'lang') ?? attr(contentMeta, 'lang') ?? attr(headlines[0], 'lang') ?? attr(contentSet, 'lang');
  let language = languageOf(declaredLang);
  const v = intVersion(attr(item, 'version'));
  const isSub = (h: XmlNode) => /sub|hl2|deck|strap|kicker/i.test(attr(h, 'role') ?? '');
  const isMain = (h: XmlNode) => !attr(h, 'role') || /main|hl1|headline$/i.test(attr(h, 'role')!);
  const mains = headlines.filter(isMain);
  const mainHeadline = pickLang(mains.length ? mains : headlines.filter((h) => !isSub(h)), language) ?? headlines[0];
  const subHeadline = pickLang(headlines.filter((h) => h !== mainHeadline && isSub(h)), language);

  const { subjects, places } = g2Subjects(contentMeta, language);
  const located = kid(contentMeta, 'located');
  const locatedName = located ? g2Name(located, language) ?? attr(located, 'literal') : undefined;
  if (located) places.unshift({ name: locatedName, code: attr(located, 'qcode'), uri: attr(located, 'uri') });

  const pubStatusEl = kid(itemMeta, 'pubStatus');
  const pubStatus = pubStatusOf(pubStatusEl);
  if (pubStatusEl && !pubStatus) warnings.push(`pubStatus ${attr(pubStatusEl, 'qcode') ?? attr(pubStatusEl, 'uri') ?? ''} is not usable/withheld/canceled; ignored`);
  const embargoEl = kid(itemMeta, 'embargoed');
  const emb = embargoOf(embargoEl ? textOf(embargoEl) : undefined, warnings, 'embargoed');
  const links: Association[] = kids(itemMeta, 'link').map((l) => ({
    role: attr(l, 'rel') ?? attr(l, 'reluri'),
    uri: attr(l, 'residref'),
    href: attr(l, 'href'),
    mimetype: attr(l, 'contenttype'),
    headline: attr(l, 'title') ?? (textOf(kid(l, 'title')) || undefined),
  }));
  const signals = kids(itemMeta, 'signal').map((s) => attr(s, 'qcode') ?? attr(s, 'uri')).filter((s): s is string => !!s);
  const edNote = kids(itemMeta, 'edNote').map((e) => textOf(e)).filter(Boolean).join(' ');

  const content = g2Content(contentSet, xpath);
  let rendition = content.rendition;
  if (!language && rendition?.lang) language = languageOf(rendition.lang);
  const descriptions = kids(contentMeta, 'description');
  let associations = [...links, ...content.remote];
  let bodyXpath = content.bodyXpath;
  if (item.name === 'packageItem') {
    // A package links stories; it is stored as a text-less item whose associations are its refs.
    const refs: Association[] = descendants(kid(item, 'groupSet') ?? item, 'itemRef').map((c) => ({
      role: 'package-member',
      uri: attr(c, 'residref'),
      href: attr(c, 'href'),
      mimetype: attr(c, 'contenttype'),
      type: conceptCode(kid(c, 'itemClass')),
      headline: textOf(kid(c, 'title')) || textOf(kid(c, 'headline')) || undefined,
    }));
    associations = [...associations, ...refs];
    rendition = undefined;
  } else if (!rendition?.paragraphs.length && descriptions.length) {
    // Pictures, video and graphics: the caption/summary is the text.
    const d = descriptions.find((x) => /caption|summary|abstract/i.test(attr(x, 'role') ?? '') && textOf(x)) ?? pickLang(descriptions, language);
    if (d) {
      const paragraphs = textToParagraphs(d.children.filter((x): x is string => typeof x === 'string').join('') || textOf(d));
      rendition = { rank: 5, paragraphs, html: paragraphsToHtml(paragraphs), nitf: rendition?.nitf, xpath: `${xpath}/contentMeta/description[${descriptions.indexOf(d) + 1}]` };
      bodyXpath = rendition.xpath;
    }
  }
  if (item.name === 'newsItem' && !rendition?.paragraphs.length && content.remote.length) {
    warnings.push('the content is only by reference (remoteContent); it is linked, not fetched');
  }
  const nitf = rendition?.nitf;
  const creators = kids(contentMeta, 'creator').map((c) => g2Name(c, language) ?? attr(c, 'literal')).filter((n): n is string => !!n);
  const by = kids(contentMeta, 'by').map((b) => cleanByline(textOf(b))).filter(Boolean).join(', ');
  const urgency = Number(textOf(kid(contentMeta, 'urgency')));
  const title = textOf(pickLang(kids(itemMeta, 'title'), language));
  const headlineText = (mainHeadline ? textOf(mainHeadline) : '') || nitf?.headline || title;
  const expires = kids(itemMeta, 'expires').map((e) => expiryOf(textOf(e), warnings, 'expires')).find(Boolean);
  return finish(
    {
      format: 'newsml-g2',
      externalId: guid,
      version: v.version,
      versionLabel: v.label,
      versionCreated: timeOf(textOf(kid(itemMeta, 'versionCreated')), warnings, 'versionCreated'),
      firstCreated: timeOf(textOf(kid(itemMeta, 'firstCreated')), warnings, 'firstCreated'),
      pubStatus,
      itemType: conceptCode(kid(itemMeta, 'itemClass')) ?? (item.name === 'packageItem' ? 'composite' : undefined),
      headline: headlineText,
      subheadline: (subHeadline ? textOf(subHeadline) : undefined) || nitf?.subheadline,
      byline: by || nitf?.byline || (creators.length ? creators.join(', ') : undefined),
      dateline: textOf(pickLang(kids(contentMeta, 'dateline'), language)) || nitf?.dateline || locatedName,
      paragraphs: rendition?.paragraphs ?? [],
      bodyHtml: rendition?.html,
      language,
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects,
      places,
      embargo: emb.embargo,
      embargoUnreadable: emb.unreadable,
      expires,
      rights: g2Rights(item, language),
      associations: [...associations, ...(nitf?.media ?? [])],
      signals,
      editorNote: edNote || undefined,
      formatVersion: attr(item, 'standardversion'),
      warnings,
    },
    xpath,
    mainHeadline ? `${xpath}/contentMeta/headline` : `${bodyXpath}`,
    bodyXpath,
  );
}

const G2_ITEMS = new Set(['newsItem', 'packageItem', 'conceptItem', 'planningItem', 'knowledgeItem', 'catalogItem']);

function parseNewsMessage(msg: XmlNode, lenient: boolean): ItemsParsed {
  const sets = kids(msg, 'itemSet');
  if (sets.length === 0) reject('schema_violation', '/newsMessage/itemSet', 'a newsMessage must have an itemSet');
  // Every item of every itemSet, with its XPath; items keep their document position for lenient results.
  const all: Array<{ item: XmlNode; xpath: string }> = [];
  sets.forEach((set, si) => {
    const setPath = sets.length > 1 ? `/newsMessage/itemSet[${si + 1}]` : '/newsMessage/itemSet';
    const counters: Record<string, number> = {};
    for (const item of kids(set).filter((c) => G2_ITEMS.has(c.name))) {
      if (all.length >= LIMITS.items) reject('too_many_items', setPath, `max ${LIMITS.items} items per message`);
      counters[item.name] = (counters[item.name] ?? 0) + 1;
      all.push({ item, xpath: `${setPath}/${item.name}[${counters[item.name]}]` });
    }
  });
  if (all.length === 0) reject('missing_field', '/newsMessage/itemSet', 'the news message carries no items');
  const skipped: string[] = [];
  const parsed = eachItem(all, lenient, ({ item, xpath }) => {
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

// ---------------------------------------------------------------- NewsML 1.x

/*
 * NewsML 1.0-1.2 (IPTC, 2000-2003): NewsML > NewsEnvelope? > NewsItem+, one story per NewsItem.
 * A NewsItem's content is a NewsComponent tree; the story's text is one inline ContentItem
 * (NITF, XHTML or plain text in DataContent) chosen by the component's Role, its lines come from
 * NewsLines, and components holding referenced files (ContentItem Href) are its associations.
 */

function formal(n: XmlNode | undefined): string | undefined {
  return attr(n, 'FormalName');
}

const N1_STATUS: Record<string, PubStatus> = { usable: 'usable', embargoed: 'usable', canceled: 'canceled', cancelled: 'canceled', withheld: 'withheld' };
/** Roles whose text is the story itself, best first; other text components (contacts, captions, stylesheets) are not the body. */
const N1_BODY_ROLES = ['main', 'body', 'main text', 'maintext', 'text', 'story', 'article'];
const N1_NOT_BODY_ROLES = new Set(['headline', 'subheadline', 'contact', 'stylesheet', 'caption', 'byline', 'dateline', 'logo', 'slugline', 'keywordline', 'abstract', 'summary', 'note', 'editorialnote']);
const N1_MEDIA_TYPES: Record<string, string> = { photo: 'picture', picture: 'picture', image: 'picture', graphic: 'graphic', video: 'video', audio: 'audio', text: 'text' };

interface N1Component {
  node: XmlNode;
  xpath: string;
  role?: string;
  depth: number;
}

/** Every NewsComponent under the item, breadth first (the story's own lines sit above captions of its pictures). */
function n1Components(item: XmlNode, itemXpath: string): N1Component[] {
  const out: N1Component[] = [];
  const queue: N1Component[] = kids(item, 'NewsComponent').map((c, i, all) => ({ node: c, xpath: `${itemXpath}/NewsComponent${all.length > 1 ? `[${i + 1}]` : ''}`, role: formal(kid(c, 'Role')), depth: 0 }));
  while (queue.length) {
    const c = queue.shift()!;
    out.push(c);
    const subs = kids(c.node, 'NewsComponent');
    subs.forEach((s, i) => queue.push({ node: s, xpath: `${c.xpath}/NewsComponent${subs.length > 1 ? `[${i + 1}]` : ''}`, role: formal(kid(s, 'Role')), depth: c.depth + 1 }));
  }
  return out;
}

/** The DataContent of a ContentItem, directly or inside Encoding (NewsML 1.x allows both). */
function n1DataContent(ci: XmlNode): { data?: XmlNode; notation?: string } {
  const direct = kid(ci, 'DataContent');
  if (direct) return { data: direct };
  const enc = kid(ci, 'Encoding');
  return { data: kid(enc, 'DataContent'), notation: attr(enc, 'Notation') };
}

/** An inline ContentItem as text, or undefined when it holds none (a remote file, CSS, binary data). */
function n1Text(ci: XmlNode, xpath: string, warnings: string[]): Rendition | undefined {
  if (attr(ci, 'Href')) return undefined;
  const media = formal(kid(ci, 'MediaType'))?.toLowerCase();
  if (media && media !== 'text') return undefined;
  const mime = (formal(kid(ci, 'MimeType')) ?? '').toLowerCase();
  const format = (formal(kid(ci, 'Format')) ?? '').toLowerCase();
  if (/css|javascript|json/.test(mime) || format === 'css') return undefined;
  const { data, notation } = n1DataContent(ci);
  if (!data) return undefined;
  const dataXpath = `${xpath}/${notation === undefined ? '' : 'Encoding/'}DataContent`;
  const root = kids(data)[0];
  if (root?.name === 'nitf') {
    const nb = nitfBody(root);
    return nb.paragraphs.length || nb.headline ? { rank: 0, html: nb.html, paragraphs: nb.paragraphs, nitf: nb, lang: nb.lang, xpath: dataXpath } : undefined;
  }
  if (root) {
    const html = kids(data).length > 1 ? kids(data).map((x) => toHtml(x, { html: '', body: '', head: '' })).join('') : toHtml(root.name === 'html' ? kid(root, 'body') ?? root : root, { html: '', body: '', head: '' });
    const b = bodyFromHtml(html);
    return b.paragraphs.length ? { rank: 1, ...b, lang: attr(root, 'lang'), xpath: dataXpath } : undefined;
  }
  let raw = data.children.filter((x): x is string => typeof x === 'string').join('');
  if (notation && /base64/i.test(notation)) raw = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (notation && !/^(none|identity|text)$/i.test(notation)) {
    warnings.push(`${dataXpath}: encoding ${notation.slice(0, 30)} is not supported; the content was skipped`);
    return undefined;
  }
  if (/html/.test(mime) || format.includes('html')) {
    const b = bodyFromHtml(raw);
    return b.paragraphs.length ? { rank: 2, ...b, xpath: dataXpath } : undefined;
  }
  const paragraphs = textToParagraphs(raw);
  return paragraphs.length ? { rank: 3, html: paragraphsToHtml(paragraphs), paragraphs, xpath: dataXpath } : undefined;
}

/** `ImageUse` and other ContentItem characteristics (`Property FormalName=... Value=...`). */
function n1Characteristic(ci: XmlNode, name: string): string | undefined {
  return attr(kids(kid(ci, 'Characteristics'), 'Property').find((p) => formal(p)?.toLowerCase() === name.toLowerCase()), 'Value');
}

/** A component of referenced files as one association: the rendition for viewing when there are several. */
function n1Association(c: N1Component): Association | undefined {
  // Text by reference is not an attachment: it would be the story, and nothing is fetched at intake.
  const refs = kids(c.node, 'ContentItem').filter((ci) => attr(ci, 'Href') && formal(kid(ci, 'MediaType'))?.toLowerCase() !== 'text');
  if (refs.length === 0) return undefined;
  const role = c.role?.toLowerCase();
  const declared = formal(kid(refs[0], 'MediaType'))?.toLowerCase();
  const mimeOf = (ci: XmlNode) => formal(kid(ci, 'MimeType'))?.toLowerCase();
  const type =
    (declared && N1_MEDIA_TYPES[declared]) ??
    (role === 'logo' ? 'graphic' : role && N1_MEDIA_TYPES[role]) ??
    (mimeOf(refs[0]!)?.startsWith('image/') ? 'picture' : mimeOf(refs[0]!)?.split('/')[0]);
  const family = type === 'picture' || type === 'graphic' ? 'image/' : type ? `${type}/` : '';
  const ofType = refs.filter((ci) => !family || (mimeOf(ci) ?? '').startsWith(family) || (declared !== undefined && formal(kid(ci, 'MediaType'))?.toLowerCase() === declared));
  const pool = ofType.length ? ofType : refs;
  // The screen-size picture (Business Wire's ImageUse=Viewimage), else the most widely playable video.
  const best = pool.find((ci) => /^view/i.test(n1Characteristic(ci, 'ImageUse') ?? '')) ?? pool.find((ci) => mimeOf(ci) === 'video/mp4') ?? pool[0]!;
  return {
    role: role ?? 'media',
    type,
    href: attr(best, 'Href'),
    mimetype: mimeOf(best),
    headline: textOf(kid(c.node, 'NewsLines', 'HeadLine')) || undefined,
  };
}

function n1Line(comps: N1Component[], name: string): string | undefined {
  for (const c of comps) {
    const t = kids(kid(c.node, 'NewsLines'), name).map((l) => textOf(l)).filter(Boolean);
    if (t.length) return t.join(name === 'KeywordLine' ? ', ' : ' ');
  }
  return undefined;
}

function n1Subjects(comps: N1Component[]): Subject[] {
  const out: Subject[] = [];
  for (const c of comps) {
    const dm = kid(c.node, 'DescriptiveMetadata');
    for (const sc of kids(dm, 'SubjectCode')) {
      for (const s of kids(sc).filter((x) => x.name === 'Subject' || x.name === 'SubjectMatter' || x.name === 'SubjectDetail')) {
        const code = formal(s);
        if (!code) continue;
        const scheme = attr(s, 'Scheme');
        // IPTC Subject Codes are 8 digits whatever the catalog alias; other schemes keep their name.
        out.push(/^\d{8}$/.test(code) && (!scheme || /iptc|subject/i.test(scheme)) ? { scheme: 'subj', code } : { scheme: scheme ?? 'newsml', code });
      }
    }
    for (const g of kids(dm, 'Genre')) if (formal(g)) out.push({ scheme: 'genre', name: formal(g) });
    for (const k of kids(kid(c.node, 'NewsLines'), 'KeywordLine')) if (textOf(k)) out.push({ scheme: 'keyword', name: textOf(k) });
    // Provider keyword lists (Business Wire's BWKeywords) as Metadata properties.
    for (const m of kids(c.node, 'Metadata')) {
      if (!/keyword/i.test(formal(kid(m, 'MetadataType')) ?? '')) continue;
      for (const p of kids(m, 'Property')) if (attr(p, 'Value')) out.push({ scheme: 'keyword', name: attr(p, 'Value') });
    }
  }
  return dedupeSubjects(out);
}

function n1Places(comps: N1Component[]): Place[] {
  const out: Place[] = [];
  for (const c of comps) {
    for (const l of kids(kid(c.node, 'DescriptiveMetadata'), 'Location')) {
      const props = kids(l, 'Property');
      const by = (re: RegExp) => props.filter((p) => re.test(formal(p) ?? '')).map((p) => attr(p, 'Value')).filter(Boolean);
      const parts = [...by(/^city$/i), ...by(/^(countryarea|region|state)$/i), ...by(/^country$/i)];
      const name = (parts.length ? parts : props.map((p) => attr(p, 'Value')).filter(Boolean)).join(', ') || formal(l);
      if (name) out.push({ name });
    }
  }
  return out;
}

function n1Rights(comps: N1Component[], copyrightLine: string | undefined): Rights | undefined {
  let holder: string | undefined;
  let date: string | undefined;
  let usage: string | undefined;
  for (const c of comps) {
    const rm = kid(c.node, 'RightsMetadata');
    if (!rm) continue;
    const cr = kid(rm, 'Copyright');
    holder ??= textOf(kid(cr, 'CopyrightHolder')) || undefined;
    date ??= textOf(kid(cr, 'CopyrightDate')) || undefined;
    const ur = kid(rm, 'UsageRights');
    usage ??= [textOf(kid(ur, 'UsageType')), textOf(kid(ur, 'Geography')), textOf(kid(ur, 'Limitations'))].filter(Boolean).join('; ') || undefined;
  }
  const rights: Rights = { copyrightHolder: holder, copyrightNotice: copyrightLine ?? (holder ? `© ${date ? `${date} ` : ''}${holder}` : undefined), usageTerms: usage };
  return Object.values(rights).some(Boolean) ? rights : undefined;
}

/** PublicIdentifier less its `:RevisionId[Update]` tail, so every revision of an item shares one id. */
function n1Uri(ident: XmlNode | undefined, revision: string | undefined): string | undefined {
  const pub = textOf(kid(ident, 'PublicIdentifier'));
  if (pub) {
    const parts = pub.split(':');
    const last = parts[parts.length - 1] ?? '';
    const isRevision = parts.length > 5 && (revision ? new RegExp(`^${revision}[NAU]?$`, 'i').test(last) : /^\d+[NAU]?$/i.test(last));
    return isRevision ? parts.slice(0, -1).join(':') : pub;
  }
  const provider = textOf(kid(ident, 'ProviderId'));
  const item = textOf(kid(ident, 'NewsItemId'));
  return provider && item ? `urn:newsml:${provider}:${textOf(kid(ident, 'DateId'))}:${item}` : undefined;
}

function parseNewsML1Item(item: XmlNode, xpath: string, formatVersion: string | undefined): CanonicalStory {
  const warnings: string[] = [];
  const ident = kid(item, 'Identification', 'NewsIdentifier');
  if (!ident) reject('missing_field', `${xpath}/Identification/NewsIdentifier`, 'a NewsItem must have Identification/NewsIdentifier');
  const revisionEl = kid(ident, 'RevisionId');
  const revision = textOf(revisionEl) || undefined;
  const externalId = n1Uri(ident, revision);
  if (!externalId) reject('missing_field', `${xpath}/Identification/NewsIdentifier/PublicIdentifier`, 'the NewsItem has neither a PublicIdentifier nor ProviderId and NewsItemId');
  const mgmt = kid(item, 'NewsManagement');
  const statusName = (formal(kid(mgmt, 'Status')) ?? 'Usable').toLowerCase();
  const pubStatus = N1_STATUS[statusName];
  if (!pubStatus) reject('unsupported_value', `${xpath}/NewsManagement/Status/@FormalName`, `status ${statusName.slice(0, 30)} is not one of Usable, Embargoed, Withheld, Canceled`);
  // An embargoed item turns usable when StatusWillChange says; without a time it is held.
  const willChange = kid(mgmt, 'StatusWillChange');
  const emb = statusName === 'embargoed' ? embargoOf(textOf(kid(willChange, 'DateAndTime')), warnings, 'StatusWillChange/DateAndTime') : {};
  const urgency = Number(formal(kid(mgmt, 'Urgency')));
  const comps = n1Components(item, xpath);
  if (comps.length === 0 && pubStatus !== 'canceled') {
    const kind = kids(item).find((k) => k.name === 'Update' || k.name === 'TopicSet')?.name;
    reject(kind ? 'unsupported_item_kind' : 'missing_field', `${xpath}/${kind ?? 'NewsComponent'}`, kind ? `a NewsItem carrying ${kind} instead of a NewsComponent is not supported` : 'a NewsItem must have a NewsComponent');
  }
  // The body: a component whose Role names the story text, else the first inline text not in a known non-body role.
  const texts: Array<{ comp: N1Component; r: Rendition }> = [];
  for (const c of comps) {
    kids(c.node, 'ContentItem').forEach((ci, i, all) => {
      const r = n1Text(ci, `${c.xpath}/ContentItem${all.length > 1 ? `[${i + 1}]` : ''}`, warnings);
      if (r) texts.push({ comp: c, r });
    });
  }
  const roleRank = (c: N1Component) => {
    const i = N1_BODY_ROLES.indexOf(c.role?.toLowerCase() ?? '');
    return i >= 0 ? i : c.role && N1_NOT_BODY_ROLES.has(c.role.toLowerCase()) ? 99 : N1_BODY_ROLES.length;
  };
  const main = texts
    .map((t, order) => ({ ...t, order }))
    .filter((t) => roleRank(t.comp) < 99)
    .sort((a, b) => roleRank(a.comp) - roleRank(b.comp) || a.r.rank - b.r.rank || a.order - b.order)[0];
  const byRole = (role: string) => texts.find((t) => t.comp.role?.toLowerCase() === role)?.r.paragraphs.join(' ');
  const storyComps = comps.filter((c) => !kids(c.node, 'ContentItem').some((ci) => attr(ci, 'Href')));
  const associations = comps.map(n1Association).filter((a): a is Association => !!a);
  for (const c of comps) {
    for (const ref of kids(c.node, 'NewsItemRef')) if (attr(ref, 'NewsItem')) associations.push({ role: 'related', href: attr(ref, 'NewsItem') });
  }
  const hasRemoteText = comps.some((c) => kids(c.node, 'ContentItem').some((ci) => attr(ci, 'Href') && formal(kid(ci, 'MediaType'))?.toLowerCase() === 'text'));
  if (!main && !associations.length && pubStatus !== 'canceled') {
    reject(
      hasRemoteText ? 'unsupported_content' : 'missing_field',
      comps[0] ? `${comps[0].xpath}/ContentItem` : `${xpath}/NewsComponent`,
      hasRemoteText ? 'the text is only referenced (ContentItem Href): send it inline in DataContent' : 'the NewsItem has no inline text content (NITF, XHTML or text in DataContent)',
    );
  }
  const nitf = main?.r.nitf;
  const copyrightLine = n1Line(storyComps, 'CopyrightLine');
  const language = languageOf(main?.r.lang) ?? languageOf(formal(kid(main?.comp.node, 'DescriptiveMetadata', 'Language'))) ?? languageOf(comps.map((c) => formal(kid(c.node, 'DescriptiveMetadata', 'Language'))).find(Boolean));
  const headline = n1Line(storyComps, 'HeadLine') ?? nitf?.headline ?? byRole('headline');
  const headlineComp = storyComps.find((c) => kid(c.node, 'NewsLines', 'HeadLine'));
  const headlineXpath = headlineComp ? `${headlineComp.xpath}/NewsLines/HeadLine` : `${comps[0]?.xpath ?? `${xpath}/NewsComponent`}/NewsLines/HeadLine`;
  if (main && !headline?.trim() && pubStatus !== 'canceled') reject('missing_field', headlineXpath, 'a text item needs a HeadLine (NewsLines) or a headline in its NITF');
  const firstAssocType = associations.find((a) => a.role !== 'related')?.type;
  const v = intVersion(revision);
  return finish(
    {
      format: 'newsml1',
      externalId,
      version: v.version,
      versionLabel: v.label,
      versionCreated: timeOf(textOf(kid(mgmt, 'ThisRevisionCreated')) || undefined, warnings, 'ThisRevisionCreated'),
      firstCreated: timeOf(textOf(kid(mgmt, 'FirstCreated')) || undefined, warnings, 'FirstCreated'),
      pubStatus,
      itemType: main ? 'text' : firstAssocType ?? 'text',
      headline,
      subheadline: n1Line(storyComps, 'SubHeadLine') ?? nitf?.subheadline ?? byRole('subheadline'),
      byline: cleanByline(n1Line(storyComps, 'ByLine')) ?? nitf?.byline,
      dateline: n1Line(storyComps, 'DateLine') ?? nitf?.dateline,
      paragraphs: main?.r.paragraphs ?? [],
      bodyHtml: main?.r.html,
      language,
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects: n1Subjects(storyComps),
      places: n1Places(storyComps),
      embargo: emb.embargo,
      embargoUnreadable: emb.unreadable,
      rights: n1Rights(storyComps, copyrightLine),
      associations: [...associations, ...(nitf?.media ?? [])],
      formatVersion,
      warnings,
    },
    xpath,
    headlineXpath,
    main?.r.xpath ?? `${xpath}/NewsComponent/ContentItem/DataContent`,
  );
}

function parseNewsML1(root: XmlNode, lenient: boolean): ItemsParsed {
  const items = kids(root, 'NewsItem');
  if (items.length === 0) reject('missing_field', '/NewsML/NewsItem', 'a NewsML document must carry at least one NewsItem');
  if (items.length > LIMITS.items) reject('too_many_items', '/NewsML/NewsItem', `max ${LIMITS.items} items per document`);
  const version = attr(root, 'Version');
  if (version && !/^1(\.\d+)?$/.test(version)) reject('unsupported_document', '/NewsML/@Version', `NewsML version ${version.slice(0, 10)} is not supported: NewsML 1.0-1.2 only (send NewsML-G2 as newsItem/newsMessage)`);
  return eachItem(items, lenient, (item, i) => parseNewsML1Item(item, `/NewsML/NewsItem[${i + 1}]`, version ?? '1'));
}

// ---------------------------------------------------------------- RSS / Atom

function feedVersion(updated: string | undefined): number | undefined {
  // Feeds carry no version: an item edited later gets a later timestamp, hence a higher version.
  if (!updated) return undefined;
  const minutes = Math.floor(Date.parse(updated) / 60_000) - 26_000_000; // minutes since ~2019-06: fits int, grows
  return minutes >= 1 ? minutes : 1;
}

/** Text children verbatim (RSS escapes HTML inside description; CDATA arrives as text too). */
function rawText(n: XmlNode): string {
  return n.children.map((c) => (typeof c === 'string' ? c : toHtml(c))).join('');
}

function decodeTitle(n: XmlNode | undefined): string {
  if (!n) return '';
  const t = rawText(n);
  return /<[a-z]/i.test(t) || /&[#a-z0-9]+;/i.test(t) ? htmlToParagraphs(t).join(' ') : t.replace(/\s+/g, ' ').trim();
}

/** `jane@example.com (Jane Doe)` -> `Jane Doe`; a bare address stays as sent. */
function rssAuthor(s: string): string {
  return /^\S+@\S+\s*\((.+)\)$/.exec(s)?.[1]?.trim() ?? s;
}

/** Media RSS (`media:content`, also inside `media:group`) and `media:thumbnail` as associations. */
function mediaRss(n: XmlNode, base: string | undefined): Association[] {
  const out: Association[] = [];
  const visit = (x: XmlNode) => {
    for (const m of kids(x)) {
      if (m.prefix !== 'media') continue;
      if (m.name === 'group') visit(m);
      else if (m.name === 'content' || m.name === 'thumbnail') {
        const href = resolveUrl(attr(m, 'url'), base);
        if (!href) continue;
        out.push({
          role: m.name === 'thumbnail' ? 'thumbnail' : 'media',
          href,
          mimetype: attr(m, 'type'),
          type: attr(m, 'medium'),
          headline: textOf(kid(m, 'title')) || textOf(kid(m, 'description')) || textOf(kid(x, 'title')) || undefined,
        });
      }
    }
  };
  visit(n);
  return out;
}

function feedCategory(term: string | undefined, scheme: string | undefined, label?: string): Subject {
  // IPTC codes by URI (in the term, or scheme + term) become medtop/subj QCodes, so routing matches them.
  const full = term && /^https?:\/\//i.test(term) ? term : scheme && term && /^https?:\/\//i.test(scheme) ? `${scheme.replace(/\/?$/, '/')}${term}` : undefined;
  const known = full ? schemeFromUri(full) : undefined;
  if (known) return { scheme: known.scheme, code: known.code, name: label, uri: full };
  return { scheme, code: label ? term : undefined, name: label ?? term };
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

function parseAtom(feed: XmlNode, lenient: boolean): ItemsParsed {
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

// ---------------------------------------------------------------- dispatch

/** `lenient`: a bad item of a multi-item document (feed, news message) is reported in `rejected`, not thrown. */
export function parseXmlStories(text: string, opts: { lenient?: boolean } = {}): ParsedDocument {
  const lenient = opts.lenient ?? false;
  const root = parseXml(text);
  // The G2 namespace may be the default one or bound to any prefix (`<g2:newsItem xmlns:g2=...>`).
  const ns = root.attrs[root.prefix ? `xmlns:${root.prefix}` : 'xmlns']?.trim();
  switch (root.name) {
    case 'newsItem':
    case 'packageItem':
      if (ns && !G2_NS.test(ns)) reject('schema_violation', `/${root.name}`, `${root.name} must be in the NewsML-G2 namespace http://iptc.org/std/nar/2006-10-01/`);
      return { format: 'newsml-g2', stories: [parseG2Item(root, `/${root.name}`)] };
    case 'newsMessage':
      return { format: 'newsml-g2', ...parseNewsMessage(root, lenient) };
    case 'conceptItem':
    case 'planningItem':
    case 'knowledgeItem':
    case 'catalogItem':
      return reject('unsupported_item_kind', `/${root.name}`, `${root.name} is not supported: send newsItem, packageItem or newsMessage`);
    case 'NewsML':
      return { format: 'newsml1', ...parseNewsML1(root, lenient) };
    case 'nitf':
      return { format: 'nitf', stories: [parseNitf(root)] };
    case 'rss':
    case 'RDF':
      return { format: 'rss', ...parseRss(root, lenient) };
    case 'feed':
      return { format: 'atom', ...parseAtom(root, lenient) };
    case 'groupSet':
    case 'contentSet':
    case 'contentMeta':
    case 'itemMeta':
    case 'itemSet':
      return reject(
        'unsupported_document',
        `/${root.name}`,
        `<${root.name}> is a fragment of a NewsML-G2 item, not an item: send it inside a ${root.name === 'groupSet' ? 'packageItem' : root.name === 'itemSet' ? 'newsMessage' : 'newsItem'} with a guid and itemMeta`,
      );
    default:
      return reject(
        'unsupported_document',
        `/${root.prefix ? `${root.prefix}:` : ''}${root.name}`,
        `<${root.name.slice(0, 40)}> is not a supported root: NewsML-G2 newsItem/packageItem/newsMessage, NewsML 1.x, NITF, RSS or Atom`,
      );
  }
}
