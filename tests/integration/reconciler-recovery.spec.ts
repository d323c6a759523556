/**
 * The reconciler brings back every unfinished row whatever state BullMQ left its job in. Job ids
 * are deterministic and failed jobs are kept for days, so re-adding under the same id after BullMQ
 * failed the job (attempts spent during an outage, a stall past maxStalledCount) is a silent no-op:
 * these tests put a failed job under the row's plain id first and expect the work to finish anyway.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUES, jobIdFor, type JobName } from '@syndication/contracts';
import { PipelineRelayModule } from '../../apps/pipeline-relay/src/pipeline-relay.module';
import { Reconciler } from '../../apps/pipeline-relay/src/reconciler';
import { TranslationWorkerModule } from '../../apps/translation-worker/src/translation-worker.module';
import { TaggingWorkerModule } from '../../apps/tagging-worker/src/tagging-worker.module';
import { PublisherWorkerModule } from '../../apps/publisher-worker/src/publisher-worker.module';
import { TEST_REDIS_URL } from '../support/env';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled } from '../support/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = ['error', 'warn'] as Array<'error' | 'warn'>;

const story = (uri: string) =>
  JSON.stringify({
    uri,
    version: '1',
    headline: 'Mongolia signs a minerals deal in Washington',
    body_text: 'The foreign minister of Mongolia met the US Secretary of State in Washington.',
    language: 'en',
  });

/** Puts a job under `jobIdFor(name, data)` into BullMQ's failed set, as an outage that spent its attempts would. */
async function failedJob(prefix: string, name: JobName, versionId: string): Promise<void> {
  const connection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUES[name], { connection, prefix });
  const worker = new Worker(
    QUEUES[name],
    async () => {
      throw new Error('connect ECONNREFUSED (postgres was down)');
    },
    { connection, prefix, autorun: false },
  );
  try {
    const id = jobIdFor(name, { versionId } as never);
    await queue.add(name, { versionId }, { jobId: id, attempts: 1, removeOnFail: { age: 14 * 24 * 3600 } });
    void worker.run();
    while ((await queue.getJobState(id)) !== 'failed') await sleep(50);
  } finally {
    await worker.close();
    await queue.close();
    connection.disconnect();
  }
}

/** Ids of the jobs BullMQ holds for these versions (the database is shared with other test files). */
async function jobIds(prefix: string, name: JobName, versionIds: string[]): Promise<string[]> {
  const connection = new IORedis(TEST_REDIS_URL);
  const queue = new Queue(QUEUES[name], { connection, prefix });
  try {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'failed', 'completed', 'prioritized']);
    return jobs.map((j) => j.id ?? '').filter((id) => versionIds.some((v) => id.includes(v))).sort();
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

describe('reconciler: work stranded behind a failed job', () => {
  let system: RunningSystem;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    // Intake only: the relay and workers start later, in the same queue prefix.
    system = await startSystem({ intakeOnly: true, env: { RECONCILE_INTERVAL_MS: '500', RECONCILE_STALE_AFTER_MS: '300' } });
  }, 60_000);
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await system?.stop();
  });

  it('finishes a story whose translate and tag jobs BullMQ had already failed', async () => {
    const partner = await createPartner(system.db, 'stranded');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'stranded' }, ['source']);
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:stranded:1'), 'application/json');
    expect(pushed.status).toBe(202);
    const versionId = pushed.body['version_id'] as string;
    await failedJob(system.prefix, 'translate', versionId);
    await failedJob(system.prefix, 'tag', versionId);

    // The relay's own enqueue collapses onto the failed jobs; only the reconciler can help.
    for (const mod of [PipelineRelayModule, TranslationWorkerModule, TaggingWorkerModule, PublisherWorkerModule]) {
      apps.push(await NestFactory.createApplicationContext(mod, { logger }));
    }
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string, 30_000);
    expect(view.versions[0]!.deliveries.map((d) => d.status)).toEqual(['delivered']);
    // The failed job stays for operators; the work ran under a new generation.
    expect(await jobIds(system.prefix, 'translate', [versionId])).toEqual(expect.arrayContaining([`translate.${versionId}`, `translate.${versionId}.g1`]));
  }, 60_000);
});

describe('reconciler: staleness and live jobs', () => {
  let system: RunningSystem;
  let relay: INestApplicationContext;

  beforeAll(async () => {
    // The timer is off (an hour): each pass is run by the test.
    system = await startSystem({ intakeOnly: true, env: { RECONCILE_INTERVAL_MS: '3600000', RECONCILE_STALE_AFTER_MS: '2000' } });
    relay = await NestFactory.createApplicationContext(PipelineRelayModule, { logger });
  }, 60_000);
  afterAll(async () => {
    await relay?.close();
    await system?.stop();
  });

  it('leaves waiting jobs alone and measures staleness from the last stage event', async () => {
    const partner = await createPartner(system.db, 'backlog');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'backlog' }, ['source']);
    const a = await pushStory(system.intakeUrl, partner.apiKey, story('urn:backlog:a'), 'application/json');
    const b = await pushStory(system.intakeUrl, partner.apiKey, story('urn:backlog:b'), 'application/json');
    const [va, vb] = [a.body['version_id'] as string, b.body['version_id'] as string];
    // A backlog: both versions received long ago, their jobs waiting (no workers run here).
    while ((await jobIds(system.prefix, 'translate', [va, vb])).length < 2) await sleep(50);
    await system.db.query(`UPDATE story_version SET received_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [[va, vb]]);
    // b's translate job failed just now, and b moved a moment ago (a fresh stage event).
    const connection = new IORedis(TEST_REDIS_URL);
    const queue = new Queue(QUEUES.translate, { connection, prefix: system.prefix });
    await (await queue.getJob(`translate.${vb}`))!.remove();
    await connection.quit();
    await failedJob(system.prefix, 'translate', vb);
    await system.db.query(`INSERT INTO stage_event (story_version_id, stage, status) VALUES ($1, 'translate', 'retrying')`, [vb]);

    const reconciler = relay.get(Reconciler);
    await reconciler.runOnce();
    // Nothing new: a's job is waiting, and b changed state less than the stale period ago.
    expect(await jobIds(system.prefix, 'translate', [va, vb])).toEqual([`translate.${va}`, `translate.${vb}`].sort());

    await sleep(2_200);
    await reconciler.runOnce();
    expect(await jobIds(system.prefix, 'translate', [va, vb])).toEqual([`translate.${va}`, `translate.${vb}`, `translate.${vb}.g1`].sort());
    // A second pass finds g1 waiting and adds nothing more.
    await reconciler.runOnce();
    expect(await jobIds(system.prefix, 'translate', [va, vb])).toHaveLength(3);
  }, 60_000);
});
