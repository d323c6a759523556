/**
 * What RSS items and Atom entries share: a version from their timestamps, text children read
 * verbatim, Media RSS attachments and categories (IPTC codes by URI become QCodes).
 */
import type { Association, Subject } from './canonical';
import { schemeFromUri } from './html';
import { type XmlNode, attr, kid, kids, textOf, toHtml } from './xml-safe';
import { resolveUrl } from './xml-story';

export function feedVersion(updated: string | undefined): number | undefined {
  // Feeds carry no version: an item edited later gets a later timestamp, hence a higher version.
  if (!updated) return undefined;
  const minutes = Math.floor(Date.parse(updated) / 60_000) - 26_000_000; // minutes since ~2019-06: fits int, grows
  return minutes >= 1 ? minutes : 1;
}

/** Text children verbatim (RSS escapes HTML inside description; CDATA arrives as text too). */
export function rawText(n: XmlNode): string {
  return n.children.map((c) => (typeof c === 'string' ? c : toHtml(c))).join('');
}

/** Media RSS (`media:content`, also inside `media:group`) and `media:thumbnail` as associations. */
export function mediaRss(n: XmlNode, base: string | undefined): Association[] {
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

export function feedCategory(term: string | undefined, scheme: string | undefined, label?: string): Subject {
  // IPTC codes by URI (in the term, or scheme + term) become medtop/subj QCodes, so routing matches them.
  const full = term && /^https?:\/\//i.test(term) ? term : scheme && term && /^https?:\/\//i.test(scheme) ? `${scheme.replace(/\/?$/, '/')}${term}` : undefined;
  const known = full ? schemeFromUri(full) : undefined;
  if (known) return { scheme: known.scheme, code: known.code, name: label, uri: full };
  return { scheme, code: label ? term : undefined, name: label ?? term };
}
