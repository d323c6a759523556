/**
 * Postgres is the source of truth; Redis can lose work (a restart without persistence, a flush),
 * and BullMQ can give up on a job whose row is still unfinished (attempts spent while Postgres was
 * away, a job stalled past maxStalledCount, a final failure that could not be recorded). The
 * reconciler periodically brings back every unfinished row that has not changed state for
 * RECONCILE_STALE_AFTER_MS, whatever its job's state: a live job is left alone, a missing one is
 * added, a failed or completed one is superseded by a new job generation (JobProducer.revive).
 * The claims in the workers make a re-run of finished work a no-op. One relay at a time runs it
 * (leader lock).
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { LeaderLockService, findStaleDeliveries, findStaleVersions } from '@syndication/database';
import { JobProducer } from '@syndication/queue';

export interface ReconcileCounts {
  translate: number;
  tag: number;
  publish: number;
}

@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private current?: Promise<ReconcileCounts>;
  /** Plain job ids already reported as exhausted, so the log says it once. */
  private readonly reported = new Set<string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
    private readonly leader: LeaderLockService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.relay.reconcileIntervalMs);
    this.timer.unref();
  }

  /** Before the producer closes: no new pass, and the current one finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  /** One pass (skipped while another is running here, or while another relay leads); returns what it re-added. */
  runOnce(): Promise<ReconcileCounts> {
    this.current ??= this.pass().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  private async pass(): Promise<ReconcileCounts> {
    const none = { translate: 0, tag: 0, publish: 0 };
    try {
      if (!(await this.leader.tryLead('reconciler'))) return none;
      const staleMs = this.config.relay.staleAfterMs;
      const versions = await findStaleVersions(this.db, staleMs);
      const translate = await this.producer.revive('translate', versions.filter((v) => v.translate).map((v) => ({ versionId: v.id })));
      const tag = await this.producer.revive('tag', versions.filter((v) => v.tag).map((v) => ({ versionId: v.id })));
      const deliveries = await findStaleDeliveries(this.db, staleMs);
      const publish = await this.producer.revive('publish', deliveries.map((deliveryId) => ({ deliveryId })));
      for (const id of [...translate.exhausted, ...tag.exhausted, ...publish.exhausted]) {
        if (this.reported.has(id)) continue;
        this.reported.add(id);
        this.logger.error(`job ${id} failed in every generation; not revived again (see the failed jobs)`);
      }
      const counts = { translate: translate.added, tag: tag.added, publish: publish.added };
      if (counts.translate + counts.tag + counts.publish > 0) this.logger.log(`re-enqueued ${JSON.stringify(counts)}`);
      return counts;
    } catch (err) {
      this.logger.warn(`reconcile failed: ${(err as Error).message}`);
      return none;
    }
  }
}
