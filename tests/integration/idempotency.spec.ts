/**
 * `Idempotency-Key` on POST /v1/stories: a retried request gets the original answer, a key reused
 * for another body is refused, concurrent requests with one key make one story, and keys are
 * scoped per partner and expire after 7 days.
 */
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, pushStory, type TestPartner } from '../support/fixtures';

describe('intake: Idempotency-Key', () => {
  let system: RunningSystem;
  let partner: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    partner = await createPartner(system.db, 'idem');
  }, 30_000);
  afterAll(() => system?.stop());

  const ninjs = (uri: string, headline = 'A headline') =>
    JSON.stringify({ uri, version: '1', headline, body_text: 'A body paragraph about the weather.', language: 'en' });
  const push = (body: string, key: string, who: TestPartner = partner) =>
    pushStory(system.intakeUrl, who.apiKey, body, 'application/json', { 'idempotency-key': key });

  async function storyCount(p: TestPartner): Promise<number> {
    const [r] = await system.db.query('SELECT count(*)::int AS n FROM story WHERE partner_id = $1', [p.id]);
    return r.n as number;
  }

  it('answers a repeat with the original response (200, same id) and a reused key with 409', async () => {
    const first = await push(ninjs('urn:idem:1'), 'key-1');
    expect(first.status).toBe(202);
    expect(first.body['status']).toBe('accepted');
    const again = await push(ninjs('urn:idem:1'), 'key-1');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    const reused = await push(ninjs('urn:idem:2', 'Another story'), 'key-1');
    expect(reused.status).toBe(409);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reused.body['code']).toBe('idempotency_key_reused');
    expect(await storyCount(partner)).toBe(1);
  });

  it('makes one story out of 10 concurrent requests with one key', async () => {
    const body = ninjs('urn:idem:concurrent', 'Concurrent');
    const results = await Promise.all(Array.from({ length: 10 }, () => push(body, 'key-concurrent')));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body['id'])).size).toBe(1);
    const [row] = await system.db.query(
      `SELECT count(*)::int AS n FROM story_version v JOIN story s ON s.id = v.story_id WHERE s.partner_id = $1 AND s.external_id = $2`,
      [partner.id, 'urn:idem:concurrent'],
    );
    expect(row.n).toBe(1);
  });

  it('scopes keys per partner', async () => {
    const other = await createPartner(system.db, 'idem-other');
    const mine = await push(ninjs('urn:idem:scoped'), 'shared-key');
    const theirs = await push(ninjs('urn:idem:scoped-other'), 'shared-key', other);
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.body['id']).not.toBe(mine.body['id']);
  });

  it('keeps keys for 7 days, then treats them as new', async () => {
    const first = await push(ninjs('urn:idem:old'), 'key-old');
    expect(first.status).toBe(202);
    await system.db.query(`UPDATE idempotency_key SET created_at = now() - interval '6 days 23 hours' WHERE partner_id = $1 AND key = $2`, [partner.id, 'key-old']);
    expect((await push(ninjs('urn:idem:old-2', 'Other'), 'key-old')).status).toBe(409);
    await system.db.query(`UPDATE idempotency_key SET created_at = now() - interval '7 days 1 hour' WHERE partner_id = $1 AND key = $2`, [partner.id, 'key-old']);
    const fresh = await push(ninjs('urn:idem:old-2', 'Other'), 'key-old');
    expect(fresh.status).toBe(202);
    expect(fresh.body['id']).not.toBe(first.body['id']);
  });

  it('refuses a malformed key', async () => {
    const res = await push(ninjs('urn:idem:bad'), 'x'.repeat(300));
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('invalid_idempotency_key');
  });
});
