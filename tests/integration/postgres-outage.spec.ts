/**
 * Postgres unreachable, through a TCP proxy in front of the shared server (never the server
 * itself): the intake answers 503 + Retry-After promptly and accepts nothing, and workers wait the
 * outage out without spending attempts, so nothing is dead-lettered.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUES } from '@syndication/contracts';
import { startTcpProxy, type TcpProxy } from '@syndication/testing';
import { PipelineRelayModule } from '../../apps/pipeline-relay/src/pipeline-relay.module';
import { TranslationWorkerModule } from '../../apps/translation-worker/src/translation-worker.module';
import { TaggingWorkerModule } from '../../apps/tagging-worker/src/tagging-worker.module';
import { PublisherWorkerModule } from '../../apps/publisher-worker/src/publisher-worker.module';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled } from '../support/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = ['error'] as Array<'error'>;

const story = (uri: string) =>
  JSON.stringify({
    uri,
    version: '1',
    headline: 'Mongolia signs a minerals deal in Washington',
    body_text: 'The foreign minister of Mongolia met the US Secretary of State in Washington.',
    language: 'en',
  });

function viaProxy(proxy: TcpProxy): string {
  const u = new URL(TEST_DATABASE_URL);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

/** A push that must be answered (whatever the answer) within `ms`; a hang fails the test. */
async function pushWithin(system: RunningSystem, apiKey: string, uri: string, ms: number) {
  const started = Date.now();
  const res = await fetch(`${system.intakeUrl}/v1/stories`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: story(uri),
    signal: AbortSignal.timeout(ms),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { code?: string }, elapsedMs: Date.now() - started };
}

describe('intake with Postgres unreachable', () => {
  let proxy: TcpProxy;
  let system: RunningSystem;

  beforeAll(async () => {
    proxy = await startTcpProxy({ targetPort: Number(new URL(TEST_DATABASE_URL).port || 5432) });
    // The fail-fast limits (connect 1 s as deployed; statement 2 s, so the client gives up at 2.5 s).
    system = await startSystem({
      intakeOnly: true,
      env: { DATABASE_URL: viaProxy(proxy), DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '2000' },
    });
  }, 60_000);
  afterAll(async () => {
    proxy?.forward();
    await system?.stop();
    await proxy?.stop();
  });

  it('answers 503 + Retry-After while the database is silent or refusing, accepts nothing, and recovers', async () => {
    const partner = await createPartner(system.db, 'pgdown');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'pgdown' }, ['source']);
    const warm = await pushWithin(system, partner.apiKey, 'urn:pgdown:warm', 10_000);
    expect(warm.status).toBe(202);

    // Silent: connections stay open, nothing answers (a hung host). The pool is warm, so the
    // request runs into the client-side query timeout rather than the connect timeout.
    proxy.blackhole();
    const silent = await pushWithin(system, partner.apiKey, 'urn:pgdown:silent', 8_000);
    expect(silent.status).toBe(503);
    expect(silent.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(silent.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(silent.body.code).toBe('unavailable');
    const ready = await fetch(`${system.intakeUrl}/health/ready`, { signal: AbortSignal.timeout(8_000) });
    expect(ready.status).toBe(503);
    expect((await fetch(`${system.intakeUrl}/health/live`, { signal: AbortSignal.timeout(2_000) })).status).toBe(200);

    // Refusing: the port is closed.
    // Refused and every open connection reset: a restarting or crashed database.
    proxy.refuse();
    proxy.resetAll();
    const refused = await pushWithin(system, partner.apiKey, 'urn:pgdown:refused', 8_000);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    process.stdout.write(`postgres-outage: 503 after ${silent.elapsedMs} ms (silent, warm pool), ${refused.elapsedMs} ms (refused)\n`);

    proxy.forward();
    let back = await pushWithin(system, partner.apiKey, 'urn:pgdown:back', 10_000);
    for (let i = 0; i < 20 && back.status === 503; i++) {
      await sleep(250);
      back = await pushWithin(system, partner.apiKey, 'urn:pgdown:back', 10_000);
    }
    expect(back.status).toBe(202);
    // Zero false 2xx: nothing refused during the outage was stored.
    const stored: Array<{ uri: string }> = await system.db.query(
      `SELECT s.external_id AS uri FROM story s WHERE s.partner_id = $1 ORDER BY 1`,
      [partner.id],
    );
    expect(stored.map((r) => r.uri)).toEqual(['urn:pgdown:back', 'urn:pgdown:warm']);
  }, 60_000);
});

describe('workers with Postgres unreachable', () => {
  let proxy: TcpProxy;
  let system: RunningSystem;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    proxy = await startTcpProxy({ targetPort: Number(new URL(TEST_DATABASE_URL).port || 5432) });
    // Two attempts 100 ms apart: without the outage back-off an outage of seconds spends them all.
    system = await startSystem({
      intakeOnly: true,
      env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100', WORKER_OUTAGE_BACKOFF_MS: '500', DATABASE_CONNECT_TIMEOUT_MS: '1000' },
    });
    // The intake and the relay talk to Postgres directly; the workers go through the proxy.
    apps.push(await NestFactory.createApplicationContext(PipelineRelayModule, { logger }));
    const direct = process.env['DATABASE_URL'];
    process.env['DATABASE_URL'] = viaProxy(proxy);
    try {
      for (const mod of [TranslationWorkerModule, TaggingWorkerModule, PublisherWorkerModule]) {
        apps.push(await NestFactory.createApplicationContext(mod, { logger }));
      }
    } finally {
      process.env['DATABASE_URL'] = direct;
    }
  }, 60_000);
  afterAll(async () => {
    proxy?.forward();
    for (const app of apps.reverse()) await app.close();
    await system?.stop();
    await proxy?.stop();
  });

  it('waits an outage out without spending attempts: no job dead-lettered, the story completes', async () => {
    const partner = await createPartner(system.db, 'pgjobs');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'pgjobs' }, ['source']);
    proxy.refuse();
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, story('urn:pgjobs:1'), 'application/json');
    expect(pushed.status).toBe(202);
    // The relay (direct connection) enqueues; the workers meet a closed port for a few seconds.
    await sleep(4_000);
    proxy.forward();
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string, 30_000);
    expect(view.versions[0]!.deliveries.map((d) => d.status)).toEqual(['delivered']);

    const connection = new IORedis(TEST_REDIS_URL);
    try {
      for (const name of ['translate', 'tag'] as const) {
        const queue = new Queue(QUEUES[name], { connection, prefix: system.prefix });
        const failed = await queue.getFailed();
        await queue.close();
        expect(failed.map((j) => j.id)).toEqual([]);
      }
    } finally {
      connection.disconnect();
    }
  }, 60_000);
});
