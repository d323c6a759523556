/**
 * One conditional GET of a partner feed, bounded and through the SSRF guard: If-None-Match /
 * If-Modified-Since from the row, redirects re-checked per hop, a size cap, a timeout, and a
 * content-type check (an HTML page where a feed should be is the commonest failure). Feeds in a
 * legacy charset (windows-1251, koi8-r, iso-8859-x: common among regional outlets) are decoded
 * here and handed to the intake as UTF-8, since the intake itself only takes UTF-8.
 */
import { type OutboundPolicy, guardedRequest } from '@syndication/net';
import { parseMediaType } from '@syndication/formats';

export const FEED_MAX_REDIRECTS = 5;
export const FEED_CONNECT_TIMEOUT_MS = 5_000;
const USER_AGENT = 'syndication-feed-poller/1 (+conditional GET)';

/** What a partner's feed URL may answer with. JSON is not polled (the intake reads ninjs pushes, not JSON Feed). */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/xml', 'text/xml', 'application/octet-stream', '']);

export interface FetchLimits {
  policy: OutboundPolicy;
  timeoutMs: number;
  maxBytes: number;
}

export type FetchOutcome =
  | { kind: 'not_modified' }
  | { kind: 'document'; body: Buffer; contentType: string; etag?: string; lastModified?: string; url: string }
  | { kind: 'failed'; code: string; message: string; httpStatus?: number };

/** A feed fetch that failed for a reason worth recording (never thrown past the poller). */
export class FeedFetchError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchFeed(url: string, validators: { etag?: string | null; lastModified?: string | null }, limits: FetchLimits): Promise<FetchOutcome> {
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
    'user-agent': USER_AGENT,
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const res = await guardedRequest(url, {
    method: 'GET',
    headers,
    policy: limits.policy,
    timeoutMs: limits.timeoutMs,
    connectTimeoutMs: FEED_CONNECT_TIMEOUT_MS,
    maxResponseBytes: limits.maxBytes,
    maxRedirects: FEED_MAX_REDIRECTS,
  });
  if (res.status === 304) return { kind: 'not_modified' };
  if (res.status !== 200) {
    return { kind: 'failed', code: `http_${res.status}`, message: `the feed answered ${res.status}`, httpStatus: res.status };
  }
  const media = parseMediaType(header(res.headers['content-type']));
  if (!FEED_TYPES.has(media.type) && !media.type.endsWith('+xml')) {
    return { kind: 'failed', code: 'unexpected_content_type', message: `the feed answered ${media.type.slice(0, 80)}, not RSS/Atom XML`, httpStatus: 200 };
  }
  let body: Buffer;
  try {
    body = toUtf8(res.body, media.params['charset']);
  } catch (err) {
    if (!(err instanceof FeedFetchError)) throw err;
    return { kind: 'failed', code: err.code, message: err.message, httpStatus: 200 };
  }
  return {
    kind: 'document',
    body,
    contentType: media.type && media.type !== 'application/octet-stream' ? `${media.type}; charset=utf-8` : 'application/octet-stream',
    etag: header(res.headers['etag']),
    lastModified: header(res.headers['last-modified']),
    url: res.url,
  };
}

function header(v: string | string[] | undefined): string | undefined {
  const one = Array.isArray(v) ? v[0] : v;
  return one && one.length <= 512 ? one : undefined;
}

/** The charset from the header, else the XML declaration, else UTF-8; the declaration is rewritten to match. */
export function toUtf8(body: Buffer, headerCharset: string | undefined): Buffer {
  const head = body.subarray(0, 200).toString('latin1');
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
  const charset = (headerCharset ?? declared ?? 'utf-8').toLowerCase();
  if (charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii' || charset === 'ascii') return body;
  let text: string;
  try {
    text = new TextDecoder(charset, { fatal: true }).decode(body);
  } catch (err) {
    const unknown = err instanceof RangeError;
    throw new FeedFetchError(unknown ? 'unsupported_charset' : 'invalid_encoding', unknown ? `unknown charset ${charset.slice(0, 40)}` : `the body is not valid ${charset.slice(0, 40)}`);
  }
  return Buffer.from(text.replace(/^(\uFEFF?\s*<\?xml\s[^>]*?encoding\s*=\s*["'])[^"']+(["'])/i, '$1UTF-8$2'), 'utf8');
}
