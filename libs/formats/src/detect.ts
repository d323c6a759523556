/**
 * One entry point for every input format: the media type decides when it names a format, the
 * body's first bytes decide when it does not (application/octet-stream, no Content-Type). A
 * document yields one or more canonical stories (a NewsML-G2 news message, a NewsML 1.x document,
 * an RSS channel and a ninjs collection carry several); the caller stores them together or not at all.
 */
import { FormatError, type ParsedDocument } from './canonical';
import { parseNinjsDocument } from './ninjs';
import { parsePlainText } from './plain-text';
import { parseStrictJson } from './strict-json';
import { parseXmlStories } from './xml-formats';

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** `application/ninjs+json; version=1.1; charset=utf-8` -> { type, params } (names lower-cased). */
export function parseMediaType(header: string | undefined): MediaType {
  const [type = '', ...rest] = (header ?? '').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name) params[name] = value;
  }
  return { type: type.trim().toLowerCase(), params };
}

const JSON_TYPES = new Set(['application/json', 'application/ninjs+json', 'text/json']);
const TEXT_TYPES = new Set(['text/plain']);
const XML_TYPES = new Set([
  'application/xml',
  'text/xml',
  'application/vnd.iptc.g2.newsitem+xml',
  'application/vnd.iptc.g2.newsmessage+xml',
  'application/vnd.iptc.g2.packageitem+xml',
  'application/nitf+xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
]);
const SNIFF_TYPES = new Set(['', 'application/octet-stream']);

export const SUPPORTED_MEDIA_TYPES = [...TEXT_TYPES, ...JSON_TYPES, ...XML_TYPES];

export interface ParseOptions {
  /** ninjs schema version in force when the media type does not declare one (the partner's). */
  ninjsVersion?: string;
  /**
   * A bad item of a multi-item XML document (RSS/Atom feed, NewsML-G2 news message,
   * NewsML 1.x document with several NewsItems) is reported
   * in `rejected` instead of failing the document; document-level faults still throw.
   */
  lenient?: boolean;
  /** Read named producer dialects (see ninjs-superdesk.ts) when no version is declared: the partner's `format_mode`. */
  dialects?: boolean;
}

export function parseDocument(contentType: string | undefined, text: string, opts: ParseOptions = {}): ParsedDocument {
  const media = parseMediaType(contentType);
  let kind: 'text' | 'json' | 'xml';
  if (TEXT_TYPES.has(media.type)) kind = 'text';
  else if (JSON_TYPES.has(media.type) || media.type.endsWith('+json')) kind = 'json';
  else if (XML_TYPES.has(media.type) || media.type.endsWith('+xml')) kind = 'xml';
  else if (SNIFF_TYPES.has(media.type)) {
    const first = text.replace(/^\uFEFF/, '').trimStart()[0];
    kind = first === '{' || first === '[' ? 'json' : first === '<' ? 'xml' : 'text';
  } else {
    throw new FormatError(
      415,
      'unsupported_media_type',
      '/headers/content-type',
      `Send one of: ${SUPPORTED_MEDIA_TYPES.join(', ')} (or application/octet-stream to have the format detected)`,
    );
  }
  if (kind === 'text') return { format: 'plain', stories: [parsePlainText(text)] };
  if (kind === 'json') {
    const declared = media.params['version'] ?? opts.ninjsVersion;
    const notes: string[] = [];
    const stories = parseNinjsDocument(parseStrictJson(text, undefined, notes), declared, { dialects: opts.dialects });
    if (notes.length) stories[0] = { ...stories[0]!, warnings: [...(stories[0]!.warnings ?? []), ...notes] };
    return { format: 'ninjs', stories };
  }
  return parseXmlStories(text, { lenient: opts.lenient });
}
