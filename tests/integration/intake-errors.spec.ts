/**
 * Intake refuses bad input with RFC 9457 problem+json naming the field, and writes nothing:
 * no story, no version, no outbox row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    { name: 'unknown charset', body: 'x', type: 'text/plain; charset=x-no-such-charset', status: 415, code: 'unsupported_charset' },
    { name: 'UTF-7 charset', body: 'x', type: 'text/plain; charset=utf-7', status: 415, code: 'unsupported_charset' },
    { name: 'invalid UTF-8 bytes', body: Buffer.from([0x64, 0x61, 0xff, 0xfe, 0x0a]), status: 400, code: 'invalid_encoding' },
    { name: 'empty body', body: '', status: 400, code: 'empty_body' },
    { name: 'headline only', body: 'date 2026-02-07 Just a headline\n', status: 422, code: 'missing_field', pointer: '/body' },
    { name: 'malformed JSON', body: '{"uri": "x",}', type: 'application/json', status: 400, code: 'malformed_json' },
    { name: 'ninjs without uri', body: ninjs({ uri: undefined }), type: 'application/ninjs+json', status: 422, code: 'schema_violation', pointer: '/uri' },
    { name: 'ninjs headline not a string', body: ninjs({ headline: 7 }), type: 'application/json', status: 422, code: 'schema_violation', pointer: '/headline' },
    { name: 'ninjs headline too long', body: ninjs({ headline: 'h'.repeat(600) }), type: 'application/json', status: 422, code: 'too_long', pointer: '/headline' },
    { name: 'ninjs version not a string (IPTC schema)', body: ninjs({ version: 2 }), type: 'application/json', status: 422, code: 'schema_violation', pointer: '/version' },
    { name: 'headline with CR/LF header injection', body: ninjs({ headline: 'Hi\r\nBcc: x@evil' }), type: 'application/json', status: 422, code: 'control_characters', pointer: '/headline' },
    { name: 'bidi override in headline', body: ninjs({ headline: 'abc\u202edef' }), type: 'application/json', status: 422, code: 'disallowed_characters', pointer: '/headline' },
    { name: 'body over 1 MB', body: Buffer.alloc(1_100_000, 0x61), status: 413, code: 'payload_too_large' },
    // Bad-input corpus (reliability plan §4), intake cases.
    { name: 'B17 duplicate JSON keys', body: '{"uri":"u","headline":"a","headline":"<script>"}', type: 'application/json', status: 400, code: 'duplicate_key', pointer: '/headline' },
    { name: 'B18 __proto__ key', body: '{"uri":"u","__proto__":{"polluted":true}}', type: 'application/json', status: 400, code: 'unknown_field', pointer: '/__proto__' },
    { name: 'B12 JSON nested 10,000 deep', body: `{"uri":"u","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, type: 'application/json', status: 400, code: 'too_deep' },
    { name: 'B16 NaN in JSON', body: '{"uri":"u","urgency":NaN}', type: 'application/json', status: 400, code: 'malformed_json', pointer: '/urgency' },
    { name: 'ninjs schema violation (IPTC 3.0)', body: '{"uri":"u","urgency":"high"}', type: 'application/ninjs+json; version=3.0', status: 422, code: 'schema_violation', pointer: '/urgency' },
    { name: 'undeclared ninjs version', body: '{"uri":"u"}', type: 'application/ninjs+json; version=7.0', status: 415, code: 'unsupported_ninjs_version' },
    { name: 'B20 XXE file', body: '<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]><newsItem>&x;</newsItem>', type: 'application/xml', status: 400, code: 'doctype_forbidden' },
    { name: 'B22 billion laughs (sniffed)', body: '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>', type: 'application/octet-stream', status: 400, code: 'doctype_forbidden' },
    { name: 'B24 numeric char refs flood', body: `<r>${'&#65;'.repeat(60_000)}</r>`, type: 'text/xml', status: 400, code: 'too_many_char_refs' },
    { name: 'B25 XInclude', body: '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></r>', type: 'application/xml', status: 400, code: 'xinclude_forbidden' },
    { name: 'B26 not NewsML-G2 (missing itemMeta)', body: '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1"/>', type: 'application/vnd.iptc.g2.newsitem+xml', status: 422, code: 'schema_violation', pointer: '/newsItem/itemMeta' },
    { name: 'NewsML 1.x without a NewsItem', body: '<NewsML Version="1.2"><NewsEnvelope><DateAndTime>20240501T080000Z</DateAndTime></NewsEnvelope></NewsML>', type: 'text/xml', status: 422, code: 'missing_field', pointer: '/NewsML/NewsItem' },
    { name: 'B27 declared UTF-7', body: '<?xml version="1.0" encoding="UTF-7"?><newsItem/>', type: 'application/xml', status: 400, code: 'invalid_encoding' },
    { name: 'B27 UTF-16 without BOM', body: Buffer.from('<newsItem/>', 'utf16le'), type: 'application/xml', status: 400, code: 'invalid_encoding' },
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
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts a NewsML 1.2 document (Business Wire, IPTC example) sniffed from its root', async () => {
    const xml = readFileSync(join(__dirname, '..', '..', 'libs', 'formats', 'fixtures', 'newsml1', 'businesswire-newsml-20130731006140.xml'), 'utf8');
    const res = await pushStory(system.intakeUrl, partner.apiKey, xml, 'text/xml');
    expect(res.status).toBe(202);
    const story = await getStory(system.intakeUrl, partner.apiKey, res.body['id'] as string);
    expect(story.body.versions[0]!.canonical).toMatchObject({
      format: 'newsml1',
      externalId: 'urn:newsml:businesswire.com:20010714:20130731006140',
      version: 1,
      headline: 'Lunch Taking a Toll? Let Applebee’s® Industrial Strength Lunch Decoy Stand In',
      dateline: 'KANSAS CITY, Mo.',
    });
  });

  it('turns a news message into one story per item, in one response', async () => {
    const item = (guid: string, h: string) =>
      `<newsItem guid="${guid}" version="1"><itemMeta><itemClass qcode="ninat:text"/><versionCreated>2024-05-01T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta><contentMeta><language tag="en"/><subject qcode="medtop:15000000"><name>sport</name></subject><headline>${h}</headline></contentMeta><contentSet><inlineXML contenttype="application/nitf+xml"><nitf><body><body.content><p>The team won the match ${h}.</p></body.content></body></nitf></inlineXML></contentSet></newsItem>`;
    const msg = `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2024-05-01T10:00:00Z</sent></header><itemSet>${item('urn:msg:1', 'One')}${item('urn:msg:2', 'Two')}</itemSet></newsMessage>`;
    const res = await pushStory(system.intakeUrl, partner.apiKey, msg, 'application/vnd.iptc.g2.newsmessage+xml');
    expect(res.status).toBe(202);
    const items = res.body['items'] as Array<{ id: string; external_id: string; status: string }>;
    expect(items.map((i) => [i.external_id, i.status])).toEqual([['urn:msg:1', 'accepted'], ['urn:msg:2', 'accepted']]);
    const second = await getStory(system.intakeUrl, partner.apiKey, items[1]!.id);
    expect(second.body.versions[0]!.canonical).toMatchObject({ format: 'newsml-g2', headline: 'Two', subjects: [{ scheme: 'medtop', code: '15000000', name: 'sport' }] });
    const again = await pushStory(system.intakeUrl, partner.apiKey, msg, 'application/xml');
    expect(again.status).toBe(200);
    expect((again.body['items'] as Array<{ status: string }>).map((i) => i.status)).toEqual(['duplicate', 'duplicate']);
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
