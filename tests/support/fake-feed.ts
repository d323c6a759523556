/**
 * A partner's feed server, as partners run them: RSS 2.0 and Atom 1.0 over node:http on
 * 127.0.0.1, with ETag / Last-Modified validators honoured on conditional GETs (304), and a log
 * of every request so tests can see what the poller sent and how often.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeItem {
  guid?: string;
  link?: string;
  title: string;
  body: string;
  pubDate?: string;
}

export interface FakeFeed {
  items: FakeItem[];
  format: 'rss' | 'atom';
  /** Which validators the server sends (and honours). */
  validators: 'etag' | 'last-modified' | 'both' | 'none';
  /** Anything that changes the bytes but no item (a lastBuildDate, as real feeds do). */
  buildStamp?: string;
  contentType?: string;
  status?: number;
  /** A redirect instead of the feed. */
  location?: string;
}

export interface FeedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface FakeFeedServer {
  base: string;
  port: number;
  feeds: Map<string, FakeFeed>;
  requests: FeedRequest[];
  hits(path: string): FeedRequest[];
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderFeed(feed: FakeFeed): string {
  if (feed.format === 'atom') {
    const entries = feed.items
      .map((it) => `<entry>${it.guid ? `<id>${esc(it.guid)}</id>` : ''}${it.link ? `<link rel="alternate" href="${esc(it.link)}"/>` : ''}<title>${esc(it.title)}</title>${it.pubDate ? `<updated>${it.pubDate}</updated>` : ''}<content type="html">${esc(`<p>${it.body}</p>`)}</content></entry>`)
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Partner</title><updated>${feed.buildStamp ?? '2026-01-01T00:00:00Z'}</updated>${entries}</feed>`;
  }
  const items = feed.items
    .map((it) => `<item>${it.guid ? `<guid>${esc(it.guid)}</guid>` : ''}${it.link ? `<link>${esc(it.link)}</link>` : ''}<title>${esc(it.title)}</title><description>${esc(`<p>${it.body}</p>`)}</description>${it.pubDate ? `<pubDate>${it.pubDate}</pubDate>` : ''}</item>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Partner</title><link>https://partner.example/</link><language>en</language><lastBuildDate>${feed.buildStamp ?? 'Thu, 01 Jan 2026 00:00:00 GMT'}</lastBuildDate>${items}</channel></rss>`;
}

export async function startFakeFeedServer(): Promise<FakeFeedServer> {
  const feeds = new Map<string, FakeFeed>();
  const requests: FeedRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const feed = feeds.get(path);
    const log = (status: number) => requests.push({ path, headers: req.headers, status });
    if (!feed) {
      log(404);
      res.writeHead(404).end('not found');
      return;
    }
    if (feed.location) {
      log(302);
      res.writeHead(302, { location: feed.location }).end();
      return;
    }
    if (feed.status && feed.status !== 200) {
      log(feed.status);
      res.writeHead(feed.status).end('unavailable');
      return;
    }
    const body = renderFeed(feed);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    // Last-Modified moves with the content, at one-second resolution, as HTTP dates do.
    const lastModified = new Date(Date.parse('2026-01-01T00:00:00Z') + (parseInt(etag.slice(1, 9), 16) % 1_000_000) * 1000).toUTCString();
    const headers: Record<string, string> = { 'content-type': feed.contentType ?? (feed.format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8') };
    if (feed.validators === 'etag' || feed.validators === 'both') headers['etag'] = etag;
    if (feed.validators === 'last-modified' || feed.validators === 'both') headers['last-modified'] = lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh = headers['etag'] && inm ? inm === etag : headers['last-modified'] && ims ? ims === lastModified : false;
    if (fresh) {
      log(304);
      res.writeHead(304, headers).end();
      return;
    }
    log(200);
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    feeds,
    requests,
    hits: (path) => requests.filter((r) => r.path === path),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
