/**
 * What the XML format parsers share: items of multi-item documents (lenient handling), versions,
 * dates and embargoes as the standards write them, links resolved against a base, HTML bodies,
 * and the final field checks that turn a parsed item into a canonical story.
 */
import { type Association, type CanonicalStory, FormatError, type Subject, checkBody, checkHeadline, languageOf } from './canonical';
import { htmlToParagraphs, isoDate, isoInstant, sanitizeBodyHtml } from './html';
import { type XmlNode, attr, kids, textOf } from './xml-safe';

export function reject(code: string, xpath: string, message: string, status: 400 | 415 | 422 = 422): never {
  throw new FormatError(status, code, xpath, message);
}

/** Stories of a multi-item document; in lenient mode a bad item is set aside instead of failing the rest. */
export interface ItemsParsed {
  stories: CanonicalStory[];
  /** The document position of each story (its index among the document's items). */
  positions: number[];
  rejected: Array<{ index: number; error: FormatError }>;
}

export function eachItem<T>(items: readonly T[], lenient: boolean, parse: (item: T, index: number) => CanonicalStory | undefined): ItemsParsed {
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

export function intVersion(raw: string | undefined): { version?: number; label?: string } {
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
export function dateOnly(raw: string | undefined): string | undefined {
  const s = raw?.trim() ?? '';
  const basic = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return isoDate(basic ? `${basic[1]}-${basic[2]}-${basic[3]}` : /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : '');
}

/**
 * Embargo as sent -> instant, or `unreadable` (the story is then held until a later version says
 * when). A bare date lifts when that date has begun everywhere (00:00 at UTC-12 = 12:00Z), so
 * nothing is published early in any zone.
 */
export function embargoOf(raw: string | undefined, warnings: string[], label: string): { embargo?: string; unreadable?: string } {
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
export function expiryOf(raw: string | undefined, warnings: string[], label: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const at = instant(raw);
  if (at) return at;
  const day = dateOnly(raw);
  if (day) return `${day}T23:59:59.000Z`;
  warnings.push(`${label} "${raw.trim().slice(0, 40)}" is not an instant with an offset; ignored`);
  return undefined;
}

export function timeOf(raw: string | undefined, warnings: string[], label: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const at = instant(raw);
  if (!at) warnings.push(`${label} "${raw.trim().slice(0, 40)}" is not an instant with an offset; ignored`);
  return at;
}

/** A relative reference resolved against a base; undefined when there is no usable absolute result. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return base ? undefined : href;
  }
}

/** Relative `href`s in sanitised HTML made absolute (feeds and Atom xml:base), so channels never publish broken links. */
export function absolutizeLinks(html: string, base: string | undefined): string {
  if (!base) return html;
  return html.replace(/(<a\b[^>]*?\shref=")([^"]*)(")/g, (whole, pre: string, href: string, post: string) => {
    const raw = href.replace(/&amp;/g, '&');
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return whole;
    const abs = resolveUrl(raw, base);
    return abs && /^https?:/i.test(abs) ? `${pre}${abs.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}${post}` : whole;
  });
}

export function bodyFromHtml(html: string, base?: string): { html: string; paragraphs: string[] } {
  let clean = absolutizeLinks(sanitizeBodyHtml(html), base);
  // Feeds often send text (with inline markup at most) where HTML is allowed: blank lines are its paragraphs.
  if (clean && !/<(?:p|div|h[1-6]|ul|ol|table|blockquote|pre|figure)\b/i.test(clean)) {
    clean = clean.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean).map((b) => `<p>${b}</p>`).join('');
  }
  return { html: clean, paragraphs: htmlToParagraphs(clean) };
}

export function finish(story: Omit<CanonicalStory, 'headline' | 'paragraphs'> & { headline?: string; paragraphs?: string[] }, xpath: string, headlineXpath: string, bodyXpath: string): CanonicalStory {
  const headline = story.headline ? checkHeadline(story.headline, headlineXpath) : '';
  const paragraphs = story.paragraphs?.length ? checkBody(story.paragraphs, bodyXpath) : [];
  if (story.externalId && story.externalId.length > 512) reject('too_long', `${xpath}`, 'the item id is longer than 512 characters');
  const out: CanonicalStory = { ...story, headline, paragraphs, bodyHtml: paragraphs.length ? story.bodyHtml : undefined };
  if (!out.warnings?.length) delete out.warnings;
  if (!out.signals?.length) delete out.signals;
  return out;
}

/** The element and its descendants, depth first. */
export function descendants(n: XmlNode | undefined, name: string): XmlNode[] {
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
export function without(n: XmlNode, names: Set<string>): XmlNode {
  return { ...n, children: n.children.filter((c) => typeof c === 'string' || !names.has(c.name)).map((c) => (typeof c === 'string' ? c : without(c, names))) };
}

/** First non-empty text among the nodes, preferring one whose xml:lang matches. */
export function pickLang(nodes: XmlNode[], language: string | undefined): XmlNode | undefined {
  return nodes.find((x) => language && languageOf(attr(x, 'lang')) === language && textOf(x)) ?? nodes.find((x) => textOf(x));
}

export function dedupeSubjects(list: Subject[]): Subject[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = `${s.scheme ?? ''}|${s.code ?? ''}|${s.uri ?? ''}|${s.code || s.uri ? '' : s.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface NitfBody {
  headline?: string;
  subheadline?: string;
  byline?: string;
  dateline?: string;
  html?: string;
  paragraphs: string[];
  media: Association[];
  lang?: string;
}

export type Rendition = { rank: number; html?: string; paragraphs: string[]; nitf?: NitfBody; lang?: string; xpath: string };
