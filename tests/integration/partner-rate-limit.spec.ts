/**
 * Reliability plan B45: one partner's burst is refused with 429 + Retry-After before it costs a
 * transaction, nothing is written for the refused requests, and another partner is unaffected.
 */
import { type RunningSystem, startSystem } from '../support/system';
import { createPartner, pushStory, type TestPartner } from '../support/fixtures';

describe('per-partner rate limit at the intake', () => {
  let system: RunningSystem;
  let noisy: TestPartner;
  let quiet: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true, env: { PARTNER_RATE_LIMIT_RPS: '0.5', PARTNER_RATE_LIMIT_BURST: '3' } });
    noisy = await createPartner(system.db, 'noisy');
    quiet = await createPartner(system.db, 'quiet');
  });
  afterAll(() => system.stop());

  const story = (n: number) => `date 2026-02-07 Rate limit story ${n}\n\nParagraph ${n} of a story about rate limits at the intake.\n`;

  it('answers 429 with Retry-After past the burst, writes nothing for it, and leaves other partners alone', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await pushStory(system.intakeUrl, noisy.apiKey, story(i)));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 429, 429]);
    const refused = results[3]!;
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body['code']).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const rows: Array<{ n: number }> = await system.db.query('SELECT count(*)::int AS n FROM story WHERE partner_id = $1', [noisy.id]);
    expect(rows[0]!.n).toBe(3);
    expect((await pushStory(system.intakeUrl, quiet.apiKey, story(99))).status).toBe(202);
  });

  it('does not spend a partner\'s tokens on requests that fail authentication', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await pushStory(system.intakeUrl, `${quiet.apiKey.split('.')[0]}.wrong-secret`, story(i));
      expect(res.status).toBe(401);
    }
    expect((await pushStory(system.intakeUrl, quiet.apiKey, story(100))).status).toBe(202);
  });
});
