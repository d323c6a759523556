/**
 * The translate stage's limits and policies, end to end: provider chains per route and per pair
 * (and their precedence), Azure asked for several targets in one call, rate limits that are
 * waited out or fall through, per-provider concurrency shared through Redis, a paused provider
 * that comes back, the glossary API (a term added through it applies to the next story and the
 * memory never serves the pre-glossary translation), and the per-route language policy: a story
 * is never held for good by one language. Engines: the real APy, fakes of LibreTranslate and
 * Azure speaking their protocols.
 */
import IORedis, { type Redis } from 'ioredis';
import { startFakeEngine, type FakeEngine } from '@syndication/testing';
import type { StoryView } from '../../apps/intake-api/src/stories/story-status.service';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, getStory, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ninjs(uri: string, paragraphs: string[], language = 'ru', headline = 'Министры обсудили поставки минералов'): string {
  return JSON.stringify({ uri, version: '1', headline, body_text: paragraphs.join('\n\n'), language });
}

async function waitFor(intakeUrl: string, apiKey: string, id: string, what: string, ok: (s: StoryView) => boolean, timeoutMs = 20_000): Promise<StoryView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getStory(intakeUrl, apiKey, id);
    if (body.versions?.length && ok(body)) return body;
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs} ms: ${JSON.stringify(body.versions?.[0]?.deliveries)}`);
    await sleep(100);
  }
}

const delivery = (s: StoryView, language: string) => s.versions[0]!.deliveries.find((d) => d.language === language);

async function api(system: RunningSystem, partner: TestPartner, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${system.intakeUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${partner.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('translation limits, chains and policies', () => {
  let system: RunningSystem;
  let libre: FakeEngine;
  let azure: FakeEngine;

  beforeAll(async () => {
    libre = await startFakeEngine('libretranslate', { languages: ['ru', 'en', 'uk', 'es'] });
    azure = await startFakeEngine('azure', { languages: ['ru', 'en', 'uk', 'es'] });
    system = await startSystem({
      env: {
        TRANSLATION_PROVIDERS: 'libretranslate,apertium,azure',
        LIBRETRANSLATE_URL: libre.url,
        LIBRETRANSLATE_API_KEY: 'test-key',
        AZURE_TRANSLATOR_URL: azure.url,
        AZURE_TRANSLATOR_KEY: 'test-key',
        // The pair chain puts Apertium first for ru->uk; routes may override it.
        TRANSLATION_CHAIN_ru_uk: 'apertium,libretranslate',
        TRANSLATION_LIMITS: 'libretranslate:concurrency=1,wait=5',
        TRANSLATION_MAX_WAIT_SECONDS: '10',
        ROUTE_DEADLINE_POLL_MS: '200',
        JOB_ATTEMPTS: '3',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await system?.stop();
    await libre?.stop();
    await azure?.stop();
  });
  beforeEach(() => {
    libre.reset();
    azure.reset();
  });

  it('takes the chain from the route, else from the pair, else from TRANSLATION_PROVIDERS', async () => {
    const byRoute = await createPartner(system.db, 'chainroute');
    await createRoutedChannel(system.db, byRoute, 'feed', { title: 'uk' }, ['uk'], { translationProviders: ['libretranslate'] });
    const byPair = await createPartner(system.db, 'chainpair');
    await createRoutedChannel(system.db, byPair, 'feed', { title: 'uk' }, ['uk']);
    const byOrder = await createPartner(system.db, 'chainorder');
    await createRoutedChannel(system.db, byOrder, 'feed', { title: 'es' }, ['es']);

    const text = ['Министр встретилась с коллегами в столице.'];
    // ru->uk: the route names LibreTranslate, the pair chain says Apertium first; en->es: the global order.
    const a = await pushStory(system.intakeUrl, byRoute.apiKey, ninjs('urn:chain:route', text), 'application/json');
    const b = await pushStory(system.intakeUrl, byPair.apiKey, ninjs('urn:chain:pair', text), 'application/json');
    const c = await pushStory(system.intakeUrl, byOrder.apiKey, ninjs('urn:chain:order', ['The minister met her colleagues in the capital.'], 'en', 'Ministers meet'), 'application/json');
    const va = (await waitSettled(system.intakeUrl, byRoute.apiKey, a.body['id'] as string)).versions[0]!;
    const vb = (await waitSettled(system.intakeUrl, byPair.apiKey, b.body['id'] as string)).versions[0]!;
    const vc = (await waitSettled(system.intakeUrl, byOrder.apiKey, c.body['id'] as string)).versions[0]!;
    expect(va.translations[0]).toMatchObject({ language: 'uk', status: 'done', provider: 'libretranslate' });
    expect(vb.translations[0]).toMatchObject({ language: 'uk', status: 'done', provider: 'apertium' });
    expect(vc.translations[0]).toMatchObject({ language: 'es', status: 'done', provider: 'libretranslate' });
    expect(libre.translations.map((t) => t.targets[0]).sort()).toEqual(['es', 'uk']);
  }, 60_000);

  it('asks Azure for every target of a story in one call (to=en&to=uk&to=es)', async () => {
    const partner = await createPartner(system.db, 'azuremany');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'many' }, ['source', 'en', 'uk', 'es'], { translationProviders: ['azure'] });
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:azure:1', ['Первый абзац о встрече.', 'Второй абзац о переговорах.']), 'application/json');
    const v = (await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string)).versions[0]!;
    expect(azure.translations).toHaveLength(1);
    expect(azure.translations[0]!.targets).toEqual(['en', 'es', 'uk']);
    expect(azure.translations[0]!.texts).toHaveLength(3);
    const call = azure.calls.find((c) => c.method === 'POST')!;
    expect(call.query.getAll('to')).toEqual(['en', 'es', 'uk']);
    for (const lang of ['en', 'es', 'uk']) {
      const t = v.translations.find((x) => x.language === lang)!;
      expect(t).toMatchObject({ status: 'done', provider: 'azure', headline: `[${lang}] Министры обсудили поставки минералов` });
      expect(t.chars_sent).toBeGreaterThan(0);
    }
    expect(v.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  }, 60_000);

  it('falls through on a rate limit longer than the provider will wait, and waits out a short one', async () => {
    const partner = await createPartner(system.db, 'ratechain');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'es' }, ['es']);
    // en->es: LibreTranslate, then Apertium. Retry-After 30 s > wait=5 s: Apertium translates now.
    libre.failNext(libre.rateLimited(30));
    const long = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:rate:long', ['The talks will continue in Ulaanbaatar next month.'], 'en', 'Talks continue'), 'application/json');
    const v1 = (await waitSettled(system.intakeUrl, partner.apiKey, long.body['id'] as string)).versions[0]!;
    expect(v1.translations[0]).toMatchObject({ language: 'es', status: 'done', provider: 'apertium' });
    const [row] = await system.db.query('SELECT attempts FROM translation WHERE story_version_id = $1', [v1.id]);
    expect(row.attempts[0].provider).toBe('libretranslate');
    expect(row.attempts[0].outcome).toMatch(/HTTP 429.*\(wait 30 s > 5 s: next provider\)/u);
    expect(row.attempts[1]).toEqual({ provider: 'apertium', outcome: 'done' });
    // The 429's cool-down is shared by every worker process (Redis); lift it for the next case.
    expect(await ttl(system, 'libretranslate')).toBeGreaterThan(20_000);
    await clearCooldown(system, 'libretranslate');

    // Retry-After 1 s <= 5 s: the preferred engine is waited for (no attempt spent).
    libre.failNext(libre.rateLimited(1));
    const started = Date.now();
    const short = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:rate:short', ['The delegation returned home on Friday evening.'], 'en', 'Delegation returns'), 'application/json');
    const v2 = (await waitSettled(system.intakeUrl, partner.apiKey, short.body['id'] as string)).versions[0]!;
    expect(v2.translations[0]).toMatchObject({ language: 'es', status: 'done', provider: 'libretranslate' });
    expect(libre.calls.filter((c) => c.path === '/translate')).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  it('keeps calls to a provider within its concurrency limit under a burst of stories', async () => {
    const partner = await createPartner(system.db, 'burst');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'en' }, ['en'], { translationProviders: ['libretranslate'] });
    libre.setLatency(150);
    try {
      const pushed = await Promise.all(
        Array.from({ length: 6 }, (_, i) => pushStory(system.intakeUrl, partner.apiKey, ninjs(`urn:burst:${i}`, [`Новость номер ${i} о переговорах министров.`]), 'application/json')),
      );
      for (const p of pushed) {
        const v = (await waitSettled(system.intakeUrl, partner.apiKey, p.body['id'] as string)).versions[0]!;
        expect(v.translations[0]).toMatchObject({ status: 'done', provider: 'libretranslate' });
      }
      expect(libre.translations).toHaveLength(6);
      // TRANSLATE_CONCURRENCY is 4: without the limit several calls would overlap.
      expect(libre.maxInFlight()).toBe(1);
    } finally {
      libre.setLatency(0);
    }
  }, 60_000);

  it('shows provider status, and a provider whose pause ran out is active again after its next success', async () => {
    const partner = await createPartner(system.db, 'status');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'en' }, ['en'], { translationProviders: ['libretranslate'] });
    await system.db.query(
      `INSERT INTO translation_provider_status (provider, status, paused_until, reason) VALUES ('libretranslate', 'paused', now() + interval '1 hour', 'HTTP 403 Monthly character quota exceeded')
       ON CONFLICT (provider) DO UPDATE SET status = 'paused', paused_until = EXCLUDED.paused_until, reason = EXCLUDED.reason`,
    );
    const paused = await api(system, partner, 'GET', '/v1/translation/providers');
    expect(paused.status).toBe(200);
    expect(paused.body.order).toEqual(['libretranslate', 'apertium', 'azure']);
    expect(paused.body.pair_chains).toEqual({ 'ru-uk': ['apertium', 'libretranslate'] });
    const lt = paused.body.providers.find((p: { name: string }) => p.name === 'libretranslate');
    expect(lt).toMatchObject({ status: 'paused', reason: expect.stringMatching(/quota/u), limits: { concurrency: 1, maxWaitSeconds: 5 } });
    expect(Date.parse(lt.paused_until)).toBeGreaterThan(Date.now());
    expect((await fetch(`${system.intakeUrl}/v1/translation/providers`)).status).toBe(401);

    // The pause runs out: the provider is used again and its row is reset on that success.
    await system.db.query(`UPDATE translation_provider_status SET paused_until = now() - interval '1 second' WHERE provider = 'libretranslate'`);
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:status:1', ['Министр ответила на вопросы журналистов.']), 'application/json');
    const v = (await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string)).versions[0]!;
    expect(v.translations[0]).toMatchObject({ status: 'done', provider: 'libretranslate' });
    const [row] = await system.db.query(`SELECT status, paused_until FROM translation_provider_status WHERE provider = 'libretranslate'`);
    expect(row).toEqual({ status: 'active', paused_until: null });
    const active = await api(system, partner, 'GET', '/v1/translation/providers');
    expect(active.body.providers.find((p: { name: string }) => p.name === 'libretranslate')).toMatchObject({ status: 'active', paused_until: null });
  }, 60_000);

  describe('glossary API', () => {
    const P1 = 'Ранее Госдепартамент объявил о конференции по минералам.';
    const P2 = 'Встреча прошла в Вашингтоне в пятницу.';

    it('manages the partner terms, refusing bad input with stable codes', async () => {
      const partner = await createPartner(system.db, 'glapi');
      const other = await createPartner(system.db, 'glother');
      const put = await api(system, partner, 'PUT', '/v1/glossary/ru/en', { terms: [{ term: 'Госдепартамент', translation: 'State Department' }, { term: 'Батмөнх', translation: 'Batmunkh' }] });
      expect(put.status).toBe(200);
      expect(put.body.terms.map((t: { term: string }) => t.term)).toEqual(['Батмөнх', 'Госдепартамент']);
      const one = await api(system, partner, 'PUT', `/v1/glossary/ru/en/${encodeURIComponent('МИД Монголии')}`, { translation: 'Mongolian Foreign Ministry' });
      expect(one.status).toBe(201);
      expect(one.body).toMatchObject({ source_language: 'ru', target_language: 'en', term: 'МИД Монголии', translation: 'Mongolian Foreign Ministry' });
      expect((await api(system, partner, 'PUT', `/v1/glossary/ru/en/${encodeURIComponent('мид монголии')}`, { translation: 'Foreign Ministry of Mongolia' })).status).toBe(200);
      const list = await api(system, partner, 'GET', '/v1/glossary?source=ru&target=en');
      expect(list.body.terms).toHaveLength(3);
      expect(list.body.terms.find((t: { term: string }) => t.term === 'мид монголии').translation).toBe('Foreign Ministry of Mongolia');
      expect((await api(system, other, 'GET', '/v1/glossary')).body.terms).toEqual([]);

      const badLang = await api(system, partner, 'PUT', '/v1/glossary/ru/xx', { terms: [] });
      expect(badLang).toMatchObject({ status: 400, body: { code: 'unsupported_language', errors: [{ pointer: '/path/target' }] } });
      const badBody = await api(system, partner, 'PUT', '/v1/glossary/ru/en', { terms: [{ term: '', translation: 'x' }] });
      expect(badBody).toMatchObject({ status: 422, body: { code: 'invalid_glossary', errors: [{ pointer: '/terms/0/term' }] } });
      const dup = await api(system, partner, 'PUT', '/v1/glossary/ru/en', { terms: [{ term: 'США', translation: 'US' }, { term: 'сша', translation: 'USA' }] });
      expect(dup).toMatchObject({ status: 422, body: { code: 'duplicate_term' } });
      const notJson = await fetch(`${system.intakeUrl}/v1/glossary/ru/en`, { method: 'PUT', headers: { authorization: `Bearer ${partner.apiKey}` }, body: 'terms=1' });
      expect(notJson.status).toBe(400);
      expect(notJson.headers.get('content-type')).toMatch(/problem\+json/u);
      expect((await api(system, partner, 'DELETE', `/v1/glossary/ru/en/${encodeURIComponent('Нет такого')}`)).body).toMatchObject({ code: 'glossary_term_not_found' });
      expect((await api(system, partner, 'DELETE', `/v1/glossary/ru/en/${encodeURIComponent('ГОСДЕПАРТАМЕНТ')}`)).status).toBe(204);
      expect((await api(system, partner, 'GET', '/v1/glossary')).body.terms).toHaveLength(2);
      expect((await api(system, partner, 'DELETE', '/v1/glossary/ru/en')).status).toBe(204);
      expect((await api(system, partner, 'GET', '/v1/glossary')).body.terms).toEqual([]);
    }, 30_000);

    it('enforces a term added through the API on the next story; the memory never serves the pre-glossary translation', async () => {
      const partner = await createPartner(system.db, 'glstory');
      await createRoutedChannel(system.db, partner, 'feed', { title: 'en' }, ['en'], { translationProviders: ['libretranslate'] });
      const push = async (uri: string) => {
        const p = await pushStory(system.intakeUrl, partner.apiKey, ninjs(uri, [P1, P2]), 'application/json');
        const v = (await waitSettled(system.intakeUrl, partner.apiKey, p.body['id'] as string)).versions[0]!;
        return v.translations.find((t) => t.language === 'en')!;
      };
      const before = await push('urn:gl:1');
      expect(before.paragraphs![0]).toBe(`[en] ${P1}`);

      libre.reset();
      expect((await api(system, partner, 'PUT', `/v1/glossary/ru/en/${encodeURIComponent('Госдепартамент')}`, { translation: 'State Department' })).status).toBe(201);
      const withTerm = await push('urn:gl:2');
      expect(withTerm.paragraphs![0]).toBe('[en] Ранее State Department объявил о конференции по минералам.');
      // Only the paragraph with the term went to the engine again (as a placeholder); the rest came from memory.
      expect(libre.translations.flatMap((t) => t.texts)).toEqual(['Ранее ⟦0⟧ объявил о конференции по минералам.']);
      expect(withTerm.paragraphs![1]).toBe(before.paragraphs![1]);

      libre.reset();
      await api(system, partner, 'PUT', `/v1/glossary/ru/en/${encodeURIComponent('Госдепартамент')}`, { translation: 'US State Department' });
      const changed = await push('urn:gl:3');
      expect(changed.paragraphs![0]).toBe('[en] Ранее US State Department объявил о конференции по минералам.');
      expect(libre.translations).toEqual([]); // the memory's entry holds the placeholder, not the old term
      expect(changed.chars_sent).toBe(0);

      await api(system, partner, 'DELETE', `/v1/glossary/ru/en/${encodeURIComponent('Госдепартамент')}`);
      const removed = await push('urn:gl:4');
      expect(removed.paragraphs![0]).toBe(`[en] ${P1}`);
    }, 60_000);
  });

  describe('per-route language policy', () => {
    it("source_first: the source goes out at once, the translation when it is ready", async () => {
      const partner = await createPartner(system.db, 'srcfirst');
      await createRoutedChannel(system.db, partner, 'feed', { title: 'both' }, ['source', 'en'], { translationProviders: ['libretranslate'], translationPolicy: 'source_first' });
      libre.delayNext(3000);
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:sf:1', ['Министр провела переговоры с коллегой.']), 'application/json');
      const id = pushed.body['id'] as string;
      const early = await waitFor(system.intakeUrl, partner.apiKey, id, 'source delivered', (s) => delivery(s, 'ru')?.status === 'delivered', 10_000);
      expect(delivery(early, 'en')).toMatchObject({ status: 'waiting', last_error: 'translation source first; published when ready' });
      expect(early.settled).toBe(false);
      const done = await waitSettled(system.intakeUrl, partner.apiKey, id);
      expect(delivery(done, 'en')).toMatchObject({ status: 'delivered' });
      expect(Date.parse(delivery(done, 'en')!.delivered_at!) - Date.parse(delivery(done, 'ru')!.delivered_at!)).toBeGreaterThanOrEqual(1500);
    }, 30_000);

    it('wait N: a provider that never answers in time holds the route N seconds, then the source goes out and the translation follows', async () => {
      const partner = await createPartner(system.db, 'waitn');
      await createRoutedChannel(system.db, partner, 'feed', { title: 'both' }, ['source', 'en'], { translationProviders: ['libretranslate'], translationWaitSeconds: 2 });
      // Rate-limited again and again: waiting costs no attempt, so without the policy this story would wait for ever.
      libre.failNext(...Array.from({ length: 50 }, () => libre.rateLimited(1)));
      const started = Date.now();
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:wn:1', ['Министр завершила визит в столицу.']), 'application/json');
      const id = pushed.body['id'] as string;
      const held = await waitFor(system.intakeUrl, partner.apiKey, id, 'source delivered', (s) => delivery(s, 'ru')?.status === 'delivered', 15_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(['pending', 'running']).toContain(held.versions[0]!.stages['translate']);
      expect(delivery(held, 'en')).toMatchObject({ status: 'waiting', last_error: 'translation not ready after 2 s; published when ready' });
      const route = held.versions[0]!.timeline.filter((e) => e.stage === 'route');
      expect(route[0]).toMatchObject({ status: 'done', detail: { deliveries: 1, waiting: 1 } });

      libre.reset(); // the engine recovers
      const done = await waitSettled(system.intakeUrl, partner.apiKey, id);
      expect(delivery(done, 'en')).toMatchObject({ status: 'delivered' });
      expect(done.versions[0]!.translations[0]).toMatchObject({ language: 'en', status: 'done', provider: 'libretranslate' });
    }, 40_000);

    it('wait N: a translation that fails for good after the release is skipped with its reason, and the version closes', async () => {
      const partner = await createPartner(system.db, 'waitfail');
      await createRoutedChannel(system.db, partner, 'feed', { title: 'both' }, ['source', 'en'], { translationProviders: ['libretranslate'], translationWaitSeconds: 1 });
      libre.failNext(...Array.from({ length: 3 }, () => libre.rateLimited(2)), { status: 400, body: { error: 'Invalid request: text too long' } });
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:wf:1', ['Министр вернулась домой.']), 'application/json');
      const done = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string, 30_000);
      expect(delivery(done, 'ru')).toMatchObject({ status: 'delivered' });
      expect(delivery(done, 'en')!.status).toBe('skipped');
      expect(delivery(done, 'en')!.last_error).toMatch(/^translation failed: libretranslate: .*HTTP 400 Invalid request/u);
      expect(done.versions[0]!.stage).toBe('done');
      expect(Date.parse(delivery(done, 'ru')!.delivered_at!)).toBeLessThan(Date.parse(done.versions[0]!.received_at) + 5000);
    }, 40_000);

    it('wait (default): a quick translation goes out together with the source', async () => {
      const partner = await createPartner(system.db, 'waitdefault');
      await createRoutedChannel(system.db, partner, 'feed', { title: 'both' }, ['source', 'en'], { translationProviders: ['libretranslate'] });
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:wd:1', ['Министр дала интервью.']), 'application/json');
      const done = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
      expect(done.versions[0]!.deliveries.map((d) => [d.language, d.status])).toEqual([
        ['en', 'delivered'],
        ['ru', 'delivered'],
      ]);
      const routes = done.versions[0]!.timeline.filter((e) => e.stage === 'route');
      expect(routes).toHaveLength(1);
      expect(routes[0]!.detail).toMatchObject({ deliveries: 2, waiting: 0 });
    }, 30_000);
  });
});

async function cooldownKey(system: RunningSystem, provider: string): Promise<{ redis: Redis; key: string }> {
  return { redis: new IORedis(system.config.redis.url), key: `${system.prefix}:translation-limit:${provider}:cooldown` };
}

async function ttl(system: RunningSystem, provider: string): Promise<number> {
  const { redis, key } = await cooldownKey(system, provider);
  try {
    return await redis.pttl(key);
  } finally {
    redis.disconnect();
  }
}

async function clearCooldown(system: RunningSystem, provider: string): Promise<void> {
  const { redis, key } = await cooldownKey(system, provider);
  try {
    await redis.del(key);
  } finally {
    redis.disconnect();
  }
}
