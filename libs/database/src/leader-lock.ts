/**
 * Leader election for per-installation singletons (the reconciler, the route-deadline sweep, the
 * outbox cleanup, the feed scheduler sync): any number of processes may run them, one at a time
 * does. A Postgres session-level advisory lock (`pg_try_advisory_lock`) is held on a dedicated
 * connection outside the pool, so it lives exactly as long as that session: a leader that dies,
 * hangs past the keepalive or loses its connection lets the next instance take over on its next
 * tick. Advisory locks are per database, and the lock name carries the queue prefix (QUEUE_PREFIX),
 * so installations sharing a database but not a Redis prefix (the bench, the tests) each get their own.
 */
import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import type { DatabaseTimeouts } from './data-source-options';

/** First half of every lock key (the second is hashtext(name)): keeps clear of other advisory-lock users. */
const LOCK_NAMESPACE = 0x53594e44; // 'SYND'

export type SingletonName = 'reconciler' | 'route-deadlines' | 'outbox-cleanup' | 'feed-scheduler-sync';

export class LeaderLock {
  private client?: Client;
  private connecting?: Promise<Client>;
  private readonly held = new Set<string>();

  constructor(
    /** Installation scope of every lock name (the queue prefix). */
    private readonly scope: string,
    private readonly url: string,
    private readonly timeouts: Pick<DatabaseTimeouts, 'connectMs' | 'queryMs' | 'keepAliveMs'>,
    private readonly logger: { warn(msg: string): void } = new Logger('LeaderLock'),
  ) {}

  /**
   * True when this process holds (or has just taken) the named lock. Each call also proves the
   * session is alive, so a leader whose connection broke stops leading at once. Never throws: a
   * database that cannot be reached means "not the leader now".
   */
  async tryLead(name: SingletonName): Promise<boolean> {
    try {
      const client = await this.connection();
      if (this.held.has(name)) {
        await client.query('SELECT 1');
        return true;
      }
      const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok', [LOCK_NAMESPACE, `${this.scope}:${name}`]);
      if (res.rows[0]?.ok) this.held.add(name);
      return res.rows[0]?.ok === true;
    } catch (err) {
      this.logger.warn(`leader lock ${name}: ${(err as Error).message}`);
      this.drop();
      return false;
    }
  }

  /** Releases every lock (closing the session does); another instance takes over on its next tick. */
  async close(): Promise<void> {
    const client = this.client;
    this.drop();
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new Client({
        connectionString: this.url,
        connectionTimeoutMillis: this.timeouts.connectMs,
        query_timeout: this.timeouts.queryMs || undefined,
        keepAlive: this.timeouts.keepAliveMs > 0,
        keepAliveInitialDelayMillis: this.timeouts.keepAliveMs,
        application_name: 'syndication-leader-lock',
      });
      // A broken session has lost its locks: forget them, reconnect on the next call.
      client.on('error', () => this.drop(client));
      client.on('end', () => this.drop(client));
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private drop(client?: Client): void {
    if (client && client !== this.client) return;
    const old = this.client;
    this.client = undefined;
    this.held.clear();
    if (old && !client) void old.end().catch(() => undefined);
  }
}

/** One LeaderLock per process, closed on shutdown (after every singleton has stopped). */
@Injectable()
export class LeaderLockService extends LeaderLock implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.redis.prefix, config.database.url, config.database.timeouts);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

@Module({ providers: [LeaderLockService], exports: [LeaderLockService] })
export class LeaderLockModule {}
