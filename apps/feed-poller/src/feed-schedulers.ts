/**
 * Keeps one BullMQ job scheduler per enabled polled_feed row (id `feed.<feed id>`, every
 * `interval_seconds`), and none for anything else. Postgres is the source of truth: the sync runs
 * at boot and then every FEED_SYNC_INTERVAL_MS, so feeds registered through the intake API (which
 * never touches Redis) are picked up, deleted ones dropped, and a Redis that lost its keys gets
 * every scheduler back. A scheduler is upserted only when missing or changed, since an upsert
 * also schedules a first run. With several pollers, one at a time syncs (leader lock): two
 * concurrent syncs could upsert and remove the same scheduler in turn.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { LeaderLockService } from '@syndication/database';
import { FEED_POLL_JOB, FEED_POLL_QUEUE, type FeedPollJob, feedSchedulerId } from '@syndication/contracts';
import { createRedis } from '@syndication/queue';

const SCHEDULER_PREFIX = feedSchedulerId('');

@Injectable()
export class FeedSchedulers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FeedSchedulers');
  private readonly queue: Queue<FeedPollJob>;
  private readonly connection: Redis;
  private running = false;
  private loop?: Promise<void>;
  /** Ends the loop's current wait at once on shutdown (the wait can be FEED_SYNC_INTERVAL_MS long). */
  private wake?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly leader: LeaderLockService,
  ) {
    this.connection = createRedis(config.redis.url, 'queue', { commandTimeoutMs: config.redis.commandTimeoutMs, keepAliveMs: config.redis.keepAliveMs });
    // Outages are expected: the sync loop retries, and Postgres keeps the feeds.
    this.connection.on('error', () => undefined);
    this.queue = new Queue<FeedPollJob>(FEED_POLL_QUEUE, { connection: this.connection, prefix: config.redis.prefix });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const r = await this.syncIfLeader();
      if (r) this.logger.log(`polling ${r.feeds} feeds (${r.upserted} schedulers created or updated, ${r.removed} removed)`);
    } catch (err) {
      this.logger.warn(`scheduler sync at boot failed, retrying: ${(err as Error).message}`);
    }
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.queue.close();
    // BullMQ leaves a connection it was given open.
    this.connection.disconnect();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      await this.pause(failures ? Math.min(30_000, 500 * 2 ** failures) : this.config.poller.syncIntervalMs);
      if (!this.running) break;
      try {
        await this.syncIfLeader();
        failures = 0;
      } catch (err) {
        failures = Math.min(failures + 1, 6);
        if (failures === 1) this.logger.warn(`scheduler sync failed: ${(err as Error).message}`);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Syncs when this poller holds the leader lock; undefined when another one does. Bounded: while
   * Redis is down BullMQ waits for the connection without end, which would hold up boot and shutdown.
   */
  private async syncIfLeader(): Promise<{ feeds: number; upserted: number; removed: number } | undefined> {
    if (!(await this.leader.tryLead('feed-scheduler-sync'))) return undefined;
    const ms = this.config.redis.commandTimeoutMs * 3;
    let timer: NodeJS.Timeout | undefined;
    const work = this.sync();
    work.catch(() => undefined);
    try {
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`scheduler sync did not finish within ${ms} ms (Redis not answering)`)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Makes Redis match Postgres; returns what it changed. */
  async sync(): Promise<{ feeds: number; upserted: number; removed: number }> {
    const rows: Array<{ id: string; interval_seconds: number }> = await this.db.query('SELECT id, interval_seconds FROM polled_feed WHERE enabled');
    const existing = new Map((await this.queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
    let upserted = 0;
    for (const row of rows) {
      const id = feedSchedulerId(row.id);
      const every = row.interval_seconds * 1000;
      if (existing.get(id)?.every === every) continue;
      await this.queue.upsertJobScheduler(
        id,
        { every },
        {
          name: FEED_POLL_JOB,
          data: { feedId: row.id },
          // A failed poll is not retried: the next scheduled run is the retry, and the row's backoff spaces them.
          opts: { attempts: 1, removeOnComplete: { count: 1000, age: 3600 }, removeOnFail: { count: 10_000, age: 7 * 24 * 3600 } },
        },
      );
      upserted += 1;
    }
    const wanted = new Set(rows.map((r) => feedSchedulerId(r.id)));
    let removed = 0;
    for (const key of existing.keys()) {
      if (key.startsWith(SCHEDULER_PREFIX) && !wanted.has(key)) {
        await this.queue.removeJobScheduler(key);
        removed += 1;
      }
    }
    return { feeds: rows.length, upserted, removed };
  }

  /** For tests and operators: the scheduler of one feed as Redis has it. */
  scheduler(feedId: string) {
    return this.queue.getJobScheduler(feedSchedulerId(feedId));
  }
}
