/**
 * ApertiumProvider against a fake APy (node:http): request shape, batching, mark handling and
 * error mapping. The real engine is exercised in apertium.provider.spec.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApertiumProvider, fromApertiumCode, toApertiumCodes } from './apertium.provider';
import { TranslationProviderError, TranslationUnsupportedError } from './provider';

interface Call {
  method: string;
  path: string;
  form: URLSearchParams;
}
type Reply = { status?: number; headers?: Record<string, string>; json?: unknown; raw?: string };
type Handler = (call: Call) => Reply | Promise<Reply>;

const PAIRS = ['rus|ukr', 'ukr|rus', 'eng|spa', 'khk|rus'];

function listPairs(pairs = PAIRS): Reply {
  return {
    json: {
      responseData: pairs.map((p) => ({ sourceLanguage: p.split('|')[0], targetLanguage: p.split('|')[1] })),
      responseStatus: 200,
    },
  };
}

/** Echoes `q` upper-cased, marking words that start with "x" as unknown, like APy's `*`. */
function echo(q: string): Reply {
  const translated = q.replace(/\S+/gu, (w) => (w.startsWith('x') ? `*${w}` : w.toUpperCase()));
  return { json: { responseData: { translatedText: translated }, responseStatus: 200 } };
}

describe('ApertiumProvider (fake APy)', () => {
  let server: http.Server;
  let baseUrl: string;
  let calls: Call[];
  let handler: Handler;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const call = { method: req.method ?? '', path: url.pathname, form: new URLSearchParams(body) };
        calls.push(call);
        void Promise.resolve(handler(call)).then((reply) => {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    calls = [];
    handler = (call) => (call.path === '/listPairs' ? listPairs() : echo(call.form.get('q') ?? ''));
  });

  const translateCalls = (): Call[] => calls.filter((c) => c.path === '/translate');

  it('maps ISO 639-1 codes to APy codes and back', () => {
    expect(toApertiumCodes('mn')).toEqual(['mon', 'khk']);
    expect(fromApertiumCode('khk')).toBe('mn');
    expect(fromApertiumCode('ukr')).toBe('uk');
    expect(fromApertiumCode('xyz')).toBeUndefined();
  });

  it('sends one form-encoded request per document, paragraphs joined by a blank line', async () => {
    const provider = new ApertiumProvider(`${baseUrl}/`);
    const result = await provider.translate({ source: 'ru', target: 'uk', segments: ['один два', 'три'] });
    expect(result.segments).toEqual(['ОДИН ДВА', 'ТРИ']);
    expect(translateCalls()).toHaveLength(1);
    const form = translateCalls()[0]?.form;
    expect(form?.get('langpair')).toBe('rus|ukr');
    expect(form?.get('q')).toBe('один два\n\nтри');
    expect(form?.get('markUnknown')).toBe('yes');
    expect(form?.get('format')).toBe('txt');
    expect(translateCalls()[0]?.method).toBe('POST');
  });

  it('computes the unknown-word ratio from the marks and strips them', async () => {
    const provider = new ApertiumProvider(baseUrl);
    const result = await provider.translate({ source: 'ru', target: 'uk', segments: ['xмонголии и', 'xрубио сказал'] });
    expect(result.segments).toEqual(['xмонголии И', 'xрубио СКАЗАЛ']);
    expect(result.unknownWordRatio).toBeCloseTo(0.5);
  });

  it('strips generation (#) and bilingual (@) marks but keeps those characters when the source has them', async () => {
    handler = (call) =>
      call.path === '/listPairs'
        ? listPairs()
        : { json: { responseData: { translatedText: '#міністерський @слово\n\n#хештег *невідоме' } } };
    const provider = new ApertiumProvider(baseUrl);
    const result = await provider.translate({ source: 'ru', target: 'uk', segments: ['а б', '#хэштег в'] });
    expect(result.segments).toEqual(['міністерський слово', '#хештег невідоме']);
  });

  it('decodes HTML entities before sending', async () => {
    const provider = new ApertiumProvider(baseUrl);
    await provider.translate({ source: 'ru', target: 'uk', segments: ['&laquo;Цитата&raquo; &amp; текст'] });
    expect(translateCalls()[0]?.form.get('q')).toBe('«Цитата» & текст');
  });

  it('falls back to one request per segment when the paragraph count does not survive', async () => {
    handler = (call) => {
      if (call.path === '/listPairs') return listPairs();
      const q = call.form.get('q') ?? '';
      return echo(q.replace(/\n\n/gu, ' '));
    };
    const provider = new ApertiumProvider(baseUrl);
    const result = await provider.translate({ source: 'ru', target: 'uk', segments: ['а', 'б', 'в'] });
    expect(result.segments).toEqual(['А', 'Б', 'В']);
    expect(translateCalls().map((c) => c.form.get('q'))).toEqual(['а\n\nб\n\nв', 'а', 'б', 'в']);
  });

  it('keeps empty segments in place without sending them', async () => {
    const provider = new ApertiumProvider(baseUrl);
    const result = await provider.translate({ source: 'ru', target: 'uk', segments: ['а', '  ', 'б'] });
    expect(result.segments).toEqual(['А', '', 'Б']);
    expect(translateCalls()[0]?.form.get('q')).toBe('а\n\nб');
  });

  it('splits documents and over-long paragraphs so no request exceeds the limit, and reassembles them', async () => {
    const provider = new ApertiumProvider(baseUrl, { maxRequestChars: 40 });
    const long = 'Первое предложение тут. Второе предложение тут. Третье предложение.';
    const result = await provider.translate({ source: 'ru', target: 'uk', segments: [long, 'короткий абзац'] });
    expect(result.segments).toEqual([long.toUpperCase(), 'КОРОТКИЙ АБЗАЦ']);
    for (const call of translateCalls()) expect((call.form.get('q') ?? '').length).toBeLessThanOrEqual(40);
    expect(translateCalls().length).toBeGreaterThan(1);
  });

  it('uses the APy code listed for Mongolian', async () => {
    const provider = new ApertiumProvider(baseUrl);
    await provider.translate({ source: 'mn', target: 'ru', segments: ['сайн'] });
    expect(translateCalls()[0]?.form.get('langpair')).toBe('khk|rus');
  });

  it('caches /listPairs', async () => {
    const provider = new ApertiumProvider(baseUrl);
    expect(await provider.supports('ru', 'uk')).toBe(true);
    expect(await provider.supports('en', 'es')).toBe(true);
    expect(await provider.supports('ru', 'en')).toBe(false);
    expect(await provider.supportedPairs()).toContainEqual({ source: 'mn', target: 'ru' });
    expect(calls.filter((c) => c.path === '/listPairs')).toHaveLength(1);
  });

  it('does not cache a failed /listPairs', async () => {
    let down = true;
    handler = (call) => (down ? { status: 503, raw: 'down' } : call.path === '/listPairs' ? listPairs() : echo(''));
    const provider = new ApertiumProvider(baseUrl);
    await expect(provider.supports('ru', 'uk')).rejects.toMatchObject({ retryable: true });
    down = false;
    expect(await provider.supports('ru', 'uk')).toBe(true);
  });

  it('rejects a pair APy does not list without calling /translate', async () => {
    const provider = new ApertiumProvider(baseUrl);
    await expect(provider.translate({ source: 'ru', target: 'en', segments: ['а'] })).rejects.toBeInstanceOf(
      TranslationUnsupportedError,
    );
    expect(translateCalls()).toHaveLength(0);
  });

  it('maps APy 400 "pair not installed" to TranslationUnsupportedError', async () => {
    handler = (call) =>
      call.path === '/listPairs'
        ? listPairs()
        : { status: 400, json: { status: 'error', code: 400, explanation: 'That pair is not installed' } };
    const provider = new ApertiumProvider(baseUrl);
    await expect(provider.translate({ source: 'ru', target: 'uk', segments: ['а'] })).rejects.toThrow(
      /That pair is not installed/u,
    );
  });

  it('maps 5xx to a retryable error', async () => {
    handler = (call) => (call.path === '/listPairs' ? listPairs() : { status: 503, json: { explanation: 'internal error' } });
    const provider = new ApertiumProvider(baseUrl);
    const err = await provider.translate({ source: 'ru', target: 'uk', segments: ['а'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranslationProviderError);
    expect(err).toMatchObject({ retryable: true, message: expect.stringContaining('internal error') });
  });

  it('maps 429 to a retryable error with Retry-After', async () => {
    handler = (call) =>
      call.path === '/listPairs' ? listPairs() : { status: 429, headers: { 'retry-after': '7' }, raw: 'slow down' };
    const provider = new ApertiumProvider(baseUrl);
    await expect(provider.translate({ source: 'ru', target: 'uk', segments: ['а'] })).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it('maps other 4xx to a permanent error', async () => {
    handler = (call) => (call.path === '/listPairs' ? listPairs() : { status: 400, json: { explanation: 'Missing argument q' } });
    const provider = new ApertiumProvider(baseUrl);
    await expect(provider.translate({ source: 'ru', target: 'uk', segments: ['а'] })).rejects.toMatchObject({
      retryable: false,
    });
  });

  it('maps a timeout to a retryable error', async () => {
    handler = (call) =>
      call.path === '/listPairs' ? listPairs() : new Promise((resolve) => setTimeout(() => resolve(echo('а')), 500));
    const provider = new ApertiumProvider(baseUrl, { timeoutMs: 100 });
    await provider.supports('ru', 'uk');
    await expect(provider.translate({ source: 'ru', target: 'uk', segments: ['а'] })).rejects.toMatchObject({
      retryable: true,
      message: expect.stringContaining('timed out'),
    });
  });

  it('maps an unreachable server to a retryable error', async () => {
    const provider = new ApertiumProvider('http://127.0.0.1:9');
    await expect(provider.supports('ru', 'uk')).rejects.toMatchObject({ name: 'TranslationProviderError', retryable: true });
  });
});
