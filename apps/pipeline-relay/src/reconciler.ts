/**
 * Postgres is the source of truth; Redis can lose work (a restart without persistence, a flush).
 * The reconciler periodically re-enqueues whatever Postgres says is unfinished past a deadline.
 * Deterministic job ids make this safe: a job that still exists is not added twice, and the
 * claim in the publisher makes a re-run of a finished delivery a no-op.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { JobProducer } from '@syndication/queue';

@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.relay.reconcileIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<{ translate: number; tag: number; publish: number }> {
    if (this.busy) return { translate: 0, tag: 0, publish: 0 };
    this.busy = true;
    try {
      const staleMs = this.config.relay.staleAfterMs;
      const stale = 'clock_timestamp() - make_interval(secs => $1::double precision / 1000)';
      const versions: Array<{ id: string; translate_status: string; tag_status: string }> = await this.db.query(
        `SELECT v.id, v.translate_status, v.tag_status FROM story_version v
          WHERE (v.translate_status IN ('pending', 'running') OR v.tag_status IN ('pending', 'running'))
            AND v.received_at < ${stale}
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dispatched_at IS NULL AND o.payload->>'versionId' = v.id::text)
          LIMIT 1000`,
        [staleMs],
      );
      const translate = versions.filter((v) => v.translate_status === 'pending' || v.translate_status === 'running');
      const tag = versions.filter((v) => v.tag_status === 'pending' || v.tag_status === 'running');
      await this.producer.enqueueBulk('translate', translate.map((v) => ({ versionId: v.id })));
      await this.producer.enqueueBulk('tag', tag.map((v) => ({ versionId: v.id })));
      const deliveries: Array<{ id: string }> = await this.db.query(
        `SELECT d.id FROM delivery d
          WHERE d.status IN ('pending', 'retry', 'sending') AND COALESCE(d.claimed_at, d.created_at) < ${stale}
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dispatched_at IS NULL AND o.payload->>'deliveryId' = d.id::text)
          LIMIT 5000`,
        [staleMs],
      );
      await this.producer.enqueueBulk('publish', deliveries.map((d) => ({ deliveryId: d.id })));
      const counts = { translate: translate.length, tag: tag.length, publish: deliveries.length };
      if (counts.translate + counts.tag + counts.publish > 0) this.logger.log(`re-enqueued ${JSON.stringify(counts)}`);
      return counts;
    } catch (err) {
      this.logger.warn(`reconcile failed: ${(err as Error).message}`);
      return { translate: 0, tag: 0, publish: 0 };
    } finally {
      this.busy = false;
    }
  }
}
