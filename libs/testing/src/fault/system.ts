/**
 * One whole system for a fault scenario or the chaos soak: its own database (recreated and
 * migrated), its own Redis key prefix (on the shared Redis) or its own `redis-server`, optional
 * TCP proxies in front of Postgres and Redis, the compiled apps under a Supervisor, one partner
 * and helpers to add fake endpoints routed from that partner only. `stop()` undoes all of it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { ChannelKind } from '@syndication/contracts';
import {
  createDataSource,
  newApiKeySecret,
  recreateDatabase,
  runMigrations,
  upsertApiKey,
  upsertChannel,
  upsertPartner,
  upsertRoute,
} from '@syndication/database';
import { freePort } from '../ports';
import { type Behaviour, type FakeWebhookEndpoint, type FeedWatcher, startFakeWebhookEndpoint, startFeedWatcher } from './endpoints';
import { PartnerClient } from './load';
import { type PrivateRedis, type RedisPersistence, startPrivateRedis } from './redis-server';
import { FAULT_APPS, type FaultApp, Supervisor } from './supervisor';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

export interface FaultSystemOptions {
  /** Short name used in the database name, Redis prefix and slugs. */
  label: string;
  /** Database to recreate for this run; its name must end in _test or _bench. */
  databaseUrl: string;
  /** `shared`: the given Redis with an own key prefix; otherwise a private redis-server. */
  redis: 'shared' | RedisPersistence;
  sharedRedisUrl?: string;
  /** Route the apps' Postgres / Redis connections through a fault proxy. */
  pgProxy?: boolean;
  redisProxy?: boolean;
  /** Apps to start (default: all six). */
  apps?: readonly FaultApp[];
  /** Extra app environment (tuning for the scenario). */
  env?: Record<string, string>;
  /** Drop the database on stop (tests); the chaos command keeps it for inspection. */
  dropDatabaseOnStop?: boolean;
  log?: (m: string) => void;
}

export interface FaultChannel {
  id: string;
  slug: string;
}

export interface FaultSystem {
  readonly supervisor: Supervisor;
  readonly intakeUrl: string;
  readonly feedUrl: string;
  /** Direct (never proxied) connection for provisioning and the product's own report. */
  readonly db: DataSource;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly redis?: PrivateRedis;
  readonly pgProxy?: TcpProxy;
  readonly redisProxy?: TcpProxy;
  readonly workDir: string;
  readonly partner: { id: string; apiKey: string };
  readonly client: PartnerClient;
  readonly webhooks: FakeWebhookEndpoint[];
  readonly feeds: FeedWatcher[];
  addWebhook(name: string, behaviour?: Behaviour, config?: { timeoutMs?: number }): Promise<{ endpoint: FakeWebhookEndpoint; channel: FaultChannel }>;
  addFeed(name: string, intervalMs?: number): Promise<{ watcher: FeedWatcher; channel: FaultChannel }>;
  /** Starts the apps not running yet and waits for the HTTP ones to answer. */
  startApps(apps?: readonly FaultApp[]): Promise<void>;
  waitIntakeReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (with a sleep between tries) until it returns a value other than undefined/false. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A per-run database next to the given one: `<name minus _test>_<label>_test`. */
export function siblingDatabaseUrl(baseUrl: string, label: string): string {
  const url = new URL(baseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')).replace(/_test$/, '');
  url.pathname = `/${name}_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_test`;
  return url.toString();
}

async function waitHttp(url: string, timeoutMs: number, alive?: () => string | undefined): Promise<void> {
  await waitFor(
    async () => {
      const dead = alive?.();
      if (dead) throw new Error(`${url} will not come up: ${dead}`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      }
    },
    timeoutMs,
    url,
  );
}

export async function startFaultSystem(opts: FaultSystemOptions): Promise<FaultSystem> {
  const log = opts.log ?? (() => undefined);
  const cleanups: Array<() => Promise<unknown>> = [];
  const workDir = mkdtempSync(join(tmpdir(), `syndication-fault-${opts.label}-`));
  cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));
  try {
    await recreateDatabase(opts.databaseUrl);
    if (opts.dropDatabaseOnStop) cleanups.push(() => dropDatabase(opts.databaseUrl));
    await runMigrations(opts.databaseUrl);
    const db = createDataSource(opts.databaseUrl, 3);
    await db.initialize();
    cleanups.push(() => db.destroy());

    let redis: PrivateRedis | undefined;
    let redisUrl: string;
    if (opts.redis === 'shared') {
      redisUrl = opts.sharedRedisUrl ?? 'redis://127.0.0.1:6379';
    } else {
      const r = await startPrivateRedis({ persistence: opts.redis });
      redis = r;
      cleanups.push(() => r.stop());
      redisUrl = r.url;
    }
    const prefix = `f${opts.label.replace(/[^a-z0-9]/gi, '').slice(0, 8)}${randomBytes(3).toString('hex')}`;
    if (opts.redis === 'shared') cleanups.push(() => deletePrefix(redisUrl, prefix));

    const pgTarget = new URL(opts.databaseUrl);
    let pgProxy: TcpProxy | undefined;
    let appDatabaseUrl = opts.databaseUrl;
    if (opts.pgProxy) {
      const p = await startTcpProxy({ targetHost: pgTarget.hostname, targetPort: Number(pgTarget.port || 5432) });
      pgProxy = p;
      cleanups.push(() => p.stop());
      const via = new URL(opts.databaseUrl);
      via.hostname = '127.0.0.1';
      via.port = String(p.port);
      appDatabaseUrl = via.toString();
    }
    let redisProxy: TcpProxy | undefined;
    let appRedisUrl = redisUrl;
    if (opts.redisProxy) {
      const target = new URL(redisUrl);
      const p = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 6379) });
      redisProxy = p;
      cleanups.push(() => p.stop());
      appRedisUrl = `redis://127.0.0.1:${p.port}`;
    }

    const [intakePort, feedPort] = [await freePort(), await freePort()];
    // A clean environment: nothing inherited may turn fault runs into calls to hosted providers.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      TMPDIR: process.env['TMPDIR'],
      NODE_ENV: 'test',
      DATABASE_URL: appDatabaseUrl,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: appRedisUrl,
      QUEUE_PREFIX: prefix,
      INTAKE_HOST: '127.0.0.1',
      INTAKE_PORT: String(intakePort),
      FEED_HOST: '127.0.0.1',
      FEED_PORT: String(feedPort),
      LOG_LEVEL: 'warn',
      SECRETS_KEY: randomBytes(32).toString('base64'),
      ADMIN_TOKEN: `admin-${randomBytes(16).toString('hex')}`,
      OUTBOUND_ALLOWLIST: '127.0.0.0/8,::1/128',
      PARTNER_RATE_LIMIT_RPS: '0',
      JOB_BACKOFF_MS: '200',
      RELAY_POLL_MS: '50',
      RECONCILE_INTERVAL_MS: '2000',
      RECONCILE_STALE_AFTER_MS: '5000',
      SHUTDOWN_DEADLINE_MS: '10000',
      WEBHOOK_TIMEOUT_MS: '5000',
      // The reliability plan's limits: a silent database fails a request in ~2 s (503), well inside a partner's timeout.
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      DATABASE_QUERY_TIMEOUT_MS: '2500',
      ...opts.env,
    };
    const supervisor = new Supervisor(env, log);
    cleanups.push(() => supervisor.stopAll());

    const partnerSlug = `${opts.label}-${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const partnerId = await upsertPartner(db.manager, partnerSlug, `Fault ${partnerSlug}`);
    const apiKey = await upsertApiKey(db.manager, partnerId, `k${randomBytes(6).toString('hex')}`, newApiKeySecret());
    const intakeUrl = `http://127.0.0.1:${intakePort}`;
    const feedUrl = `http://127.0.0.1:${feedPort}`;
    const client = new PartnerClient(intakeUrl, apiKey, join(workDir, 'accepted.jsonl'));
    const webhooks: FakeWebhookEndpoint[] = [];
    const feeds: FeedWatcher[] = [];

    const addChannel = async (name: string, kind: ChannelKind, config: Record<string, unknown>): Promise<FaultChannel> => {
      const slug = `${partnerSlug}-${name}`.slice(0, 60).replace(/-+$/, '');
      const id = await upsertChannel(db.manager, slug, kind, `Fault ${slug}`, config);
      await upsertRoute(db.manager, { name: `${slug} route`, channelId: id, languages: ['source'], partnerId });
      return { id, slug };
    };

    // A process that exited while we wait for it to answer: say so with its output, now.
    const exitedWith = (name: string): string | undefined => {
      const m = supervisor.names().includes(name) ? supervisor.get(name) : undefined;
      return m?.exit ? `${name} exited (${m.exit.signal ?? m.exit.code}):\n${m.tail.slice(-15).join('\n')}` : undefined;
    };
    const system: FaultSystem = {
      supervisor,
      intakeUrl,
      feedUrl,
      db,
      databaseUrl: opts.databaseUrl,
      redisUrl,
      prefix,
      workDir,
      partner: { id: partnerId, apiKey },
      client,
      webhooks,
      feeds,
      ...(redis ? { redis } : {}),
      ...(pgProxy ? { pgProxy } : {}),
      ...(redisProxy ? { redisProxy } : {}),
      async addWebhook(name, behaviour, config = {}) {
        const secret = `whsec_${randomBytes(32).toString('base64')}`;
        const endpoint = await startFakeWebhookEndpoint({ name, secret, logFile: join(workDir, `webhook-${name}.jsonl`), ...(behaviour ? { behaviour } : {}) });
        webhooks.push(endpoint);
        cleanups.push(() => endpoint.stop());
        const channel = await addChannel(name, 'webhook', { url: endpoint.url, secret, ...config });
        return { endpoint, channel };
      },
      async addFeed(name, intervalMs = 250) {
        const channel = await addChannel(name, 'feed', { title: `Fault feed ${name}` });
        const watcher = startFeedWatcher({ name, feedUrl: `${feedUrl}/feeds/${channel.slug}.json`, logFile: join(workDir, `feed-${name}.jsonl`), intervalMs });
        feeds.push(watcher);
        cleanups.push(() => watcher.stop());
        return { watcher, channel };
      },
      async startApps(apps = opts.apps ?? FAULT_APPS) {
        for (const app of apps) if (!supervisor.isRunning(app)) supervisor.start(app);
        if (apps.includes('intake-api')) await system.waitIntakeReady();
        if (apps.includes('feed-server')) await waitHttp(`${feedUrl}/health/live`, 120_000, () => exitedWith('feed-server'));
      },
      waitIntakeReady: (timeoutMs = 120_000) => waitHttp(`${intakeUrl}/health/live`, timeoutMs, () => exitedWith('intake-api')),
      async stop() {
        for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
        cleanups.length = 0;
      },
    };
    return system;
  } catch (err) {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    throw err;
  }
}

/** Deletes one prefix's keys (SCAN + UNLINK); never FLUSHDB on a shared Redis. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 2, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Drops a per-run database (FORCE: a killed app may have left a connection behind). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/_(test|bench)[a-z0-9_]*$/i.test(name)) throw new Error(`Refusing to drop "${name}": not a test or bench database`);
  const { Client } = await import('pg');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
