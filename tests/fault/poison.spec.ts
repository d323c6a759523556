/**
 * F7: poison jobs go to the dead letters without holding up anything else, and two replays of
 * one delivery racing each other (fresh job generations through the outbox, two publishers)
 * publish it once.
 */
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { writeOutbox } from '@syndication/database';
import type { FaultSystem } from '@syndication/testing';
import { bootFault, explain, settle, sleep } from './support';

describe('F7: poison jobs and racing replays', () => {
  let system: FaultSystem;
  let redis: IORedis;

  beforeAll(async () => {
    system = await bootFault('f7', { env: { JOB_ATTEMPTS: '4', JOB_BACKOFF_MS: '300' } });
    await system.addWebhook('hook');
    await system.startApps();
    redis = new IORedis(system.redisUrl, { maxRetriesPerRequest: null });
  }, 200_000);
  afterAll(async () => {
    redis?.disconnect();
    await system?.stop();
  }, 60_000);

  async function finalState(queueName: string, jobId: string, timeoutMs: number): Promise<{ state: string; attemptsMade: number }> {
    const queue = new Queue(queueName, { connection: redis, prefix: system.prefix });
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await queue.getJob(jobId);
        const state = job ? await job.getState() : 'missing';
        if (state === 'failed' || state === 'completed' || Date.now() > deadline) return { state, attemptsMade: job?.attemptsMade ?? 0 };
        await sleep(250);
      }
    } finally {
      await queue.close();
    }
  }

  it('a job whose payload fails validation fails at once (no retries) while other stories keep flowing', async () => {
    const queue = new Queue('tag', { connection: redis, prefix: system.prefix });
    await queue.add('tag', { versionId: 'not-a-uuid' }, { jobId: 'poison.bad-payload', attempts: 4, backoff: { type: 'exponential', delay: 300 } });
    await queue.close();
    const healthy = await system.client.push('urn:fault:f7:healthy', 'Flows past the poison');
    expect(healthy.status).toBe(202);
    const result = await settle(system, 30_000);
    expect(result.lost).toBe(0);
    expect(await finalState('tag', 'poison.bad-payload', 20_000)).toEqual({ state: 'failed', attemptsMade: 1 });
  }, 90_000);

  it('a job for a delivery that does not exist fails at once', async () => {
    const queue = new Queue('publish', { connection: redis, prefix: system.prefix });
    await queue.add('publish', { deliveryId: randomUUID() }, { jobId: 'poison.missing-delivery', attempts: 4 });
    await queue.close();
    expect(await finalState('publish', 'poison.missing-delivery', 20_000)).toEqual({ state: 'failed', attemptsMade: 1 });
  }, 60_000);

  it('two replays racing (two fresh job generations, two publishers) publish the delivery once', async () => {
    const sup = system.supervisor;
    const hook = system.webhooks[0]!;
    await sup.kill('publisher-worker');
    const pushed = await system.client.push('urn:fault:f7:replay', 'Replayed twice at once');
    expect(pushed.status).toBe(202);
    // The delivery row exists once the story is routed (the publisher is down, so it waits).
    const deadline = Date.now() + 30_000;
    let deliveryId: string | undefined;
    while (!deliveryId && Date.now() < deadline) {
      const rows: Array<{ id: string }> = await system.db.query(
        'SELECT d.id FROM delivery d JOIN story_version v ON v.id = d.story_version_id WHERE v.story_id = $1',
        [pushed.storyId],
      );
      deliveryId = rows[0]?.id;
      if (!deliveryId) await sleep(200);
    }
    expect(deliveryId).toBeDefined();
    // Two operators replay at the same moment: each asks for a fresh job (its own generation).
    await Promise.all([1, 2].map((generation) => system.db.transaction((m) => writeOutbox(m, 'publish', { deliveryId: deliveryId! }, { generation }))));
    sup.respawn('publisher-worker');
    sup.start('publisher-worker', { instance: 'publisher-worker#2' });
    try {
      // Two publishers boot first (slow on a loaded machine), then the race is over in moments.
      const result = await settle(system, 90_000);
      expect({ lost: result.lost, duplicates: result.duplicates }).toEqual({ lost: 0, duplicates: 0 });
      await sleep(2_000);
      // Not just one webhook-id: one arrival, the claim fences the racing jobs off each other.
      expect(hook.entries.filter((e) => e.storyId === pushed.storyId)).toHaveLength(1);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${explain(system)}`);
    } finally {
      await sup.kill('publisher-worker#2');
    }
  }, 150_000);
});
