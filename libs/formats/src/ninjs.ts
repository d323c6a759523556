/**
 * IPTC ninjs (JSON) in, for the fields the pipeline needs: uri, version, headline(s), body,
 * language. Handles the 1.x/2.x flat fields (`headline`, `body_text`, `body_html`) and the 3.x
 * arrays (`headlines`, `bodies`). Full schema validation per version is the intake issue's job.
 */
import { decode } from 'html-entities';
import sanitizeHtml from 'sanitize-html';
import { type CanonicalStory, FormatError, checkBody, checkHeadline } from './canonical';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** HTML body -> plain paragraphs: block boundaries become paragraph breaks, every tag is dropped. */
export function htmlToParagraphs(html: string): string[] {
  const marked = html.replace(/<\s*(\/p|br\s*\/?|\/div|\/h[1-6]|\/li|\/blockquote)\s*>/gi, '$&\n\n');
  const text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} });
  return decode(text)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

function str(doc: Json, key: string): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FormatError(422, 'invalid_type', `/${key}`, `${key} must be a string`);
  return v;
}

export function parseNinjs(doc: unknown): CanonicalStory {
  if (!isObject(doc)) throw new FormatError(422, 'invalid_type', '', 'a ninjs document must be a JSON object');
  const uri = str(doc, 'uri') ?? str(doc, 'guid');
  if (!uri) throw new FormatError(422, 'missing_field', '/uri', 'uri is required');

  let version: number | undefined;
  const rawVersion = doc['version'];
  if (rawVersion !== undefined) {
    const n = typeof rawVersion === 'number' ? rawVersion : Number(rawVersion);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new FormatError(422, 'invalid_version', '/version', 'version must be a positive integer');
    }
    version = n;
  }

  let headline = str(doc, 'headline');
  let headlinePointer = '/headline';
  const headlines = doc['headlines'];
  if (headline === undefined && Array.isArray(headlines)) {
    const main = headlines.find((h) => isObject(h) && (h['role'] === undefined || h['role'] === 'main')) ?? headlines[0];
    if (isObject(main) && typeof main['value'] === 'string') {
      headline = main['value'];
      headlinePointer = `/headlines/${headlines.indexOf(main)}/value`;
    }
  }
  if (headline === undefined) throw new FormatError(422, 'missing_field', '/headline', 'headline is required');

  let paragraphs: string[] | undefined;
  let bodyPointer = '/body_text';
  const bodyText = str(doc, 'body_text');
  const bodyHtml = str(doc, 'body_html');
  if (bodyHtml !== undefined) {
    paragraphs = htmlToParagraphs(bodyHtml);
    bodyPointer = '/body_html';
  } else if (bodyText !== undefined) {
    paragraphs = bodyText.split(/\n\s*\n|\n/);
  } else if (Array.isArray(doc['bodies'])) {
    const bodies = doc['bodies'].filter(isObject);
    const html = bodies.find((b) => typeof b['contenttype'] === 'string' && String(b['contenttype']).includes('html'));
    const any = html ?? bodies[0];
    if (any && typeof any['value'] === 'string') {
      paragraphs = html ? htmlToParagraphs(any['value']) : any['value'].split(/\n\s*\n|\n/);
      bodyPointer = `/bodies/${(doc['bodies'] as unknown[]).indexOf(any)}/value`;
    }
  }
  if (!paragraphs) throw new FormatError(422, 'missing_field', '/body_text', 'a body (body_text, body_html or bodies) is required');

  const language = str(doc, 'language');
  if (language !== undefined && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    throw new FormatError(422, 'invalid_enum', '/language', 'language must be a BCP 47 tag');
  }
  return {
    format: 'ninjs',
    externalId: uri,
    version,
    headline: checkHeadline(headline, headlinePointer),
    paragraphs: checkBody(paragraphs, bodyPointer),
    language: language?.slice(0, 2).toLowerCase(),
  };
}
