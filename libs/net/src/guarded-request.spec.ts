import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DENY_PRIVATE, outboundPolicy } from './address-policy';
import { OutboundError, guardedRequest } from './guarded-request';

const LOOPBACK = outboundPolicy({ allowlist: ['127.0.0.0/8', '::1/128'] });
const base = { timeoutMs: 3000, connectTimeoutMs: 1000, maxResponseBytes: 1024 };

describe('guardedRequest', () => {
  let server: Server;
  let url: string;
  let hits: string[];
  let handler: (req: IncomingMessage, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    hits = [];
    handler = (_req, res) => res.end('hello');
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function refusal(p: Promise<unknown>): Promise<OutboundError> {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    return err as OutboundError;
  }

  it('reaches an allowlisted loopback server', async () => {
    const res = await guardedRequest(`${url}/x`, { ...base, policy: LOOPBACK });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
  });

  it.each([
    ['127.0.0.1 literal', () => `${url}/`],
    ['localhost (resolves to loopback)', () => url.replace('127.0.0.1', 'localhost')],
    ['[::1]', () => url.replace('127.0.0.1', '[::1]')],
    ['10.x', () => 'http://10.0.0.1/feed'],
    ['metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['metadata host name', () => 'http://metadata.google.internal/computeMetadata/v1/'],
    ['IPv4-mapped loopback', () => url.replace('127.0.0.1', '[::ffff:127.0.0.1]')],
  ])('the default policy refuses %s without sending anything', async (_name, target) => {
    const err = await refusal(guardedRequest(target(), { ...base, policy: DENY_PRIVATE }));
    expect(err.code).toBe('destination_forbidden');
    expect(err.requestSent).toBe(false);
    expect(hits).toEqual([]);
  });

  it('follows redirects up to the limit, re-checking every hop', async () => {
    handler = (req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(301, { location: `${url}/c` }).end();
      else if (req.url === '/private') res.writeHead(302, { location: 'http://10.1.2.3/secret' }).end();
      else if (req.url === '/meta') res.writeHead(307, { location: 'http://169.254.169.254/latest/' }).end();
      else res.end(`at ${req.url}`);
    };
    const ok = await guardedRequest(`${url}/a`, { ...base, policy: LOOPBACK, maxRedirects: 3 });
    expect(ok).toMatchObject({ status: 200, redirects: 2, url: `${url}/c` });
    expect(ok.body.toString()).toBe('at /c');

    expect((await refusal(guardedRequest(`${url}/a`, { ...base, policy: LOOPBACK, maxRedirects: 1 }))).code).toBe('too_many_redirects');
    expect((await refusal(guardedRequest(`${url}/private`, { ...base, policy: LOOPBACK, maxRedirects: 3 }))).code).toBe('destination_forbidden');
    expect((await refusal(guardedRequest(`${url}/meta`, { ...base, policy: outboundPolicy({ allowPrivate: true }), maxRedirects: 3 }))).code).toBe('destination_forbidden');
    // Without maxRedirects a 3xx is returned as it is.
    expect((await guardedRequest(`${url}/a`, { ...base, policy: LOOPBACK })).status).toBe(302);
  });

  it('bounds the response size', async () => {
    handler = (_req, res) => res.end('x'.repeat(5000));
    expect((await refusal(guardedRequest(url, { ...base, policy: LOOPBACK }))).code).toBe('response_too_large');
    const cut = await guardedRequest(url, { ...base, policy: LOOPBACK, oversize: 'truncate' });
    expect(cut.body.length).toBe(1024);
    expect(cut.truncated).toBe(true);
  });

  it('bounds the total time; the request was sent', async () => {
    handler = () => undefined;
    const started = Date.now();
    const err = await refusal(guardedRequest(url, { ...base, timeoutMs: 300, policy: LOOPBACK }));
    expect(err).toMatchObject({ code: 'timeout', requestSent: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a refused connection is a network error, not sent', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const err = (await guardedRequest(`http://127.0.0.1:${port}/`, { ...base, policy: LOOPBACK }).catch((e: unknown) => e)) as Error & { code?: string; requestSent?: boolean };
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.requestSent).toBe(false);
  });
});
