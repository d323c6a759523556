/**
 * Intake refuses bad input with RFC 9457 problem+json naming the field, and writes nothing:
 * no story, no version, no outbox row.
 */
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, getStory, pushStory, type TestPartner } from '../support/fixtures';

describe('intake: rejections are problem+json and write nothing', () => {
  let system: RunningSystem;
  let partner: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    partner = await createPartner(system.db, 'bad');
  }, 30_000);
  afterAll(() => system?.stop());

  async function counts(): Promise<number[]> {
    const [r] = await system.db.query(
      `SELECT (SELECT count(*) FROM story s WHERE s.partner_id = $1)::int AS stories,
              (SELECT count(*) FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1)::int AS versions,
              (SELECT count(*) FROM outbox)::int AS outbox`,
      [partner.id],
    );
    return [r.stories, r.versions, r.outbox];
  }

  const ninjs = (over: Record<string, unknown>) =>
    JSON.stringify({ uri: 'urn:test:1', version: '1', headline: 'A headline', body_text: 'A body paragraph.', language: 'en', ...over });

  const cases: Array<{ name: string; body: string | Buffer; type?: string; auth?: string | null; status: number; code: string; pointer?: string }> = [
    { name: 'no credentials', body: 'x', auth: null, status: 401, code: 'missing_credentials' },
    { name: 'unknown key', body: 'x', auth: 'Bearer nosuchkey.secret', status: 401, code: 'invalid_credentials' },
    { name: 'malformed key', body: 'x', auth: 'Basic abc', status: 401, code: 'invalid_credentials' },
    { name: 'unsupported media type', body: 'GIF89a', type: 'image/gif', status: 415, code: 'unsupported_media_type' },
    { name: 'non-UTF-8 charset', body: 'x', type: 'text/plain; charset=iso-8859-1', status: 415, code: 'unsupported_charset' },
    { name: 'invalid UTF-8 bytes', body: Buffer.from([0x64, 0x61, 0xff, 0xfe, 0x0a]), status: 400, code: 'invalid_encoding' },
    { name: 'empty body', body: '', status: 400, code: 'empty_body' },
    { name: 'headline only', body: 'date 2026-02-07 Just a headline\n', status: 422, code: 'missing_field', pointer: '/body' },
    { name: 'malformed JSON', body: '{"uri": "x",}', type: 'application/json', status: 400, code: 'malformed_json' },
    { name: 'ninjs without uri', body: ninjs({ uri: undefined }), type: 'application/ninjs+json', status: 422, code: 'missing_field', pointer: '/uri' },
    { name: 'ninjs without headline', body: ninjs({ headline: undefined }), type: 'application/json', status: 422, code: 'missing_field', pointer: '/headline' },
    { name: 'ninjs headline too long', body: ninjs({ headline: 'h'.repeat(600) }), type: 'application/json', status: 422, code: 'too_long', pointer: '/headline' },
    { name: 'ninjs version not a string (IPTC schema)', body: ninjs({ version: 2 }), type: 'application/json', status: 422, code: 'schema_violation', pointer: '/version' },
    { name: 'headline with CR/LF header injection', body: ninjs({ headline: 'Hi\r\nBcc: x@evil' }), type: 'application/json', status: 422, code: 'control_characters', pointer: '/headline' },
    { name: 'bidi override in headline', body: ninjs({ headline: 'abc\u202edef' }), type: 'application/json', status: 422, code: 'disallowed_characters', pointer: '/headline' },
    { name: 'body over 1 MB', body: Buffer.alloc(1_100_000, 0x61), status: 413, code: 'payload_too_large' },
  ];

  it.each(cases)('$name -> $status $code', async (c) => {
    const before = await counts();
    const res = await fetch(`${system.intakeUrl}/v1/stories`, {
      method: 'POST',
      headers: {
        'content-type': c.type ?? 'text/plain; charset=utf-8',
        ...(c.auth === null ? {} : { authorization: c.auth ?? `Bearer ${partner.apiKey}` }),
      },
      body: c.body,
    });
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { type: string; status: number; code: string; errors?: Array<{ pointer: string }> };
    expect(problem.status).toBe(c.status);
    expect(problem.code).toBe(c.code);
    expect(problem.type).toMatch(new RegExp(`/${c.code}$`));
    if (c.pointer) expect(problem.errors?.map((e) => e.pointer)).toContain(c.pointer);
    if (c.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await counts()).toEqual(before);
  });

  it('accepts ninjs, refuses the same version with a different body, and a stale version', async () => {
    const v2 = await pushStory(system.intakeUrl, partner.apiKey, ninjs({ uri: 'urn:test:versions', version: '2' }), 'application/ninjs+json');
    expect(v2.status).toBe(202);
    const conflict = await pushStory(system.intakeUrl, partner.apiKey, ninjs({ uri: 'urn:test:versions', version: '2', headline: 'Changed' }), 'application/json');
    expect(conflict.status).toBe(409);
    expect(conflict.body['code']).toBe('version_conflict');
    const stale = await pushStory(system.intakeUrl, partner.apiKey, ninjs({ uri: 'urn:test:versions', version: '1' }), 'application/json');
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('stale_version');
    const v3 = await pushStory(system.intakeUrl, partner.apiKey, ninjs({ uri: 'urn:test:versions', version: '3', headline: 'Update' }), 'application/json');
    expect(v3.status).toBe(202);
    expect(v3.body['id']).toBe(v2.body['id']);
    const story = await getStory(system.intakeUrl, partner.apiKey, v2.body['id'] as string);
    expect(story.body.versions.map((v) => [v.version, v.headline])).toEqual([
      [3, 'Update'],
      [2, 'A headline'],
    ]);
  });

  it('hides other partners\' stories (404, same as missing)', async () => {
    const other = await createPartner(system.db, 'other');
    const mine = await pushStory(system.intakeUrl, partner.apiKey, ninjs({ uri: 'urn:test:private' }), 'application/json');
    expect(mine.status).toBe(202);
    const theirs = await getStory(system.intakeUrl, other.apiKey, mine.body['id'] as string);
    expect(theirs.status).toBe(404);
    expect(await getStory(system.intakeUrl, other.apiKey, '00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404 });
  });

  it('makes one story out of 20 concurrent identical pushes', async () => {
    const body = ninjs({ uri: 'urn:test:concurrent', headline: 'Concurrent' });
    const results = await Promise.all(Array.from({ length: 20 }, () => pushStory(system.intakeUrl, partner.apiKey, body, 'application/json')));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body['id'])).size).toBe(1);
    const [row] = await system.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'versionId' = $1`,
      [results[0]!.body['version_id']],
    );
    expect(row.n).toBe(2); // one translate + one tag job, not 40
  });
});
