/**
 * publish job -> one delivery: claim the ledger row, call the channel adapter, record the outcome.
 *
 * The claim (pending|retry -> sending) happens before the side effect, so a job that BullMQ hands
 * out twice publishes once. A row left in `sending` by a dead worker can be re-claimed only after
 * its lease expires; channels built in so far are idempotent on resend (the webhook keeps its
 * `webhook-id`, a feed is rendered from rows), so re-claiming is safe for them.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { FINAL_DELIVERY_STATUSES, type ChannelKind, type DeliveryStatus, type JobOf } from '@syndication/contracts';
import { ChannelConfigError, ChannelDeliveryError, ChannelRegistry } from '@syndication/channels';
import { loadPublishable, queryRows, recordStageEvent } from '@syndication/database';
import { PipelineEvents } from '@syndication/events';
import { RetryLaterError, type StageHandler } from '@syndication/queue';

interface Claimed {
  story_id: string;
  version_id: string;
  channel_id: string;
  kind: ChannelKind;
  slug: string;
  config: Record<string, unknown>;
  language: string;
  attempts: number;
}

@Injectable()
export class PublishProcessor implements StageHandler<'publish'> {
  readonly name = 'publish' as const;
  readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly logger = new Logger(PublishProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly channels: ChannelRegistry,
    private readonly events: PipelineEvents,
  ) {
    this.concurrency = config.workers.concurrency.publish;
    // Longer than any single send may take, so a live sender never loses its row to another worker.
    this.leaseMs = config.channels.webhookTimeoutMs + 15_000;
  }

  async process(job: Job<JobOf<'publish'>>): Promise<void> {
    const { deliveryId } = job.data;
    const claimed = await this.claim(deliveryId);
    if (!claimed) return;
    const [story] = await loadPublishable(this.db.manager, [deliveryId]);
    if (!story) {
      await this.finish(deliveryId, claimed, 'failed', { error: 'story content is missing for this language' });
      throw new UnrecoverableError('story content is missing for this language');
    }
    try {
      const outcome = await this.channels.publish(claimed.kind, claimed.config, story, { deliveryId, attempt: claimed.attempts });
      await this.finish(deliveryId, claimed, 'delivered', { externalId: outcome.externalId, detail: outcome.detail });
    } catch (err) {
      if (err instanceof ChannelConfigError || (err instanceof ChannelDeliveryError && !err.retryable)) {
        await this.finish(deliveryId, claimed, 'failed', { error: `${err instanceof ChannelDeliveryError ? err.code : 'bad_config'}: ${err.message}` });
        throw new UnrecoverableError(err.message);
      }
      const message = err instanceof Error ? err.message : String(err);
      await this.finish(deliveryId, claimed, 'retry', { error: err instanceof ChannelDeliveryError ? `${err.code}: ${message}` : message });
      if (err instanceof ChannelDeliveryError && err.retryAfterMs !== undefined) {
        // Retry-After is the endpoint's instruction, not a failure: wait exactly that, spend no attempt.
        throw new RetryLaterError(err.retryAfterMs, message);
      }
      throw err;
    }
  }

  /** Returns the claimed row, or null when there is nothing (left) to do. */
  private async claim(deliveryId: string): Promise<Claimed | null> {
    const rows = await queryRows<Claimed>(
      this.db,
      `UPDATE delivery d
          SET status = 'sending', attempts = d.attempts + 1, claimed_at = clock_timestamp()
         FROM story_version v, channel c
        WHERE d.id = $1 AND v.id = d.story_version_id AND c.id = d.channel_id
          AND (d.status IN ('pending', 'retry')
               OR (d.status = 'sending' AND d.claimed_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)))
        RETURNING v.story_id, v.id AS version_id, d.channel_id, c.kind, c.slug, c.config, d.language, d.attempts`,
      [deliveryId, this.leaseMs],
    );
    if (rows[0]) return rows[0];
    const current: Array<{ status: DeliveryStatus; claimed_at: Date | null }> = await this.db.query(
      'SELECT status, claimed_at FROM delivery WHERE id = $1',
      [deliveryId],
    );
    const row = current[0];
    if (!row) throw new UnrecoverableError(`delivery ${deliveryId} does not exist`);
    if (FINAL_DELIVERY_STATUSES.includes(row.status)) return null; // already done: a duplicate job
    // Another worker holds a live lease: come back when it would have expired.
    const held = row.claimed_at ? Date.now() - row.claimed_at.getTime() : 0;
    throw new RetryLaterError(Math.max(1_000, this.leaseMs - held), `delivery ${deliveryId} is being sent by another worker`);
  }

  private async finish(
    deliveryId: string,
    claimed: Claimed,
    status: 'delivered' | 'retry' | 'failed',
    outcome: { externalId?: string; detail?: Record<string, unknown>; error?: string },
  ): Promise<void> {
    const done = await this.db.transaction(async (m) => {
      // Final outcomes of one version's deliveries are serialised on the version row, so the last
      // one to finish sees every other one final and closes the version (without the lock, two
      // deliveries finishing together each see the other still 'sending' and neither closes it).
      if (status !== 'retry') await this.lockVersion(m, claimed.version_id);
      await m.query(
        `UPDATE delivery SET status = $2, external_id = COALESCE($3, external_id), detail = $4, last_error = $5,
                delivered_at = CASE WHEN $2 = 'delivered' THEN clock_timestamp() ELSE delivered_at END
          WHERE id = $1 AND status = 'sending'`,
        [deliveryId, status, outcome.externalId ?? null, JSON.stringify(outcome.detail ?? {}), outcome.error ?? null],
      );
      await recordStageEvent(m, claimed.version_id, 'publish', status, {
        deliveryId,
        channel: claimed.slug,
        language: claimed.language,
        attempt: claimed.attempts,
        ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
      return status === 'retry' ? false : this.closeVersionIfDone(m, claimed.version_id);
    });
    this.events.emit({
      storyId: claimed.story_id,
      versionId: claimed.version_id,
      stage: 'publish',
      status: status === 'delivered' ? 'done' : status === 'retry' ? 'retrying' : 'failed',
      detail: { deliveryId, channel: claimed.slug, language: claimed.language },
    });
    if (done) this.logger.log(`story version ${claimed.version_id} published on every channel`);
  }

  private async lockVersion(m: EntityManager, versionId: string): Promise<void> {
    await m.query('SELECT 1 FROM story_version WHERE id = $1 FOR UPDATE', [versionId]);
  }

  private async closeVersionIfDone(m: EntityManager, versionId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      m,
      `UPDATE story_version SET stage = 'done'
        WHERE id = $1 AND stage = 'publish'
          AND NOT EXISTS (SELECT 1 FROM delivery WHERE story_version_id = $1 AND status NOT IN ('delivered', 'failed', 'in_doubt', 'skipped'))
        RETURNING id`,
      [versionId],
    );
    return rows.length > 0;
  }

  async onFinalFailure(job: Job<JobOf<'publish'>>, error: Error): Promise<void> {
    const { deliveryId } = job.data;
    await this.db.transaction(async (m) => {
      const owner = await queryRows<{ story_version_id: string }>(m, 'SELECT story_version_id FROM delivery WHERE id = $1', [deliveryId]);
      if (owner[0]) await this.lockVersion(m, owner[0].story_version_id);
      const rows = await queryRows<{ story_version_id: string }>(
        m,
        `UPDATE delivery SET status = 'failed', last_error = COALESCE(last_error, $2)
          WHERE id = $1 AND status IN ('pending', 'retry', 'sending') RETURNING story_version_id`,
        [deliveryId, error.message],
      );
      const versionId = rows[0]?.story_version_id;
      if (versionId) {
        await recordStageEvent(m, versionId, 'publish', 'failed', { deliveryId, error: error.message, final: true });
        await this.closeVersionIfDone(m, versionId);
      }
    });
  }
}
