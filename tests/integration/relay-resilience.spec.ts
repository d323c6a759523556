/**
 * The relay under bad input and a bad Redis: outbox rows that can never become a job are set
 * aside instead of blocking every batch; a Redis that stops answering (half-open, through a TCP
 * proxy in front of the shared server) does not make the relay hold its outbox row locks; and the
 * per-installation singletons run on one instance at a time (leader lock).
 */
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUES } from '@syndication/contracts';
import { LeaderLock } from '@syndication/database';
import { startTcpProxy, type TcpProxy } from '@syndication/testing';
import { PipelineRelayModule } from '../../apps/pipeline-relay/src/pipeline-relay.module';
import { Reconciler } from '../../apps/pipeline-relay/src/reconciler';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory } from '../support/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = ['error'] as Array<'error'>;

const story = (uri: string) =>
  JSON.stringify({ uri, version: '1', headline: 'Mongolia signs a minerals deal', body_text: 'The foreign minister met the Secretary of State.', language: 'en' });

async function outboxRows(system: RunningSystem, versionId: string) {
  return (await system.db.query(`SELECT id, dispatched_at FROM outbox WHERE payload->>'versionId' = $1`, [versionId])) as Array<{ id: string; dispatched_at: Date | null }>;
}

describe('outbox rows that can never be enqueued', () => {
  let system: RunningSystem;
  let relay: INestApplicationContext | undefined;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true, env: { RELAY_BATCH_SIZE: '2' } });
  }, 60_000);
  afterAll(async () => {
    await relay?.close();
    await system?.stop();
  });

  it('are set aside with the reason, and the rows behind them are dispatched', async () => {
    // A full batch of rows this build cannot enqueue sits at the head of the outbox.
    const bad: Array<{ id: string }> = await system.db.query(
      `INSERT INTO outbox (job, payload) VALUES ('summarise', '{"versionId": "x"}'), ('archive', '{"versionId": "y"}'), ('publish', '{"versionId": "no-delivery-id"}') RETURNING id`,
    );
    const partner = await createPartner(system.db, 'outboxbad');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'outboxbad' }, ['source']);
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:outboxbad:1'), 'application/json');
    expect(pushed.status).toBe(202);
    relay = await NestFactory.createApplicationContext(PipelineRelayModule, { logger });

    const versionId = pushed.body['version_id'] as string;
    const deadline = Date.now() + 20_000;
    while ((await outboxRows(system, versionId)).some((r) => r.dispatched_at === null) && Date.now() < deadline) await sleep(100);
    expect((await outboxRows(system, versionId)).every((r) => r.dispatched_at !== null)).toBe(true);
    const aside: Array<{ error: string | null; dispatched_at: Date | null }> = await system.db.query(
      `SELECT error, dispatched_at FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [bad.map((b) => b.id)],
    );
    expect(aside.map((a) => a.error)).toEqual(['unknown job "summarise"', 'unknown job "archive"', 'payload has no deliveryId']);
    expect(aside.every((a) => a.dispatched_at !== null)).toBe(true);
  }, 60_000);
});

describe('relay with a Redis that stopped answering', () => {
  let system: RunningSystem;
  let proxy: TcpProxy;
  let relay: INestApplicationContext | undefined;

  beforeAll(async () => {
    proxy = await startTcpProxy({ targetPort: Number(new URL(TEST_REDIS_URL).port || 6379) });
    system = await startSystem({ intakeOnly: true, env: { RELAY_ENQUEUE_TIMEOUT_MS: '1500', REDIS_COMMAND_TIMEOUT_MS: '1000' } });
    const direct = process.env['REDIS_URL'];
    process.env['REDIS_URL'] = `redis://127.0.0.1:${proxy.port}`;
    try {
      relay = await NestFactory.createApplicationContext(PipelineRelayModule, { logger });
    } finally {
      process.env['REDIS_URL'] = direct;
    }
  }, 60_000);
  afterAll(async () => {
    proxy?.forward();
    proxy?.resetAll();
    await relay?.close();
    await system?.stop();
    await proxy?.stop();
  });

  it('releases its outbox row locks instead of holding them, and dispatches once Redis answers', async () => {
    const partner = await createPartner(system.db, 'halfopen');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'halfopen' }, ['source']);
    await sleep(500); // the relay's connection is up and idle
    proxy.blackhole();
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:halfopen:1'), 'application/json');
    expect(pushed.status).toBe(202);
    const versionId = pushed.body['version_id'] as string;
    await sleep(500);

    // Another relay (here: this test's own transaction) must be able to take the rows soon: the
    // stuck enqueue gives up after RELAY_ENQUEUE_TIMEOUT_MS (ioredis's own 10 s connect timeout
    // or Postgres's 30 s idle-in-transaction limit would be far later).
    let free = 0;
    const deadline = Date.now() + 6_000;
    while (free === 0 && Date.now() < deadline) {
      free = await system.db.transaction(async (m) => {
        const rows: unknown[] = await m.query(
          `SELECT id FROM outbox WHERE payload->>'versionId' = $1 AND dispatched_at IS NULL FOR UPDATE SKIP LOCKED`,
          [versionId],
        );
        return rows.length;
      });
      if (free === 0) await sleep(200);
    }
    expect(free).toBeGreaterThan(0);

    // Redis answers again (the half-open connections are reset): the rows go out.
    proxy.forward();
    proxy.resetAll();
    const until = Date.now() + 30_000;
    while ((await outboxRows(system, versionId)).some((r) => r.dispatched_at === null) && Date.now() < until) await sleep(200);
    expect((await outboxRows(system, versionId)).every((r) => r.dispatched_at !== null)).toBe(true);
  }, 90_000);
});

describe('leader lock', () => {
  it('lets one instance at a time lead, and hands over when the leader goes away', async () => {
    const scope = `t${randomBytes(4).toString('hex')}`;
    const timeouts = { connectMs: 2_000, queryMs: 2_000, keepAliveMs: 10_000 };
    const quiet = { warn: () => undefined };
    const a = new LeaderLock(scope, TEST_DATABASE_URL, timeouts, quiet);
    const b = new LeaderLock(scope, TEST_DATABASE_URL, timeouts, quiet);
    const other = new LeaderLock(`${scope}x`, TEST_DATABASE_URL, timeouts, quiet);
    try {
      expect(await a.tryLead('reconciler')).toBe(true);
      expect(await b.tryLead('reconciler')).toBe(false);
      expect(await a.tryLead('reconciler')).toBe(true);
      // Another singleton, or another installation, is not held up.
      expect(await b.tryLead('route-deadlines')).toBe(true);
      expect(await other.tryLead('reconciler')).toBe(true);
      // The leader's process ends (its session closes): the next instance takes over.
      await a.close();
      expect(await b.tryLead('reconciler')).toBe(true);
      expect(await a.tryLead('reconciler')).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  it('keeps a second relay from reconciling while the first one leads, and hands over when it stops', async () => {
    const system = await startSystem({ intakeOnly: true, env: { RECONCILE_INTERVAL_MS: '3600000', RECONCILE_STALE_AFTER_MS: '200' } });
    const relays: INestApplicationContext[] = [];
    const connection = new IORedis(TEST_REDIS_URL);
    const queues = (['translate', 'tag'] as const).map((n) => new Queue(QUEUES[n], { connection, prefix: system.prefix }));
    try {
      for (let i = 0; i < 2; i++) relays.push(await NestFactory.createApplicationContext(PipelineRelayModule, { logger }));
      const [a, b] = relays.map((r) => r.get(Reconciler));
      await a!.runOnce(); // relay A takes the reconciler lock
      // Stranded work: Redis lost the version's jobs (as after a restart without persistence).
      const partner = await createPartner(system.db, 'twolead');
      await createRoutedChannel(system.db, partner, 'feed', { title: 'twolead' }, ['source']);
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:twolead:1'), 'application/json');
      const versionId = pushed.body['version_id'] as string;
      while ((await outboxRows(system, versionId)).some((r) => r.dispatched_at === null)) await sleep(50);
      for (const q of queues) await q.obliterate({ force: true });
      await sleep(300);

      await b!.runOnce();
      expect(await queues[0]!.getJob(`translate.${versionId}`)).toBeUndefined(); // B does not lead

      await relays[0]!.close(); // A stops: its session, and the lock, go with it
      relays.shift();
      await b!.runOnce();
      expect(await queues[0]!.getJobState(`translate.${versionId}`)).toBe('waiting');
    } finally {
      for (const q of queues) await q.close();
      connection.disconnect();
      for (const r of relays) await r.close();
      await system.stop();
    }
  }, 60_000);
});
