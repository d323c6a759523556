/**
 * One request cannot block the intake: pathological XML at the body-size cap (an unterminated
 * `<name`, `<!--` or `<?` repeated to 1 MiB, which a backtracking scan searched again from every
 * `<`, seconds to minutes) is refused with a 4xx within 2 s while `/health/live` keeps answering,
 * and nothing is written. The bound is the acceptance criterion; the linear pass takes
 * tens of milliseconds, so it holds with a wide margin.
 */
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, type TestPartner } from '../support/fixtures';

jest.setTimeout(60_000);

describe('intake: pathological XML at the size cap', () => {
  let system: RunningSystem;
  let partner: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    partner = await createPartner(system.db, 'xmlcap');
  }, 30_000);
  afterAll(() => system?.stop());

  const cap = () => system.config.intake.maxBodyBytes;
  const fill = (unit: string) => `<r>${unit.repeat(Math.floor((cap() - 3) / unit.length))}`;

  it.each([
    ['unterminated <name', () => fill('<a')],
    ['unterminated <!--', () => fill('<!--')],
    ['unterminated <?', () => fill('<?')],
    ['unterminated attribute values', () => fill('<a b="x" c="')],
  ])('%s repeated to the cap -> 400 within 2 s, /health/live answering meanwhile', async (_name, make) => {
    const body = make();
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(cap());
    expect(Buffer.byteLength(body)).toBeGreaterThan(cap() - 16);
    const stored = async () => ((await system.db.query('SELECT count(*)::int AS n FROM story WHERE partner_id = $1', [partner.id])) as Array<{ n: number }>)[0]!.n;
    const before = await stored();

    const live: number[] = [];
    let pushing = true;
    const probe = (async () => {
      while (pushing) {
        const res = await fetch(`${system.intakeUrl}/health/live`, { signal: AbortSignal.timeout(2_000) });
        live.push(res.status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const t0 = performance.now();
    const res = await fetch(`${system.intakeUrl}/v1/stories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${partner.apiKey}`, 'content-type': 'application/xml' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const problem = (await res.json()) as { code: string };
    const elapsed = performance.now() - t0;
    pushing = false;
    await probe;

    expect(res.status).toBe(400);
    expect(problem.code).toBe('malformed_xml');
    expect(elapsed).toBeLessThan(2_000);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((s) => s === 200)).toBe(true);
    expect(await stored()).toBe(before);
  });
});
