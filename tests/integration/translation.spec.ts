/**
 * The translate stage against the real Apertium APy and a fake hosted engine speaking
 * LibreTranslate's protocol: real stories translated ru->uk and en->es, glossary terms enforced,
 * a correction re-translating only its changed paragraph (translation memory), cost recorded,
 * fallback on untranslated output, quota pauses and Retry-After.
 */
import { readFileSync } from 'node:fs';
import { startFakeEngine, type FakeEngine } from '@syndication/testing';
import { SEED_FILE } from '../support/env';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

const RU_PARAGRAPHS = [
  'Глава МИД Монголии Батцэцэг Батмөнх приняла участие во встрече в Вашингтоне.',
  'Ранее Госдепартамент объявил о конференции по критически важным минералам.',
  'Встреча собрала представителей 55 стран, сообщает https://example.org/news.',
  'Министр ответила на вопросы журналистов, среди них @centralasiamedia.',
];

function ninjs(uri: string, version: number, paragraphs: string[], language = 'ru', headline = 'Монголия и США обсудили минералы'): string {
  return JSON.stringify({ uri, version: String(version), headline, body_text: paragraphs.join('\n\n'), language });
}

async function addGlossary(system: RunningSystem, partner: TestPartner | null, target: string, entries: Array<[string, string]>): Promise<void> {
  for (const [term, translation] of entries) {
    await system.db.query(
      'INSERT INTO glossary_term (partner_id, source_language, target_language, term, translation) VALUES ($1, $2, $3, $4, $5)',
      [partner?.id ?? null, 'ru', target, term, translation],
    );
  }
}

describe('translation through the real Apertium APy', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);
  afterAll(() => system?.stop());

  it('translates the seed story ru->uk paragraph by paragraph, with the partner glossary enforced', async () => {
    const partner = await createPartner(system.db, 'seeduk');
    const feed = await createRoutedChannel(system.db, partner, 'feed', { title: 'uk' }, ['uk']);
    await addGlossary(system, partner, 'uk', [['Батцэцэг Батмөнх', 'Батцецег Батмунх']]);
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, readFileSync(SEED_FILE));
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
    const v = view.versions[0]!;
    const uk = v.translations.find((t) => t.language === 'uk')!;
    expect(uk).toMatchObject({ status: 'done', provider: 'apertium', machine: true });
    expect(uk.paragraphs).toHaveLength(v.paragraphs.length);
    expect(uk.paragraphs!.join('\n')).toContain('Батцецег Батмунх');
    expect(uk.paragraphs!.join('\n')).not.toContain('Батцэцэг Батмөнх');
    // Other specs may have translated the seed already: its paragraphs then come from the memory.
    expect(uk.chars_sent + uk.chars_reused).toBeGreaterThan(1000);
    // Ukrainian, not the Russian source: letters Russian does not have.
    expect(uk.paragraphs!.join(' ')).toMatch(/[іїєґ]/u);
    const rss = await (await fetch(`${system.feedUrl}/feeds/${feed.slug}.rss`)).text();
    expect(rss).toContain('Батцецег Батмунх');
  }, 60_000);

  it('translates an English story into Spanish and reuses the memory on a re-run', async () => {
    const partner = await createPartner(system.db, 'enes');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'es' }, ['es']);
    const paragraphs = ['The foreign minister of Mongolia met the Secretary of State in Washington.', 'The talks covered critical minerals and supply chains.'];
    const first = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:enes:1', 1, paragraphs, 'en', 'Mongolia signs a minerals deal'), 'application/json');
    const v1 = (await waitSettled(system.intakeUrl, partner.apiKey, first.body['id'] as string)).versions[0]!;
    const es = v1.translations.find((t) => t.language === 'es')!;
    expect(es).toMatchObject({ status: 'done', provider: 'apertium', machine: true });
    expect(es.headline).toMatch(/Mongolia/u);
    expect(es.paragraphs!.join(' ')).toMatch(/\b(el|la|los|las|de)\b/u);
    // The same text from another story: everything comes from the translation memory.
    const again = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:enes:2', 1, paragraphs, 'en', 'Mongolia signs a minerals deal'), 'application/json');
    const v2 = (await waitSettled(system.intakeUrl, partner.apiKey, again.body['id'] as string)).versions[0]!;
    const es2 = v2.translations.find((t) => t.language === 'es')!;
    expect(es2).toMatchObject({ chars_sent: 0, chars_reused: es.chars_sent, paragraphs: es.paragraphs, headline: es.headline });
  }, 60_000);
});

describe('translation with a hosted engine (fake LibreTranslate) before Apertium', () => {
  let system: RunningSystem;
  let engine: FakeEngine;
  beforeAll(async () => {
    engine = await startFakeEngine('libretranslate', {
      languages: ['ru', 'en', 'uk', 'es'],
      // Hands Ukrainian back untranslated, which the stage must catch and send to Apertium.
      translate: (text, _source, target) => (target === 'uk' ? text : `[${target}] ${text}`),
    });
    system = await startSystem({
      env: { TRANSLATION_PROVIDERS: 'libretranslate,apertium', LIBRETRANSLATE_URL: engine.url, LIBRETRANSLATE_API_KEY: 'test-key', JOB_ATTEMPTS: '2' },
    });
  }, 60_000);
  afterAll(async () => {
    await system?.stop();
    await engine?.stop();
  });
  beforeEach(() => engine.reset());

  it('sends only the changed paragraph of a correction, records chars sent vs reused, and publishes the corrected translation', async () => {
    const partner = await createPartner(system.db, 'tm');
    const feed = await createRoutedChannel(system.db, partner, 'feed', { title: 'en' }, ['en']);
    await addGlossary(system, partner, 'en', [
      ['Батцэцэг Батмөнх', 'Battsetseg Batmunkh'],
      ['Госдепартамент', 'State Department'],
    ]);
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:tm:1', 1, RU_PARAGRAPHS), 'application/json');
    const id = v1.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(engine.translations).toHaveLength(1);
    expect(engine.translations[0]!.texts).toHaveLength(5); // headline + 4 paragraphs, one call
    const sent = engine.translations[0]!.texts.join('\n');
    // Glossary terms, URLs and handles never reach the engine; placeholders do.
    expect(sent).not.toMatch(/Батцэцэг|Госдепартамент|example\.org|@centralasiamedia/u);

    engine.reset();
    const changed = [...RU_PARAGRAPHS];
    changed[2] = 'Встреча собрала представителей 57 стран, уточняет https://example.org/news.';
    const v2 = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:tm:1', 2, changed), 'application/json');
    expect(v2.status).toBe(202);
    const view = await waitSettled(system.intakeUrl, partner.apiKey, id);
    expect(engine.translations).toHaveLength(1);
    expect(engine.translations[0]!.texts).toEqual(['Встреча собрала представителей 57 стран, уточняет ⟦0⟧.']);

    const latest = view.versions.find((v) => v.version === 2)!;
    const en = latest.translations.find((t) => t.language === 'en')!;
    expect(en).toMatchObject({ status: 'done', provider: 'libretranslate', machine: true });
    expect(en.paragraphs).toEqual([
      '[en] Глава МИД Монголии Battsetseg Batmunkh приняла участие во встрече в Вашингтоне.',
      '[en] Ранее State Department объявил о конференции по критически важным минералам.',
      '[en] Встреча собрала представителей 57 стран, уточняет https://example.org/news.',
      '[en] Министр ответила на вопросы журналистов, среди них @centralasiamedia.',
    ]);
    const cost: Array<{ version: number; segments_sent: number; segments_reused: number; chars_sent: number; chars_reused: number }> = await system.db.query(
      `SELECT v.version, t.segments_sent, t.segments_reused, t.chars_sent, t.chars_reused
         FROM translation t JOIN story_version v ON v.id = t.story_version_id WHERE v.story_id = $1 ORDER BY v.version`,
      [id],
    );
    expect(cost.map((c) => [c.version, c.segments_sent, c.segments_reused])).toEqual([
      [1, 5, 0],
      [2, 1, 4],
    ]);
    expect(cost[1]!.chars_sent).toBe('Встреча собрала представителей 57 стран, уточняет ⟦0⟧.'.length);
    expect(cost[1]!.chars_sent + cost[1]!.chars_reused).toBe(cost[0]!.chars_sent - 'Встреча собрала представителей 55 стран, сообщает ⟦0⟧.'.length + cost[1]!.chars_sent);
    const [total] = await system.db.query(
      'SELECT chars_sent::int, chars_reused::int FROM translation_cost WHERE partner_id = $1 AND provider = $2',
      [partner.id, 'libretranslate'],
    );
    expect(total).toEqual({ chars_sent: cost[0]!.chars_sent + cost[1]!.chars_sent, chars_reused: cost[1]!.chars_reused });
    const rss = await (await fetch(`${system.feedUrl}/feeds/${feed.slug}.rss`)).text();
    expect(rss).toContain('57 стран');
  }, 60_000);

  it('falls back to Apertium when the preferred engine hands the text back untranslated', async () => {
    const partner = await createPartner(system.db, 'fallback');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'uk' }, ['uk']);
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:fb:1', 1, RU_PARAGRAPHS.slice(0, 2)), 'application/json');
    const v = (await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string)).versions[0]!;
    expect(engine.translations.map((t) => t.targets)).toEqual([['uk']]);
    expect(v.translations[0]).toMatchObject({ language: 'uk', status: 'done', provider: 'apertium' });
    const [row] = await system.db.query('SELECT attempts FROM translation WHERE story_version_id = $1', [v.id]);
    expect(row.attempts).toEqual([
      { provider: 'libretranslate', outcome: 'untranslated' },
      { provider: 'apertium', outcome: 'done' },
    ]);
  }, 60_000);

  it('waits out a 429 Retry-After without spending attempts', async () => {
    const partner = await createPartner(system.db, 'ratelimit');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'en' }, ['en']);
    // ru->en has no Apertium pair: the hosted engine is the whole chain. JOB_ATTEMPTS is 2.
    engine.failNext(engine.rateLimited(1), engine.rateLimited(1));
    const started = Date.now();
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:rl:1', 1, ['Короткий текст о встрече министров.']), 'application/json');
    const v = (await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string)).versions[0]!;
    expect(v.translations[0]).toMatchObject({ language: 'en', status: 'done', provider: 'libretranslate' });
    expect(engine.calls.filter((c) => c.path === '/translate')).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  }, 60_000);

  it('pauses an engine whose quota is spent, visibly, and translates with the fallback meanwhile', async () => {
    const partner = await createPartner(system.db, 'quota');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'es' }, ['es']);
    engine.failNext(engine.quotaExceeded());
    const first = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:q:1', 1, ['The minister met the delegation in Washington today.'], 'en', 'Minister meets delegation'), 'application/json');
    const v1 = (await waitSettled(system.intakeUrl, partner.apiKey, first.body['id'] as string)).versions[0]!;
    expect(v1.translations[0]).toMatchObject({ language: 'es', status: 'done', provider: 'apertium' });
    const [status] = await system.db.query(
      `SELECT status, reason, paused_until > now() AS paused FROM translation_provider_status WHERE provider = 'libretranslate'`,
    );
    expect(status).toMatchObject({ status: 'paused', paused: true });
    expect(status.reason).toMatch(/quota/iu);
    const second = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:q:2', 1, ['Another story about the talks in the capital.'], 'en', 'Talks continue'), 'application/json');
    const v2 = (await waitSettled(system.intakeUrl, partner.apiKey, second.body['id'] as string)).versions[0]!;
    expect(v2.translations[0]).toMatchObject({ status: 'done', provider: 'apertium' });
    expect(engine.calls.filter((c) => c.path === '/translate')).toHaveLength(1); // only the quota answer
    await system.db.query(`DELETE FROM translation_provider_status WHERE provider = 'libretranslate'`);
  }, 60_000);
});
