/**
 * Stories out as IPTC ninjs: the latest version (or a translation) validates against the vendored
 * IPTC schema of the version asked for, checked here with ajv independently of the product's own
 * validator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled, type TestPartner } from '../support/fixtures';
import { SEED_FILE } from '../support/env';

const SCHEMAS = join(__dirname, '..', '..', 'libs', 'formats', 'schemas', 'ninjs');
const schema = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;

function iptcValidator(version: '2.1' | '3.0') {
  const { $schema: _s, ...geo } = schema('geojson-schema.json');
  // IPTC's runner treats `format` as an annotation; strict off for IPTC's own annotation keys.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true });
  ajv.addSchema({ ...geo, $id: 'https://geojson.org/schema/GeoJSON.json' });
  return ajv.compile(schema(`ninjs-schema_${version}.json`));
}

describe('GET /v1/stories/:id as ninjs', () => {
  let system: RunningSystem;
  let partner: TestPartner;
  let seedId: string;
  let ninjsId: string;
  const validators = { '2.1': iptcValidator('2.1'), '3.0': iptcValidator('3.0') };

  beforeAll(async () => {
    system = await startSystem();
    partner = await createPartner(system.db, 'ninjs-out');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'ninjs out' }, ['source', 'uk']);
    const seed = await pushStory(system.intakeUrl, partner.apiKey, readFileSync(SEED_FILE));
    seedId = seed.body['id'] as string;
    const doc = {
      uri: 'urn:ninjs-out:1',
      version: '4',
      type: 'text',
      language: 'en',
      firstCreated: '2026-02-07T08:00:00Z',
      versionCreated: '2026-02-07T09:30:00Z',
      urgency: 3,
      headlines: [{ value: 'Mongolia signs a minerals deal in Washington' }],
      bodies: [{ contentType: 'text/html', value: '<p>The foreign minister of Mongolia met the US Secretary of State in Washington.</p><p>The talks covered critical minerals.</p>' }],
      subjects: [{ name: 'economy', uri: 'http://cv.iptc.org/newscodes/mediatopic/04000000' }],
      copyrightHolder: 'Test Agency',
    };
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, JSON.stringify(doc), 'application/ninjs+json; version=3.0');
    expect(pushed.status).toBe(202);
    ninjsId = pushed.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, seedId, 60_000);
    await waitSettled(system.intakeUrl, partner.apiKey, ninjsId, 60_000);
  }, 120_000);
  afterAll(() => system?.stop());

  async function fetchNinjs(id: string, query: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${system.intakeUrl}/v1/stories/${id}${query}`, { headers: { authorization: `Bearer ${partner.apiKey}`, ...headers } });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  }

  const cases: Array<{ name: string; query: string; headers?: Record<string, string>; version: '2.1' | '3.0' }> = [
    { name: 'default version', query: '?format=ninjs', version: '2.1' },
    { name: '2.1 by query', query: '?format=ninjs&version=2.1', version: '2.1' },
    { name: '3.0 by query', query: '?format=ninjs&version=3.0', version: '3.0' },
    { name: '3.0 by Accept', query: '', headers: { accept: 'application/ninjs+json; version=3.0' }, version: '3.0' },
  ];

  it.each(cases)('seed and ninjs stories validate: $name', async (c) => {
    for (const id of [seedId, ninjsId]) {
      const res = await fetchNinjs(id, c.query, c.headers);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^application\/ninjs\+json;/);
      expect(res.type).toContain(`version=${c.version}`);
      const validate = validators[c.version];
      validate(res.body);
      expect(validate.errors ?? []).toEqual([]);
      expect(res.body['standard']).toMatchObject({ name: 'ninjs', version: c.version });
      expect(typeof res.body['version']).toBe('string');
    }
  });

  it('maps the seed: Russian text, both bodies, medtop subjects and Wikidata entities', async () => {
    const { body } = await fetchNinjs(seedId, '?format=ninjs&version=2.1');
    expect(body).toMatchObject({ type: 'text', version: '1', pubstatus: 'usable', language: 'ru' });
    expect(typeof body['versioncreated']).toBe('string');
    expect(typeof body['firstcreated']).toBe('string');
    expect((body['headlines'] as Array<{ value: string }>)[0]!.value).toMatch(/[а-я]/i);
    const bodies = body['bodies'] as Array<{ contenttype: string; value: string }>;
    expect(bodies.map((b) => b.contenttype).sort()).toEqual(['text/html', 'text/plain']);
    const subjects = body['subjects'] as Array<{ uri?: string }>;
    expect(subjects.some((s) => s.uri?.startsWith('http://cv.iptc.org/newscodes/mediatopic/'))).toBe(true);
    const entities = ['people', 'organisations', 'places'].flatMap((k) => (body[k] as Array<{ uri?: string }> | undefined) ?? []);
    expect(entities.some((e) => /^http:\/\/www\.wikidata\.org\/entity\/Q\d+$/.test(e.uri ?? ''))).toBe(true);
    expect(entities.every((e) => e.uri === undefined || /^http:\/\/www\.wikidata\.org\/entity\/Q\d+$/.test(e.uri))).toBe(true);
  });

  it('keeps the ninjs story\'s own fields (3.0 names)', async () => {
    const { body } = await fetchNinjs(ninjsId, '?format=ninjs&version=3.0');
    expect(body).toMatchObject({
      uri: 'urn:ninjs-out:1',
      version: '4',
      language: 'en',
      firstCreated: '2026-02-07T08:00:00.000Z',
      versionCreated: '2026-02-07T09:30:00.000Z',
      urgency: 3,
      copyrightHolder: 'Test Agency',
      headlines: [{ role: 'main', value: 'Mongolia signs a minerals deal in Washington' }],
    });
  });

  it('returns a translation with ?language=uk, and 404 for a language it does not have', async () => {
    const uk = await fetchNinjs(seedId, '?format=ninjs&version=3.0&language=uk');
    expect(uk.status).toBe(200);
    validators['3.0'](uk.body);
    expect(validators['3.0'].errors ?? []).toEqual([]);
    expect(uk.body['language']).toBe('uk');
    const ru = await fetchNinjs(seedId, '?format=ninjs');
    expect((uk.body['headlines'] as Array<{ value: string }>)[0]!.value).not.toBe((ru.body['headlines'] as Array<{ value: string }>)[0]!.value);
    const none = await fetchNinjs(seedId, '?format=ninjs&language=kk');
    expect(none.status).toBe(404);
    expect(none.body['code']).toBe('translation_not_found');
  });

  it('refuses an unsupported version with problem+json listing the supported ones', async () => {
    for (const [query, headers] of [['?format=ninjs&version=1.6', {}], ['', { accept: 'application/ninjs+json; version=9.9' }]] as const) {
      const res = await fetchNinjs(seedId, query, headers);
      expect(res.status).toBe(406);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body['code']).toBe('unsupported_ninjs_version');
      expect(res.body['detail']).toContain('2.1, 3.0');
    }
  });

  it('still answers the JSON status view by default', async () => {
    const res = await fetchNinjs(seedId, '');
    expect(res.status).toBe(200);
    expect(res.body['id']).toBe(seedId);
  });
});
