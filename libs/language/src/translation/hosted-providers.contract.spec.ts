/**
 * Contract tests of every hosted adapter against a local fake that speaks that engine's real
 * protocol (libs/testing translation-fakes): language lists, auth headers, batching within the
 * engine's limits, order of answers, 429 + Retry-After, spent quota, outages, bad credentials.
 */
import { startFakeEngine, type FakeEngine, type FakeEngineKind } from '@syndication/testing';
import { AzureTranslatorProvider } from './azure.provider';
import { DeepLProvider } from './deepl.provider';
import { GoogleTranslateProvider, metadataTokenSource } from './google.provider';
import { LibreTranslateProvider } from './libretranslate.provider';
import { OpenAiTranslateProvider } from './openai.provider';
import { TranslationProviderError, type TranslationProvider } from './provider';

const LANGS = ['ru', 'uk', 'en', 'es'];

function make(kind: FakeEngineKind, fake: FakeEngine, key = 'test-key'): TranslationProvider {
  switch (kind) {
    case 'deepl':
      return new DeepLProvider({ authKey: key, serverUrl: fake.url, rateLimitWaitMs: 1500 });
    case 'libretranslate':
      return new LibreTranslateProvider({ baseUrl: fake.url, apiKey: key });
    case 'google':
      return new GoogleTranslateProvider({ baseUrl: fake.url, project: 'test-project', accessToken: key });
    case 'azure':
      return new AzureTranslatorProvider({ baseUrl: fake.url, key, region: 'westeurope' });
    case 'openai':
      return new OpenAiTranslateProvider({ baseUrl: fake.url, apiKey: key, model: 'gpt-test', languages: ['ru', 'uk', 'en', 'es'] });
  }
}

async function failure(p: Promise<unknown>): Promise<TranslationProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TranslationProviderError) return err;
    throw err;
  }
  throw new Error('expected a TranslationProviderError');
}

describe.each<FakeEngineKind>(['deepl', 'libretranslate', 'google', 'azure', 'openai'])('%s adapter against its fake', (kind) => {
  let fake: FakeEngine;
  let provider: TranslationProvider;

  beforeAll(async () => {
    fake = await startFakeEngine(kind, { languages: LANGS });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    provider = make(kind, fake);
  });

  it('reports pairs from the engine and declares its limits', async () => {
    expect(await provider.supports('ru', 'uk')).toBe(true);
    expect(await provider.supports('ru', 'mn')).toBe(false);
    expect(provider.limits.maxSegments).toBeGreaterThan(1);
    expect(provider.limits.maxCharsPerCall).toBeGreaterThan(1000);
  });

  it('translates every segment in order, with its credentials, in the engine language codes', async () => {
    const res = await provider.translate({ source: 'ru', target: 'en', segments: ['Первый абзац.', 'Второй ⟦0⟧ абзац.', 'Третий.'] });
    const target = kind === 'deepl' ? 'en-gb' : 'en';
    expect(res.segments).toEqual([`[${target}] Первый абзац.`, `[${target}] Второй ⟦0⟧ абзац.`, `[${target}] Третий.`]);
    expect(fake.translations).toHaveLength(1);
    expect(fake.translations[0]!.texts).toHaveLength(3);
    const call = fake.calls.find((c) => c.method === 'POST')!;
    const auth = {
      deepl: () => expect(call.headers.authorization).toBe('DeepL-Auth-Key test-key'),
      libretranslate: () => expect(JSON.parse(call.body)).toMatchObject({ api_key: 'test-key', source: 'ru', target: 'en', format: 'text' }),
      google: () => expect(call.headers.authorization).toBe('Bearer test-key'),
      azure: () => {
        expect(call.headers['ocp-apim-subscription-key']).toBe('test-key');
        expect(call.headers['ocp-apim-subscription-region']).toBe('westeurope');
      },
      openai: () => expect(call.headers.authorization).toBe('Bearer test-key'),
    };
    auth[kind]();
  });

  it('splits a long story into calls within the engine limits', async () => {
    const n = provider.limits.maxSegments + 3;
    const segments = Array.from({ length: n }, (_, i) => `Абзац ${i}.`);
    const res = await provider.translate({ source: 'ru', target: 'uk', segments });
    expect(res.segments).toEqual(segments.map((s) => `[uk] ${s}`));
    expect(fake.translations.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...fake.translations.map((t) => t.texts.length))).toBeLessThanOrEqual(provider.limits.maxSegments);
  });

  it('turns a 429 into a retryable error carrying the wait', async () => {
    fake.failNext(fake.rateLimited(2));
    const err = await failure(provider.translate({ source: 'ru', target: 'uk', segments: ['Текст.'] }));
    expect(err).toMatchObject({ retryable: true, quotaExceeded: false, provider: provider.name });
    // The engine's Retry-After, DeepL included (read past deepl-node, which drops headers).
    expect(err.retryAfterMs).toBe(2000);
  });

  it('waits a default when a 429 carries no Retry-After (DeepL), else gives no wait', async () => {
    fake.failNext({ ...fake.rateLimited(1), headers: {} });
    const err = await failure(provider.translate({ source: 'ru', target: 'uk', segments: ['Текст.'] }));
    expect(err).toMatchObject({ retryable: true, quotaExceeded: false });
    expect(err.retryAfterMs).toBe(kind === 'deepl' ? 1500 : undefined);
  });

  it('reports a spent quota as quotaExceeded, not as something to retry', async () => {
    fake.failNext(fake.quotaExceeded());
    const err = await failure(provider.translate({ source: 'ru', target: 'uk', segments: ['Текст.'] }));
    expect(err).toMatchObject({ retryable: false, quotaExceeded: true });
  });

  it('retries an outage and not rejected credentials', async () => {
    fake.failNext({ status: 503, body: { message: 'Service unavailable' } });
    expect(await failure(provider.translate({ source: 'ru', target: 'uk', segments: ['Текст.'] }))).toMatchObject({ retryable: true });
    const wrong = make(kind, fake, 'wrong-key');
    expect(await failure(wrong.translate({ source: 'ru', target: 'uk', segments: ['Текст.'] }))).toMatchObject({ retryable: false, quotaExceeded: false });
    // Both reached the engine: the outage once, the bad key once (no hidden client-side retries).
    expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('fails retryably when the engine is unreachable', async () => {
    const down = make(kind, { ...fake, url: kind === 'openai' ? 'http://127.0.0.1:1/v1' : 'http://127.0.0.1:1' });
    expect(await failure(down.translate({ source: 'ru', target: 'uk', segments: ['Текст.'] }))).toMatchObject({ retryable: true });
  });
});

describe('azure multi-target', () => {
  it('asks for several targets in one call', async () => {
    const fake = await startFakeEngine('azure', { languages: LANGS });
    try {
      const azure = new AzureTranslatorProvider({ baseUrl: fake.url, key: 'test-key' });
      const res = await azure.translateMany('ru', ['uk', 'en'], ['Один.', 'Два.']);
      expect(res).toEqual({ uk: { segments: ['[uk] Один.', '[uk] Два.'] }, en: { segments: ['[en] Один.', '[en] Два.'] } });
      expect(fake.translations).toEqual([{ source: 'ru', targets: ['uk', 'en'], texts: ['Один.', 'Два.'] }]);
    } finally {
      await fake.stop();
    }
  });
});

describe('deepl Retry-After under concurrency', () => {
  it('gives each concurrent call its own Retry-After', async () => {
    const fake = await startFakeEngine('deepl', { languages: LANGS, latencyMs: 30 });
    try {
      const deepl = new DeepLProvider({ authKey: 'test-key', serverUrl: fake.url, rateLimitWaitMs: 1500 });
      expect(deepl.readsRetryAfter).toBe(true);
      fake.failNext(fake.rateLimited(3), fake.rateLimited(7));
      const [a, b] = await Promise.all([
        failure(deepl.translate({ source: 'ru', target: 'uk', segments: ['Один.'] })),
        failure(deepl.translate({ source: 'ru', target: 'uk', segments: ['Два.'] })),
      ]);
      expect([a.retryAfterMs, b.retryAfterMs].sort()).toEqual([3000, 7000]);
    } finally {
      await fake.stop();
    }
  });
});

describe('google access tokens', () => {
  let fake: FakeEngine;
  beforeAll(async () => {
    fake = await startFakeEngine('google', { languages: LANGS });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const posts = () => fake.calls.filter((c) => c.method === 'POST').map((c) => c.headers.authorization);
  const tokenCalls = () => fake.calls.filter((c) => c.path === new URL(fake.tokenUrl).pathname);

  it('takes tokens from a metadata-server endpoint, caches them, and refreshes once on 401 UNAUTHENTICATED', async () => {
    const google = new GoogleTranslateProvider({ baseUrl: fake.url, project: 'test-project', tokenSource: metadataTokenSource(fake.tokenUrl) });
    expect((await google.translate({ source: 'ru', target: 'uk', segments: ['Один.'] })).segments).toEqual(['[uk] Один.']);
    expect((await google.translate({ source: 'ru', target: 'uk', segments: ['Два.'] })).segments).toEqual(['[uk] Два.']);
    expect(tokenCalls()).toHaveLength(1);
    expect(tokenCalls()[0]!.headers['metadata-flavor']).toBe('Google');
    const first = posts()[0]!;
    expect(posts()).toEqual([first, first]);

    fake.expireTokens();
    expect((await google.translate({ source: 'ru', target: 'uk', segments: ['Три.'] })).segments).toEqual(['[uk] Три.']);
    // The expired token was refused (401), a new one fetched, and the call made again once.
    expect(tokenCalls()).toHaveLength(2);
    const after = posts().slice(2);
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(first);
    expect(after[1]).toMatch(/^Bearer ya29\.fake-2$/u);
  });

  it('does not loop when the fresh token is refused too', async () => {
    let n = 0;
    const google = new GoogleTranslateProvider({ baseUrl: fake.url, project: 'test-project', tokenSource: async () => `revoked-${++n}` });
    const err = await failure(google.translate({ source: 'ru', target: 'uk', segments: ['Один.'] }));
    expect(err).toMatchObject({ retryable: false, status: 401 });
    expect(err.message).toMatch(/invalid authentication credentials/u);
    expect(posts()).toEqual(['Bearer revoked-1', 'Bearer revoked-2']);
  });

  it('reports an unreachable token endpoint as retryable', async () => {
    const google = new GoogleTranslateProvider({ baseUrl: fake.url, project: 'test-project', tokenSource: metadataTokenSource('http://127.0.0.1:1/token') });
    expect(await failure(google.translate({ source: 'ru', target: 'uk', segments: ['Один.'] }))).toMatchObject({ retryable: true });
    expect(posts()).toEqual([]);
  });
});
