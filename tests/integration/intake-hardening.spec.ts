/**
 * Intake defects found by reading the code, each proved through the real HTTP intake:
 * - a signed request stamped at the very edge of the window could be replayed (its nonce was
 *   stored already expired, on the database clock);
 * - NUL characters and lone surrogates reached Postgres and came back as a 500 (and, in a polled
 *   feed, failed the whole feed on every poll);
 * - each item of a multi-item document stored a copy of the whole document;
 * - a path id of 36 dashes reached a `::uuid` comparison (500), and a NUL in `?uri=` reached
 *   Postgres;
 * - refused credentials cost a key lookup each, without any limit.
 */
import { randomBytes } from 'node:crypto';
import { startSystem, type RunningSystem } from '../support/system';
import { admin, send, signedRequest } from '../support/partners';
import { createPartner, pushStory, type TestPartner } from '../support/fixtures';
import { IntakeService } from '../../apps/intake-api/src/stories/intake.service';

jest.setTimeout(60_000);

const WINDOW = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = { 'content-type': 'application/json' };
const ninjs = (uri: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ uri, version: '1', headline: 'A calm headline', body_text: 'A body paragraph about the harvest.', language: 'en', ...over });
const rss = (items: string) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><language>en</language>${items}</channel></rss>`;
const rssItem = (guid: string, title: string, body = `Body of ${title}, long enough to be a story.`) =>
  `<item><guid>${guid}</guid><title>${title}</title><description>${body}</description><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>`;
/** A NewsML-G2 item whose text travels base64-encoded: the XML is clean, the decoded text need not be. */
const g2Item = (guid: string, text: string) =>
  `<newsItem guid="${guid}" version="1"><itemMeta><itemClass qcode="ninat:text"/><pubStatus qcode="stat:usable"/></itemMeta><contentMeta><language tag="en"/><headline>Headline ${guid}</headline></contentMeta><contentSet><inlineData contenttype="text/plain" encoding="base64">${Buffer.from(text).toString('base64')}</inlineData></contentSet></newsItem>`;
const g2Message = (items: string) => `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2024-05-01T10:00:00Z</sent></header><itemSet>${items}</itemSet></newsMessage>`;
const G2 = 'application/vnd.iptc.g2.newsmessage+xml';

describe('intake hardening', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true, env: { SIGNATURE_WINDOW_SECONDS: String(WINDOW), AUTH_FAILURE_LIMIT_PER_MINUTE: '10' } });
  }, 30_000);
  afterAll(() => system?.stop());

  async function written(partnerId: string): Promise<Record<string, number>> {
    const [r] = await system.db.query(
      `SELECT (SELECT count(*) FROM story WHERE partner_id = $1)::int AS story,
              (SELECT count(*) FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1)::int AS story_version,
              (SELECT count(*) FROM outbox o WHERE o.payload->>'versionId' IN
                 (SELECT v.id::text FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1))::int AS outbox,
              (SELECT count(*) FROM request_nonce WHERE partner_id = $1)::int AS request_nonce`,
      [partnerId],
    );
    return r as Record<string, number>;
  }

  describe('signed requests at the edge of the window (defect 6)', () => {
    it('refuses a replay that arrives exactly when the timestamp reaches the edge of the window', async () => {
      const slug = `edge-${randomBytes(4).toString('hex')}`;
      expect((await admin(system, 'POST', '/v1/admin/partners', { slug, name: slug })).status).toBe(201);
      const created = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'hmac' });
      const key = { keyId: created.body['key_id'] as string, hmacSecret: created.body['secret'] as string };
      // Stamped two seconds inside the window: accepted now, and replayable until now + 2 s.
      const timestamp = Math.floor(Date.now() / 1000) - WINDOW + 2;
      const body = ninjs('urn:edge:1');
      const first = await signedRequest(system, key, { path: '/v1/stories', body, headers: json, timestamp });
      expect(first.status).toBe(202);
      // Wait until the server's clock reads exactly timestamp + window (still inside the window),
      // early in that second so the replay lands before it ends.
      while (Math.floor(Date.now() / 1000) < timestamp + WINDOW) await sleep(20);
      const replay = await send(system, 'POST', '/v1/stories', first.sent, body);
      expect([replay.status, replay.body['code']]).toEqual([401, 'replayed_request']);
      // And the nonce is still held: it outlives the window by a margin.
      const [row] = await system.db.query(
        `SELECT extract(epoch FROM expires_at)::bigint AS expires FROM request_nonce WHERE nonce = $1`,
        [first.sent['x-signature-nonce']],
      );
      expect(Number(row.expires)).toBeGreaterThan(timestamp + WINDOW);
    });
  });

  describe('NUL characters and lone surrogates (defect 7)', () => {
    let partner: TestPartner;
    beforeAll(async () => {
      partner = await createPartner(system.db, 'nul');
    });

    it.each([
      ['a JSON \\u0000 escape in the body', ninjs('urn:nul:1', { body_text: 'A body with a \u0000 in it.' }), 'application/json', '/paragraphs/0'],
      ['a lone surrogate escape in the body', ninjs('urn:nul:2', { body_text: 'Half a pair \ud800 here.' }), 'application/json', '/paragraphs/0'],
      ['a raw NUL in plain text', 'date 2026-02-07 Headline\n\nA body with a \u0000 in it.\n', 'text/plain; charset=utf-8', '/body'],
      ['a NUL in base64-encoded NewsML-G2 text', g2Message(g2Item('g2-nul', 'Decoded text with a \u0000 inside it.')), G2, '/paragraphs/0'],
      // Already refused by the XML pre-scan as a whole document (invalid_encoding / malformed_xml).
      ['a raw NUL in XML text', rss(rssItem('g-raw', 'Raw NUL', 'Body \u0000 here, long enough to be a story.')), 'application/rss+xml', undefined],
      ['a NUL character reference in XML', rss(rssItem('g-ref', 'Ref', 'Body &#0; here, long enough to be a story.')), 'application/rss+xml', undefined],
    ])('refuses %s with 422 invalid_characters (or the XML pre-scan refuses it), writing nothing', async (_name, body, type, pointer) => {
      const before = await written(partner.id);
      const res = await pushStory(system.intakeUrl, partner.apiKey, body, type);
      expect(res.status).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(400);
      if (pointer !== undefined) {
        expect(res.body).toMatchObject({ status: 422, code: 'invalid_characters' });
        expect((res.body['errors'] as Array<{ pointer: string }>)[0]!.pointer).toBe(pointer);
      }
      expect(await written(partner.id)).toEqual(before);
    });

    it('drops only the bad item under lenient handling, with its own problem, and stores the others', async () => {
      const doc = g2Message(g2Item('g-ok-1', 'A good story body.') + g2Item('g-bad', 'A bad \u0000 story body.') + g2Item('g-ok-2', 'Another good story body.'));
      const res = await pushStory(system.intakeUrl, partner.apiKey, doc, G2, { prefer: 'handling=lenient' });
      expect(res.status).toBe(207);
      const items = res.body['items'] as Array<{ index: number; status: string; problem?: { code: string } }>;
      expect(items.map((i) => i.status)).toEqual(['accepted', 'rejected', 'accepted']);
      expect(items[1]!.problem!.code).toBe('invalid_characters');
      const ids: Array<{ external_id: string }> = await system.db.query('SELECT external_id FROM story WHERE partner_id = $1 ORDER BY 1', [partner.id]);
      expect(ids.map((r) => r.external_id)).toEqual(['g-ok-1', 'g-ok-2']);
    });

    it('keeps a polled feed going: the poller path (lenient, content identity) drops the bad item, every poll', async () => {
      const feedPartner = await createPartner(system.db, 'nulfeed');
      const intake = system.intake.get(IntakeService);
      const doc = g2Message(g2Item('f-ok', 'A good feed story.') + g2Item('f-bad', 'A bad \u0000 feed story.') + g2Item('f-ok-2', 'Another good feed story.'));
      for (const poll of [1, 2]) {
        const r = await intake.accept({ id: feedPartner.id, slug: feedPartner.slug }, {
          contentType: G2,
          body: Buffer.from(doc),
          lenient: true,
          contentIdentity: true,
        });
        expect(r.items.map((i) => i.created)).toEqual(poll === 1 ? [true, true] : [false, false]);
        expect(r.rejected?.map((x) => [x.index, x.code])).toEqual([[1, 'invalid_characters']]);
        // The report itself is storable (the poller keeps it in polled_feed.last_result).
        expect(JSON.stringify(r.rejected)).not.toMatch(/\\u0000/);
      }
    });

    it('answers 400 for a NUL in ?uri= instead of passing it to Postgres', async () => {
      const res = await fetch(`${system.intakeUrl}/v1/stories?uri=a%00b`, { headers: { authorization: `Bearer ${partner.apiKey}` } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_query');
    });
  });

  describe('multi-item documents are stored once (defect 11)', () => {
    it('keeps one copy of the document for all its items, and none per item', async () => {
      const partner = await createPartner(system.db, 'multi');
      const doc = rss(rssItem('m-1', 'First') + rssItem('m-2', 'Second') + rssItem('m-3', 'Third'));
      const res = await pushStory(system.intakeUrl, partner.apiKey, doc, 'application/rss+xml');
      expect(res.status).toBe(202);
      const rows: Array<{ raw_payload: string | null; document_id: string | null }> = await system.db.query(
        'SELECT v.raw_payload, v.document_id FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1',
        [partner.id],
      );
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.raw_payload === null)).toBe(true);
      expect(new Set(rows.map((r) => r.document_id)).size).toBe(1);
      const docs: Array<{ payload: string; items: number }> = await system.db.query('SELECT payload, items FROM intake_document WHERE partner_id = $1', [partner.id]);
      expect(docs).toEqual([{ payload: doc, items: 3 }]);
      const [{ bytes }] = await system.db.query(
        `SELECT (COALESCE(sum(octet_length(v.raw_payload)), 0) + (SELECT sum(octet_length(payload)) FROM intake_document WHERE partner_id = $1))::int AS bytes
           FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1`,
        [partner.id],
      );
      expect(bytes).toBe(Buffer.byteLength(doc));

      // A single story keeps its own copy, as before.
      const single = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:single:1'), 'application/json');
      expect(single.status).toBe(202);
      const [one] = await system.db.query('SELECT raw_payload, document_id FROM story_version WHERE id = $1', [single.body['version_id']]);
      expect(one).toEqual({ raw_payload: ninjs('urn:single:1'), document_id: null });
    });
  });

  describe('ids that cannot be ids (defect 11)', () => {
    it.each([
      ['GET', '/v1/stories/------------------------------------'],
      ['GET', '/v1/stories/------------------------------------/receipts'],
      ['POST', '/v1/stories/------------------------------------/withdraw'],
      ['DELETE', '/v1/cleanup-rules/------------------------------------'],
      ['GET', '/v1/stories/0000000g-0000-0000-0000-000000000000'],
    ])('%s %s is a 404 problem', async (method, path) => {
      const partner = await createPartner(system.db, 'dash');
      const res = await fetch(`${system.intakeUrl}${path}`, { method, headers: { authorization: `Bearer ${partner.apiKey}` } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    });
  });

  describe('refused credentials are limited before any lookup (defect 11)', () => {
    it('answers 429 after 10 refusals for one key id from one client, even to the right secret, and leaves other key ids alone', async () => {
      const partner = await createPartner(system.db, 'brute');
      const [keyId] = partner.apiKey.split('.');
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${system.intakeUrl}/v1/stories/${randomBytes(4).toString('hex')}`, { headers: { authorization: `Bearer ${keyId}.wrong${i}` } });
        statuses.push(res.status);
      }
      expect(statuses).toEqual(Array(10).fill(401));
      const limited = await fetch(`${system.intakeUrl}/v1/stories/x`, { headers: { authorization: `Bearer ${partner.apiKey}` } });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { code: string }).code).toBe('auth_rate_limited');
      // Another partner from the same client is unaffected.
      const other = await createPartner(system.db, 'bystander');
      const ok = await fetch(`${system.intakeUrl}/v1/stories/x`, { headers: { authorization: `Bearer ${other.apiKey}` } });
      expect(ok.status).toBe(404);
    });
  });
});
