/**
 * The BullMQ worker for scheduled polls. Expected failures are recorded on the feed row by the
 * poll itself; anything thrown here is our own fault (storage), reported and rethrown so BullMQ
 * keeps the failed job (STYLE.md #7). Drains in-flight polls on shutdown.
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { FEED_POLL_QUEUE, type FeedPollJob } from '@syndication/contracts';
import { createRedis } from '@syndication/queue';
import { FeedPollService } from './feed-poll.service';

@Injectable()
export class FeedPollWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FeedPollWorker');
  private connection?: Redis;
  private worker?: Worker<FeedPollJob>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly polls: FeedPollService,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = createRedis(this.config.redis.url, 'worker');
    this.connection.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    this.worker = new Worker<FeedPollJob>(
      FEED_POLL_QUEUE,
      async (job) => {
        try {
          await this.polls.poll(job.data.feedId);
        } catch (err) {
          this.logger.warn(`poll of feed ${job.data.feedId} failed: ${(err as Error).message}`);
          throw err;
        }
      },
      { connection: this.connection, prefix: this.config.redis.prefix, concurrency: this.config.poller.concurrency },
    );
    this.worker.on('error', (err) => this.logger.error(`feed-poll worker error: ${err.message}`));
  }

  /** Before the database pool closes (onApplicationShutdown), so in-flight polls can still write. */
  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), this.config.workers.shutdownDeadlineMs)));
    const closed = await Promise.race([this.worker?.close().then(() => 'ok' as const), deadline]);
    clearTimeout(timer);
    if (closed === 'timeout') await this.worker?.close(true);
    this.connection?.disconnect();
  }
}
