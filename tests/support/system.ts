/**
 * Boots the whole system in this process, each app exactly as its main.ts does (same modules,
 * same HTTP setup), against the real test Postgres, Redis and APy. Every call gets its own Redis
 * key prefix so test files cannot see each other's jobs; the prefix's keys are deleted on stop.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { IntakeApiModule } from '../../apps/intake-api/src/app.module';
import { configureIntakeApp } from '../../apps/intake-api/src/setup';
import { FeedServerModule } from '../../apps/feed-server/src/feed-server.module';
import { TranslationWorkerModule } from '../../apps/translation-worker/src/translation-worker.module';
import { TaggingWorkerModule } from '../../apps/tagging-worker/src/tagging-worker.module';
import { PublisherWorkerModule } from '../../apps/publisher-worker/src/publisher-worker.module';
import { PipelineRelayModule } from '../../apps/pipeline-relay/src/pipeline-relay.module';
import { FeedPollerModule } from '../../apps/feed-poller/src/feed-poller.module';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import type { JobName } from '@syndication/contracts';
import { WorkerRunner } from '@syndication/queue';
import { TEST_DATABASE_URL, TEST_REDIS_URL, readState } from './env';
import { freePort } from './ports';

export interface RunningSystem {
  intakeUrl: string;
  /** The intake app itself (e.g. to list the routes it registered). */
  intake: NestExpressApplication;
  feedUrl: string;
  prefix: string;
  db: DataSource;
  config: AppConfig;
  /** Every app context started, in start order (to reach a provider of a worker app). */
  contexts: INestApplicationContext[];
  /** Job names consumed, per worker app (one entry per handler registration). */
  handledJobs: JobName[];
  /** The publisher worker's app context (absent with intakeOnly), e.g. to register a test channel adapter. */
  publisher?: INestApplicationContext;
  /** The feed poller's app context (absent with intakeOnly unless withPoller). */
  poller?: INestApplicationContext;
  /** Closes the poller and boots a fresh one, as a process restart would. */
  restartPoller(): Promise<INestApplicationContext>;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Extra environment (e.g. RECONCILE_INTERVAL_MS); applied before the apps read their config. */
  env?: Record<string, string>;
  /** Leave out the workers, relay and feed poller (intake-only tests). */
  intakeOnly?: boolean;
  /** Start the feed poller even with intakeOnly (feed tests that need no pipeline). */
  withPoller?: boolean;
}

export async function startSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const [intakePort, feedPort] = [await freePort(), await freePort()];
  Object.assign(process.env, {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    INTAKE_PORT: String(intakePort),
    FEED_PORT: String(feedPort),
    APERTIUM_URL: readState().apertiumUrl,
    JOB_BACKOFF_MS: '200',
    // Per-kind retry schedules span days (webhooks ~3 days); tests run them a thousand times faster.
    CHANNEL_RETRY_SCALE: '0.001',
    RELAY_POLL_MS: '50',
    LOG_LEVEL: 'warn',
    // A shared, loaded test machine answers slowly at times: the suite keeps the generous database
    // limits main had; tests of the fail-fast limits set them themselves.
    DATABASE_CONNECT_TIMEOUT_MS: '5000',
    DATABASE_STATEMENT_TIMEOUT_MS: '15000',
    // Per system, like a deployment's own: nothing may depend on the public development key.
    SECRETS_KEY: randomBytes(32).toString('base64'),
    ADMIN_TOKEN: `admin-${randomBytes(16).toString('hex')}`,
    // Test receivers and fake partner feeds listen on loopback, which production refuses.
    OUTBOUND_ALLOWLIST: '127.0.0.0/8,::1/128',
    ...opts.env,
  });
  const logger = ['error', 'warn'] as Array<'error' | 'warn'>;
  const started: INestApplicationContext[] = [];
  try {
    const intake = await NestFactory.create<NestExpressApplication>(IntakeApiModule, { bodyParser: false, logger });
    started.push(intake);
    const config = intake.get<AppConfig>(APP_CONFIG);
    await configureIntakeApp(intake, config);
    await intake.listen(intakePort, '127.0.0.1');
    const feeds = await NestFactory.create<NestExpressApplication>(FeedServerModule, { logger });
    started.push(feeds);
    await feeds.listen(feedPort, '127.0.0.1');
    const handledJobs: JobName[] = [];
    let publisher: INestApplicationContext | undefined;
    if (!opts.intakeOnly) {
      const relay = await NestFactory.createApplicationContext(PipelineRelayModule, { logger });
      started.push(relay);
      for (const mod of [TranslationWorkerModule, TaggingWorkerModule, PublisherWorkerModule]) {
        const ctx = await NestFactory.createApplicationContext(mod, { logger });
        started.push(ctx);
        handledJobs.push(...ctx.get(WorkerRunner, { strict: false }).handledJobs());
        if (mod === PublisherWorkerModule) publisher = ctx;
      }
    }
    let poller: INestApplicationContext | undefined;
    if (!opts.intakeOnly || opts.withPoller) {
      poller = await NestFactory.createApplicationContext(FeedPollerModule, { logger });
      started.push(poller);
    }
    const db = intake.get<DataSource>(getDataSourceToken());
    return {
      intakeUrl: `http://127.0.0.1:${intakePort}`,
      intake,
      feedUrl: `http://127.0.0.1:${feedPort}`,
      prefix,
      db,
      config,
      contexts: started,
      handledJobs,
      ...(publisher ? { publisher } : {}),
      get poller() {
        return poller;
      },
      async restartPoller() {
        if (poller) {
          await poller.close();
          started.splice(started.indexOf(poller), 1);
        }
        poller = await NestFactory.createApplicationContext(FeedPollerModule, { logger });
        started.push(poller);
        return poller;
      },
      async stop() {
        for (const app of started.reverse()) await app.close();
        await deletePrefix(TEST_REDIS_URL, prefix);
      },
    };
  } catch (err) {
    for (const app of started.reverse()) await app.close().catch(() => undefined);
    throw err;
  }
}

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
