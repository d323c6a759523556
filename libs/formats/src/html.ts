/**
 * Bodies with markup: one allowlist for the HTML kept in the canonical story (channels sanitise
 * again at output, per channel), and the HTML -> paragraphs conversion the pipeline reads.
 * Dates: every format's timestamps go through `isoInstant`, which accepts only instants that say
 * their offset, because a local time read in the server's zone would move embargoes.
 */
import { decode } from 'html-entities';
import sanitizeHtml from 'sanitize-html';

const BODY_ALLOWLIST: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'blockquote', 'q', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'pre', 'code', 'figure', 'figcaption', 'hr', 'span', 'abbr', 'cite'],
  allowedAttributes: { a: ['href', 'title'], abbr: ['title'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Unknown wrappers (NITF <block>, XHTML <section>) keep their text; scripts and styles lose theirs.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head'],
};

export function sanitizeBodyHtml(html: string): string {
  // Pretty-printed XML leaves indentation between blocks and whitespace-only paragraphs: neither is text.
  return sanitizeHtml(html, BODY_ALLOWLIST)
    .replace(/<p>(?:\s|&nbsp;|<br\s*\/?>)*<\/p>/g, '')
    .replace(/(<\/(?:p|h[1-6]|blockquote|ul|ol|li|table|tr|pre|figure|div)>|<(?:blockquote|ul|ol|table|tr|figure)>)\s*\n\s*/g, '$1')
    .trim();
}

/** HTML body -> plain paragraphs: block boundaries become paragraph breaks, every tag is dropped. */
export function htmlToParagraphs(html: string): string[] {
  const marked = html
    .replace(/<\s*(\/p|br\s*\/?|\/div|\/h[1-6]|\/li|\/blockquote|\/tr|\/pre|\/figcaption|hr\s*\/?)\s*>/gi, '$&\n\n')
    .replace(/<\s*\/t[dh]\s*>/gi, '$& ');
  const text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {}, nonTextTags: BODY_ALLOWLIST.nonTextTags });
  return decode(text)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Plain text body -> paragraphs: blank lines separate paragraphs, or single newlines when there are none. */
export function textToParagraphs(text: string): string[] {
  const t = text.replace(/\r\n?/g, '\n');
  const blocks = /\n\s*\n/.test(t) ? t.split(/\n\s*\n/) : t.split('\n');
  return blocks.map((b) => b.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Paragraphs -> minimal HTML, so every story has a body_html. */
export function paragraphsToHtml(paragraphs: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return paragraphs.map((p) => `<p>${esc(p)}</p>`).join('');
}

const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 instant with an explicit offset -> normalised UTC ISO string; anything else -> undefined. */
export function isoInstant(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (!INSTANT.test(s)) return undefined;
  const t = Date.parse(s.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A calendar date (YYYY-MM-DD) that exists, else undefined. */
export function isoDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(raw.trim());
  if (!m?.[1]) return undefined;
  const t = Date.parse(`${m[1]}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== m[1] ? undefined : m[1];
}

/** Known vocabulary URIs -> the QCode scheme alias partners use (medtop:04000000). */
const SCHEME_URIS: Array<[RegExp, string]> = [
  [/^https?:\/\/cv\.iptc\.org\/newscodes\/mediatopic\/([^/?#]+)/i, 'medtop'],
  [/^https?:\/\/cv\.iptc\.org\/newscodes\/subjectcode\/([^/?#]+)/i, 'subj'],
  [/^https?:\/\/cv\.iptc\.org\/newscodes\/genre\/([^/?#]+)/i, 'genre'],
  [/^https?:\/\/cv\.iptc\.org\/newscodes\/([a-z]+)\/([^/?#]+)/i, ''],
];

export function schemeFromUri(uri: string): { scheme: string; code: string } | undefined {
  for (const [re, scheme] of SCHEME_URIS) {
    const m = re.exec(uri);
    if (m) return scheme ? { scheme, code: m[1]! } : { scheme: m[1]!, code: m[2]! };
  }
  return undefined;
}

/** `medtop:04000000` -> { scheme: 'medtop', code: '04000000' }. */
export function splitQcode(qcode: string): { scheme?: string; code: string } {
  const i = qcode.indexOf(':');
  return i > 0 ? { scheme: qcode.slice(0, i), code: qcode.slice(i + 1) } : { code: qcode };
}
