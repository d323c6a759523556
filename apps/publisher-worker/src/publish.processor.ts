/**
 * publish job -> one delivery: claim the ledger row, call the channel adapter, record the outcome.
 *
 * The claim (pending|retry -> sending) happens before the side effect, so a job that BullMQ hands
 * out twice publishes once. A row left in `sending` by a dead worker can be re-claimed only after
 * its lease expires; channels built in so far are idempotent on resend (the webhook keeps its
 * `webhook-id`, a feed is rendered from rows), so re-claiming is safe for them.
 *
 * The claim also applies the story's lifecycle in the same statement (CLAIMABLE, from
 * @syndication/routing): nothing goes out for a withdrawn, held, expired or superseded story,
 * and an embargoed delivery is re-delayed until Postgres says the embargo has lifted. A
 * `withdraw` row sends a withdrawal notice instead of the story.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { FINAL_DELIVERY_STATUSES, type ChannelKind, type DeliveryKind, type JobOf } from '@syndication/contracts';
import {
  CHANNEL_GATE,
  ChannelConfigError,
  ChannelDeliveryError,
  ChannelRegistry,
  channelStateAfter,
  nextRetry,
  type ChannelGate,
  type DeliveryOutcome,
} from '@syndication/channels';
import { deliveryChannelId, loadPublishable, previousExternalId, queryRows, recordStageEvent, setChannelState } from '@syndication/database';
import { CLAIMABLE, explainUnclaimed, loadWithdrawalNotice } from '@syndication/routing';
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
  delivery_kind: DeliveryKind;
  channel_state: string;
}

@Injectable()
export class PublishProcessor implements StageHandler<'publish'> {
  readonly name = 'publish' as const;
  readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly logger = new Logger(PublishProcessor.name);
  private readonly circuit: { failures: number; openMs: number };
  private readonly retryScale: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly channels: ChannelRegistry,
    private readonly events: PipelineEvents,
    @Inject(CHANNEL_GATE) private readonly gate: ChannelGate,
  ) {
    this.circuit = { failures: config.channels.circuitFailures, openMs: config.channels.circuitOpenMs };
    this.retryScale = config.channels.retryScale;
    this.concurrency = config.workers.concurrency.publish;
    // Longer than any single send may take, so a live sender never loses its row to another worker.
    this.leaseMs = config.channels.webhookTimeoutMs + 15_000;
  }

  /**
   * Per-channel isolation around one delivery (libs/channels gate.ts): a slot of the channel's
   * shared concurrency limit is taken before the claim (a full channel puts the job back, no
   * attempt spent, so it cannot occupy the worker slots other channels need), and consecutive
   * failed sends open the channel's circuit.
   */
  async process(job: Job<JobOf<'publish'>>): Promise<void> {
    const channelId = await deliveryChannelId(this.db, job.data.deliveryId);
    if (!channelId) return this.processDelivery(job);
    const slot = await this.gate.enter(channelId);
    if (!slot) throw new RetryLaterError(250 + Math.floor(Math.random() * 750), `channel ${channelId} is at its concurrency limit`);
    try {
      await this.processDelivery(job);
      await this.gate.record(channelId, true);
    } catch (err) {
      if (!(err instanceof RetryLaterError)) {
        const n = await this.gate.record(channelId, false);
        if (n >= this.circuit.failures) {
          await setChannelState(this.db, channelId, 'circuit_open', { reason: `${n} consecutive failed sends`, untilMs: this.circuit.openMs, expect: ['active'] });
        }
      }
      throw err;
    } finally {
      await slot.leave();
    }
  }

  private async processDelivery(job: Job<JobOf<'publish'>>): Promise<void> {
    const { deliveryId } = job.data;
    const claimed = await this.claim(deliveryId);
    if (!claimed) return;
    const send = await this.prepareSend(deliveryId, claimed);
    try {
      const outcome = await send();
      await this.finish(deliveryId, claimed, 'delivered', { externalId: outcome.externalId, detail: outcome.detail });
      // The send was the probe of a rate-limited or open-circuit channel: it is healthy again.
      if (claimed.channel_state !== 'active') await setChannelState(this.db, claimed.channel_id, 'active', { expect: ['rate_limited', 'circuit_open'] });
    } catch (err) {
      const change = err instanceof ChannelDeliveryError ? channelStateAfter(err) : undefined;
      if (change) await setChannelState(this.db, claimed.channel_id, change.state, change);
      if (err instanceof ChannelConfigError || (err instanceof ChannelDeliveryError && !err.retryable)) {
        await this.finish(deliveryId, claimed, 'failed', { error: `${err instanceof ChannelDeliveryError ? err.code : 'bad_config'}: ${err.message}` });
        throw new UnrecoverableError(err.message);
      }
      const message = err instanceof Error ? err.message : String(err);
      // A kind with its own schedule (webhooks: ~3 days) counts attempts in the ledger; the cap
      // also ends a Retry-After loop.
      const next = nextRetry(claimed.kind, claimed.attempts, err instanceof ChannelDeliveryError ? err.retryAfterMs : undefined, { scale: this.retryScale });
      if (next.action === 'give_up') {
        await this.finish(deliveryId, claimed, 'failed', { error: `retries exhausted after ${claimed.attempts} attempts: ${message}` });
        throw new UnrecoverableError(message);
      }
      await this.finish(deliveryId, claimed, 'retry', { error: err instanceof ChannelDeliveryError ? `${err.code}: ${message}` : message });
      if (next.action === 'retry') throw new RetryLaterError(next.delayMs, message);
      if (err instanceof ChannelDeliveryError && err.retryAfterMs !== undefined) {
        // Retry-After is the endpoint's instruction, not a failure: wait exactly that, spend no attempt.
        throw new RetryLaterError(err.retryAfterMs, message);
      }
      throw err;
    }
  }

  /** The side effect of one claimed row: the story in its language, or a withdrawal notice. */
  private async prepareSend(deliveryId: string, claimed: Claimed): Promise<() => Promise<DeliveryOutcome>> {
    // What the channel already shows of this story: a correction edits it, a withdrawal deletes it.
    const previous = await previousExternalId(this.db, deliveryId);
    const ctx = { deliveryId, attempt: claimed.attempts, ...(previous ? { previousExternalId: previous } : {}) };
    if (claimed.delivery_kind === 'withdraw') {
      const notice = await loadWithdrawalNotice(this.db.manager, deliveryId);
      if (!notice) {
        await this.finish(deliveryId, claimed, 'failed', { error: 'withdrawal notice is missing its story' });
        throw new UnrecoverableError('withdrawal notice is missing its story');
      }
      return () => this.channels.withdraw(claimed.kind, claimed.config, notice, ctx);
    }
    const [story] = await loadPublishable(this.db.manager, [deliveryId]);
    if (!story) {
      await this.finish(deliveryId, claimed, 'failed', { error: 'story content is missing for this language' });
      throw new UnrecoverableError('story content is missing for this language');
    }
    return () => this.channels.publish(claimed.kind, claimed.config, story, ctx);
  }

  /** Returns the claimed row, or null when there is nothing (left) to do. */
  private async claim(deliveryId: string): Promise<Claimed | null> {
    const rows = await queryRows<Claimed>(
      this.db,
      `UPDATE delivery d
          SET status = 'sending', attempts = d.attempts + 1, claimed_at = clock_timestamp()
         FROM story_version v, channel c, story s
        WHERE d.id = $1 AND v.id = d.story_version_id AND c.id = d.channel_id AND s.id = v.story_id
          AND (d.status IN ('pending', 'retry')
               OR (d.status = 'sending' AND d.claimed_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)))
          AND ${CLAIMABLE}
        RETURNING v.story_id, v.id AS version_id, d.channel_id, c.kind, c.slug, c.config, d.language, d.attempts, d.kind AS delivery_kind, c.state AS channel_state`,
      [deliveryId, this.leaseMs],
    );
    if (rows[0]) return rows[0];
    const why = await explainUnclaimed(this.db.manager, deliveryId, this.leaseMs);
    switch (why.action) {
      case 'missing':
        throw new UnrecoverableError(`delivery ${deliveryId} does not exist`);
      case 'final':
        return null; // already done: a duplicate job
      case 'leased':
        // Another worker holds a live lease: come back when it would have expired.
        throw new RetryLaterError(Math.max(1_000, this.leaseMs - why.heldMs), `delivery ${deliveryId} is being sent by another worker`);
      case 'cancel':
        await this.cancel(deliveryId, why.reason);
        return null;
      case 'wait':
        if (why.reason === 'embargo') await this.noteHeld(deliveryId, why.until);
        // The delay is a hint (worker clock); the next claim asks Postgres again. A little past
        // the instant, so a wake-up on time does not find it a millisecond early.
        throw new RetryLaterError(why.ms + 50, `delivery ${deliveryId} held: ${why.reason}`);
      case 'retry':
        throw new RetryLaterError(200, `delivery ${deliveryId} changed while being claimed`);
    }
  }

  /** Records the hold once per embargo instant, so the timeline says why nothing went out yet. */
  private async noteHeld(deliveryId: string, until: string | undefined): Promise<void> {
    const rows = await queryRows<{ story_version_id: string; channel: string; language: string }>(
      this.db,
      `UPDATE delivery d SET detail = jsonb_build_object('held', 'embargo', 'until', $2::text)
         FROM channel c
        WHERE d.id = $1 AND c.id = d.channel_id AND d.detail->>'until' IS DISTINCT FROM $2::text
        RETURNING d.story_version_id, c.slug AS channel, d.language`,
      [deliveryId, until ?? 'unreadable'],
    );
    const r = rows[0];
    if (r) await recordStageEvent(this.db.manager, r.story_version_id, 'publish', 'held', { deliveryId, channel: r.channel, language: r.language, embargo: until });
  }

  /** A row that must never go out (withdrawn, held, expired, superseded): final, with the reason. */
  private async cancel(deliveryId: string, reason: string): Promise<void> {
    const done = await this.db.transaction(async (m) => {
      const owner = await queryRows<{ story_version_id: string; story_id: string }>(
        m,
        'SELECT d.story_version_id, v.story_id FROM delivery d JOIN story_version v ON v.id = d.story_version_id WHERE d.id = $1',
        [deliveryId],
      );
      const o = owner[0];
      if (!o) return undefined;
      await this.lockVersion(m, o.story_version_id);
      const rows = await queryRows<{ channel: string; language: string }>(
        m,
        `UPDATE delivery d SET status = 'canceled', last_error = $2
           FROM channel c
          WHERE d.id = $1 AND c.id = d.channel_id
            AND (d.status IN ('pending', 'retry')
                 OR (d.status = 'sending' AND d.claimed_at < clock_timestamp() - make_interval(secs => $3::double precision / 1000)))
          RETURNING c.slug AS channel, d.language`,
        [deliveryId, reason, this.leaseMs],
      );
      const r = rows[0];
      if (!r) return undefined;
      await recordStageEvent(m, o.story_version_id, 'publish', 'canceled', { deliveryId, channel: r.channel, language: r.language, reason });
      await this.closeVersionIfDone(m, o.story_version_id);
      return { ...o, ...r };
    });
    if (done) {
      this.events.emit({
        storyId: done.story_id,
        versionId: done.story_version_id,
        stage: 'publish',
        status: 'skipped',
        detail: { deliveryId, channel: done.channel, language: done.language, reason },
      });
    }
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
          AND NOT EXISTS (SELECT 1 FROM delivery WHERE story_version_id = $1 AND status <> ALL($2::text[]))
        RETURNING id`,
      [versionId, FINAL_DELIVERY_STATUSES],
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
