/**
 * F2: SIGTERM drains each role. A worker finishes what it holds and exits within its deadline
 * without any send being repeated; the relay exits 0; the intake finishes in-flight requests
 * (every 2xx it gave is delivered) and answers nothing with a 5xx other than 503.
 */
import { behaviours, type FaultSystem, type FakeWebhookEndpoint } from '@syndication/testing';
import { bootFault, explain, pushMany, settle, sleep } from './support';

/**
 * A clean exit: code 0, or the SIGTERM that Nest re-raises once its shutdown hooks have run (its
 * enableShutdownHooks does that); whether the drain really happened is judged from the endpoints.
 */
const clean = (exit: { code: number | null; signal: NodeJS.Signals | null }): boolean => exit.code === 0 || (exit.code === null && exit.signal === 'SIGTERM');

describe('F2: SIGTERM drain', () => {
  let system: FaultSystem;
  let slow: FakeWebhookEndpoint;

  beforeAll(async () => {
    system = await bootFault('f2', { env: { SHUTDOWN_DEADLINE_MS: '10000' } });
    // 3 s per send: jobs are in flight when the signal comes.
    slow = (await system.addWebhook('slow', behaviours.ok(3_000))).endpoint;
    await system.startApps();
  }, 200_000);
  afterAll(() => system?.stop(), 60_000);

  it('publisher: finishes in-flight sends, exits within the deadline, and no webhook is sent twice', async () => {
    const sup = system.supervisor;
    expect((await pushMany(system, 8, 'f2-pub')).every((s) => s === 202)).toBe(true);
    for (let i = 0; i < 100 && slow.entries.length < 3; i++) await sleep(100);
    expect(slow.entries.length).toBeGreaterThanOrEqual(3);
    const { exit, ms, graceful } = await sup.terminate('publisher-worker', 20_000);
    expect({ exit, clean: clean(exit), graceful }).toEqual({ exit, clean: true, graceful: true });
    expect(ms).toBeLessThanOrEqual(12_000);
    sup.respawn('publisher-worker');
    const result = await settle(system, 60_000);
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
    // A clean drain resends nothing: each webhook-id arrived exactly once.
    const arrivals = new Map<string, number>();
    for (const e of slow.entries) arrivals.set(e.deliveryKey, (arrivals.get(e.deliveryKey) ?? 0) + 1);
    expect([...arrivals.values()].filter((n) => n > 1)).toEqual([]);
  }, 120_000);

  it('relay: exits cleanly, and work accepted meanwhile goes out after it returns', async () => {
    const sup = system.supervisor;
    const { exit, graceful } = await sup.terminate('pipeline-relay', 20_000);
    expect({ exit, clean: clean(exit), graceful }).toEqual({ exit, clean: true, graceful: true });
    expect((await pushMany(system, 3, 'f2-relay')).every((s) => s === 202)).toBe(true);
    sup.respawn('pipeline-relay');
    const result = await settle(system, 60_000);
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }, 120_000);

  it('intake: in-flight requests complete (no connection dropped mid-request), every 2xx is delivered, no 5xx but 503', async () => {
    const sup = system.supervisor;
    const before = system.client.statuses.get('500') ?? 0;
    const pushing = pushMany(system, 20, 'f2-intake', 4);
    await sleep(300);
    const { exit, graceful } = await sup.terminate('intake-api', 20_000);
    const statuses = await pushing;
    try {
      expect({ exit, clean: clean(exit), graceful }).toEqual({ exit, clean: true, graceful: true });
      const fiveXX = statuses.filter((s) => typeof s === 'number' && s >= 500 && s !== 503);
      expect(fiveXX).toEqual([]);
      // Requests are sent back to back, so the one in flight at the signal must still be answered:
      // a drained server refuses new connections but never drops an accepted request.
      expect(statuses.filter((s) => s === 202).length).toBeGreaterThan(0);
      expect(system.client.statuses.get('500') ?? 0).toBe(before);
      sup.respawn('intake-api');
      await system.waitIntakeReady();
      const result = await settle(system, 60_000);
      expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${explain(system)}`);
    } finally {
      if (!sup.isRunning('intake-api')) sup.respawn('intake-api');
    }
  }, 120_000);
});
