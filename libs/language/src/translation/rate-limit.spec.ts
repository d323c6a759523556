/**
 * The per-provider limits against the real Redis, with two limiter instances standing for two
 * worker processes, and a fake engine (LibreTranslate protocol) that counts requests in flight.
 */
import { randomBytes } from 'node:crypto';
import IORedis, { type Redis } from 'ioredis';
import { startFakeEngine, type FakeEngine } from '@syndication/testing';
import { LibreTranslateProvider } from './libretranslate.provider';
import { TranslationProviderError } from './provider';
import { LimitedProvider, RedisProviderLimiter, type ProviderRateLimits } from './rate-limit';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('per-provider limits in Redis', () => {
  let redis: Redis;
  let fake: FakeEngine;
  let prefix: string;

  beforeAll(async () => {
    redis = new IORedis(REDIS_URL);
    fake = await startFakeEngine('libretranslate', { languages: ['ru', 'uk'], latencyMs: 60 });
  });
  afterAll(async () => {
    await fake.stop();
    redis.disconnect();
  });
  beforeEach(() => {
    fake.reset();
    prefix = `rl${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  });

  /** Two "processes": separate limiters and adapters sharing only Redis. */
  function processes(limits: ProviderRateLimits, maxWaitMs = 10_000): LimitedProvider[] {
    return [0, 1].map(
      () =>
        new LimitedProvider(
          new LibreTranslateProvider({ baseUrl: fake.url, apiKey: 'test-key' }),
          new RedisProviderLimiter(redis, prefix, { libretranslate: limits }),
          maxWaitMs,
        ),
    );
  }

  it('never has more calls in flight than the concurrency limit, over every process', async () => {
    const [a, b] = processes({ concurrency: 2 });
    const calls = Array.from({ length: 8 }, (_, i) => (i % 2 ? a! : b!).translate({ source: 'ru', target: 'uk', segments: [`Текст ${i}.`] }));
    const results = await Promise.all(calls);
    expect(results.map((r) => r.segments[0])).toEqual(Array.from({ length: 8 }, (_, i) => `[uk] Текст ${i}.`));
    expect(fake.translations).toHaveLength(8);
    expect(fake.maxInFlight()).toBe(2);
    // Every slot was given back.
    expect(await redis.zcard(`${prefix}:translation-limit:libretranslate:inflight`)).toBe(0);
  });

  it('spaces calls to the requests-per-second bucket', async () => {
    const [a, b] = processes({ requestsPerSecond: 4 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a! : b!).translate({ source: 'ru', target: 'uk', segments: [`Т ${i}.`] })));
    // A full bucket of 4, then 4 more at 4/s: about a second, never all at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.translations).toHaveLength(8);
  });

  it('counts characters per minute, and answers with the wait when it is longer than the caller will wait', async () => {
    const [a] = processes({ charsPerMinute: 600 }, 500);
    const text = 'Б'.repeat(500);
    await a!.translate({ source: 'ru', target: 'uk', segments: [text] });
    const err = await a!.translate({ source: 'ru', target: 'uk', segments: [text] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranslationProviderError);
    // 400 chars missing at 10 chars/s.
    expect((err as TranslationProviderError).retryAfterMs).toBeGreaterThan(35_000);
    expect(err).toMatchObject({ retryable: true, provider: 'libretranslate' });
    expect(fake.translations).toHaveLength(1);
  });

  it("shares an engine's 429 Retry-After: no process calls it again before the wait is over", async () => {
    const [a, b] = processes({}, 5_000);
    fake.failNext(fake.rateLimited(1));
    const err = await a!.translate({ source: 'ru', target: 'uk', segments: ['Раз.'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 1000 });
    const blockedAt = Date.now();
    await b!.translate({ source: 'ru', target: 'uk', segments: ['Два.'] });
    expect(Date.now() - blockedAt).toBeGreaterThanOrEqual(800);
    expect(fake.calls.filter((c) => c.path === '/translate')).toHaveLength(2);
    // A wait longer than the caller accepts is not slept through: it comes back as the error.
    fake.failNext(fake.rateLimited(30));
    await a!.translate({ source: 'ru', target: 'uk', segments: ['Три.'] }).catch(() => undefined);
    const quick = await b!.translate({ source: 'ru', target: 'uk', segments: ['Четыре.'] }).catch((e: unknown) => e);
    expect((quick as TranslationProviderError).retryAfterMs).toBeGreaterThan(25_000);
    expect(fake.calls.filter((c) => c.path === '/translate')).toHaveLength(3);
  });

  it('batches within the engine limits, taking a slot per call', async () => {
    const inner = new LibreTranslateProvider({ baseUrl: fake.url, apiKey: 'test-key', limits: { maxSegments: 2 } });
    const limited = new LimitedProvider(inner, new RedisProviderLimiter(redis, prefix, { libretranslate: { concurrency: 1 } }), 5_000);
    const res = await limited.translate({ source: 'ru', target: 'uk', segments: ['А.', 'Б.', 'В.', 'Г.', 'Д.'] });
    expect(res.segments).toEqual(['[uk] А.', '[uk] Б.', '[uk] В.', '[uk] Г.', '[uk] Д.']);
    expect(fake.translations.map((t) => t.texts.length)).toEqual([2, 2, 1]);
  });
});
