/**
 * F3 / F4 on a private redis-server (the shared one is never touched): kill -9 and restart with
 * AOF (work resumes within 5 s of Redis answering), restart empty (the reconciler rebuilds the
 * queues from Postgres), a hung Redis (SIGSTOP past the job locks), and Redis down at intake
 * (202s, also from an intake booted during the outage; the backlog drains once Redis is back).
 */
import { behaviours, type FaultSystem } from '@syndication/testing';
import { bootFault, explain, pushMany, settle, sleep } from './support';

const isAck = (answer: number | string): boolean => typeof answer === 'number' && answer < 300;

describe('F3A/F3C: Redis with AOF', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await bootFault('f3a', { redis: 'aof' });
    await system.addWebhook('hook', behaviours.ok(300));
    await system.startApps();
  }, 200_000);
  afterAll(() => system?.stop(), 60_000);

  it('kill -9 and restart: processing resumes within 5 s of Redis answering, nothing lost or duplicated', async () => {
    const hook = system.webhooks[0]!;
    const pushing = pushMany(system, 15, 'f3a', 2);
    for (let i = 0; i < 200 && hook.entries.length < 3; i++) await sleep(100);
    await system.redis!.kill('SIGKILL');
    await pushing;
    await sleep(3_000);
    await system.redis!.start();
    const restartedAt = Date.now();
    const result = await settle(system, 60_000);
    try {
      expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
      const firstAfter = hook.entries.find((e) => e.at >= restartedAt && isAck(e.answer));
      expect(firstAfter).toBeDefined();
      expect(firstAfter!.at - restartedAt).toBeLessThanOrEqual(5_000);
      for (const app of ['pipeline-relay', 'translation-worker', 'tagging-worker', 'publisher-worker', 'intake-api']) {
        expect({ app, running: system.supervisor.isRunning(app) }).toEqual({ app, running: true });
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${explain(system, result)}`);
    }
  }, 120_000);

  it('a hung Redis (SIGSTOP for 12 s, past the job locks) duplicates nothing', async () => {
    const pid = system.redis!.pid!;
    const pushing = pushMany(system, 10, 'f3c', 2);
    await sleep(1_000);
    process.kill(pid, 'SIGSTOP');
    try {
      await sleep(12_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await pushing;
    const result = await settle(system, 60_000);
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }, 120_000);
});

describe('F3B/F4: Redis without persistence', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await bootFault('f3b', { redis: 'none' });
    await system.addWebhook('hook', behaviours.ok(300));
    await system.startApps();
  }, 200_000);
  afterAll(() => system?.stop(), 60_000);

  it('restart empty: every unfinished row is re-enqueued from Postgres, nothing lost or duplicated', async () => {
    const hook = system.webhooks[0]!;
    const pushing = pushMany(system, 15, 'f3b', 2);
    for (let i = 0; i < 200 && hook.entries.length < 3; i++) await sleep(100);
    await system.redis!.kill('SIGKILL');
    await pushing;
    await sleep(2_000);
    await system.redis!.start();
    const result = await settle(system, 60_000);
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }, 120_000);

  it('F4: Redis down: intake answers 202 (also after booting during the outage), and the backlog drains once Redis is back', async () => {
    const sup = system.supervisor;
    await system.redis!.kill('SIGKILL');
    try {
      const timings: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await system.client.push(`urn:fault:f4:${i}`, `Redis down story ${i}`);
        expect(r.status).toBe(202);
        timings.push(r.ms);
      }
      expect(Math.max(...timings)).toBeLessThanOrEqual(2_000);
      // A restart during the outage: the intake must boot without Redis.
      await sup.kill('intake-api');
      sup.respawn('intake-api');
      await system.waitIntakeReady(30_000);
      await sleep(1_000);
      expect(sup.isRunning('intake-api')).toBe(true);
      for (let i = 5; i < 8; i++) {
        const r = await system.client.push(`urn:fault:f4:${i}`, `Redis down story ${i}`);
        expect(r.status).toBe(202);
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${explain(system)}`);
    } finally {
      await system.redis!.start();
      if (!sup.isRunning('intake-api')) sup.respawn('intake-api');
    }
    const result = await settle(system, 45_000);
    expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }, 150_000);
});
