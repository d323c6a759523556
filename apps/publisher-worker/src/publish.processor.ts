/**
 * publish job -> one delivery: claim the ledger row, call the channel adapter, record the outcome.
 *
 * The claim (pending|retry -> sending) happens before the side effect, so a job that BullMQ hands
 * out twice publishes once. Each claim gets a fresh `claim_token` and a lease (the channel's own
 * send timeout plus PUBLISH_LEASE_MARGIN_MS); outcomes are written only under that token, so a
 * worker that outlived its lease cannot overwrite a newer claim's outcome.
 *
 * Sending and recording are separate steps: once the channel has the story, a failing ledger
 * write is retried on its own (bounded) and never turns into a resend.
 *
 * Ambiguous sends are decided here, once for every kind, by the adapter's `resendSafe`:
 * - resend-safe (webhook: same `webhook-id`; feed: rendered from rows): a timeout or reset after
 *   the request left is an ordinary retry, and a row abandoned in `sending` by a dead worker is
 *   claimed again once its lease has expired;
 * - anything else: the same situations leave the row `in_doubt` with the evidence, never resent
 *   automatically; an operator resolves it (@syndication/database in-doubt.ts). Just before such
 *   a send the row is stamped `send_started_at`, so a worker that died before sending leaves a
 *   row that is safe to claim again.
 *
 * The claim also applies the story's lifecycle in the same statement (CLAIMABLE, from
 * @syndication/routing): nothing goes out for a withdrawn, held, expired or superseded story,
 * and an embargoed delivery is re-delayed until Postgres says the embargo has lifted. A
 * `withdraw` row sends a withdrawal notice instead of the story.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { type ChannelKind, type DeliveryKind, type JobOf } from '@syndication/contracts';
import {
  CHANNEL_GATE,
  ChannelConfigError,
  ChannelDeliveryError,
  ChannelRegistry,
  DEFAULT_SEND_TIMEOUT_MS,
  channelStateAfter,
  nextRetry,
  type ChannelAdapter,
  type ChannelGate,
  type DeliveryOutcome,
} from '@syndication/channels';
import {
  closeVersionIfDone,
  deliveryChannel,
  deliveryChannelId,
  holdAbandonedInDoubt,
  loadPublishable,
  lockVersion,
  markSendStarted,
  previousExternalId,
  queryRows,
  recordDeliveryOutcome,
  recordStageEvent,
  setChannelState,
  type RecordedStatus,
} from '@syndication/database';
import { CLAIMABLE, explainUnclaimed, loadWithdrawalNotice } from '@syndication/routing';
import { PipelineEvents } from '@syndication/events';
import { RetryLaterError, type StageHandler } from '@syndication/queue';
import { FaultPoints } from './fault-point';

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
  claim_token: string;
  claimed_at: string;
  channel_state: string;
}

/** What the publisher needs to know about a delivery's channel: may it resend, how long may a send take and a claim last. */
interface ChannelTerms {
  resendSafe: boolean;
  timeoutMs: number;
  leaseMs: number;
}

/**
 * Recording an outcome after the side effect: retried this long (about two minutes, a Postgres
 * restart or failover) with exponential backoff before the row is left to its lease.
 */
const RECORD_BUDGET_MS = 120_000;
const RECORD_FIRST_BACKOFF_MS = 250;
const RECORD_MAX_BACKOFF_MS = 15_000;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

@Injectable()
export class PublishProcessor implements StageHandler<'publish'> {
  readonly name = 'publish' as const;
  readonly concurrency: number;
  private readonly leaseMarginMs: number;
  private readonly faults: FaultPoints;
  private readonly worker = `${hostname()}:${process.pid}`;
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
    this.leaseMarginMs = config.publisher.leaseMarginMs;
    this.faults = new FaultPoints(config.faults);
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
    const taken = await this.claim(deliveryId, job.stalledCounter > 0);
    if (!taken) return;
    const { claimed, terms } = taken;
    this.faults.hit('after_claim');
    const send = await this.prepareSend(deliveryId, claimed);
    if (!terms.resendSafe && !(await markSendStarted(this.db, deliveryId, claimed.claim_token))) {
      this.logger.warn(`delivery ${deliveryId}: claim lost before the send began; not sending`);
      return;
    }
    const startedAt = new Date();
    let outcome: DeliveryOutcome;
    try {
      outcome = await send();
    } catch (err) {
      return this.sendFailed(deliveryId, claimed, terms, err, startedAt);
    }
    this.faults.hit('after_send');
    await this.record(deliveryId, claimed, terms, 'delivered', { externalId: outcome.externalId, detail: outcome.detail });
    // The send was the probe of a rate-limited or open-circuit channel: it is healthy again.
    if (claimed.channel_state !== 'active') await setChannelState(this.db, claimed.channel_id, 'active', { expect: ['rate_limited', 'circuit_open'] });
  }

  /** Whether a resend is harmless on this channel, and how long a claim on it lasts. */
  private termsFor(kind: ChannelKind, rawConfig: unknown): ChannelTerms {
    const adapter: ChannelAdapter | undefined = this.channels.has(kind) ? this.channels.get(kind) : undefined;
    let timeoutMs = DEFAULT_SEND_TIMEOUT_MS;
    if (adapter?.sendTimeoutMs) {
      try {
        timeoutMs = adapter.sendTimeoutMs(adapter.parseConfig(rawConfig));
      } catch {
        // A config the adapter refuses fails the send itself, with the reason; the default lease will do.
      }
    }
    // An unknown kind cannot promise anything: treat it as the cautious case.
    return { resendSafe: adapter?.resendSafe ?? false, timeoutMs, leaseMs: timeoutMs + this.leaseMarginMs };
  }

  /**
   * The send did not succeed. Config and permanent errors fail the row; an ambiguous error on a
   * channel where a resend is not harmless holds it in doubt; anything else is a retry.
   */
  private async sendFailed(deliveryId: string, claimed: Claimed, terms: ChannelTerms, err: unknown, startedAt: Date): Promise<void> {
    // What the endpoint said about the channel as a whole (429 quiet time, broken credentials, gone).
    const change = err instanceof ChannelDeliveryError ? channelStateAfter(err) : undefined;
    if (change) await setChannelState(this.db, claimed.channel_id, change.state, change);
    if (err instanceof ChannelConfigError || (err instanceof ChannelDeliveryError && !err.retryable)) {
      await this.record(deliveryId, claimed, terms, 'failed', { error: `${err instanceof ChannelDeliveryError ? err.code : 'bad_config'}: ${err.message}` });
      throw new UnrecoverableError(err.message);
    }
    const message = err instanceof Error ? err.message : String(err);
    const error = err instanceof ChannelDeliveryError ? `${err.code}: ${message}` : message;
    if (err instanceof ChannelDeliveryError && err.inDoubt && !terms.resendSafe) {
      const failedAt = new Date();
      const evidence: Record<string, unknown> = {
        cause: err.code,
        error,
        attempt: claimed.attempts,
        claimed_at: claimed.claimed_at,
        send_started_at: startedAt.toISOString(),
        failed_at: failedAt.toISOString(),
        elapsed_ms: failedAt.getTime() - startedAt.getTime(),
        timeout_ms: terms.timeoutMs,
        lease_ms: terms.leaseMs,
        worker: this.worker,
        ...(err.detail ? { adapter_detail: err.detail } : {}),
      };
      await this.record(deliveryId, claimed, terms, 'in_doubt', { error: `in doubt: ${error}`, detail: evidence });
      // Final: the job is done; the row waits for an operator.
      this.logger.warn(`delivery ${deliveryId} on ${claimed.slug} is in doubt (${error}); held for an operator, not resent`);
      return;
    }
    // A kind with its own schedule (webhooks: ~3 days) counts attempts in the ledger; the cap
    // also ends a Retry-After loop.
    const next = nextRetry(claimed.kind, claimed.attempts, err instanceof ChannelDeliveryError ? err.retryAfterMs : undefined, { scale: this.retryScale });
    if (next.action === 'give_up') {
      // The cause stays first (`code: message`): failures are grouped by it.
      await this.record(deliveryId, claimed, terms, 'failed', { error: `${error} (retries exhausted after ${claimed.attempts} attempts)` });
      throw new UnrecoverableError(message);
    }
    await this.record(deliveryId, claimed, terms, 'retry', { error });
    if (next.action === 'retry') throw new RetryLaterError(next.delayMs, message);
    if (err instanceof ChannelDeliveryError && err.retryAfterMs !== undefined) {
      // Retry-After is the endpoint's instruction, not a failure: wait exactly that, spend no attempt.
      throw new RetryLaterError(err.retryAfterMs, message);
    }
    throw err;
  }

  /**
   * Records an outcome, retrying the ledger write on its own: the side effect already happened
   * (or definitely failed), so a database error here must never look like a failed send. When the
   * claim was fenced out (lease expired and the row re-claimed or resolved) nothing is written.
   * After RECORD_BUDGET_MS the row is left `sending` and the job comes back once the lease is over:
   * the row is then handled as any abandoned row (claimed again where resend-safe, else in doubt).
   */
  private async record(
    deliveryId: string,
    claimed: Claimed,
    terms: ChannelTerms,
    status: RecordedStatus,
    outcome: { externalId?: string | undefined; detail?: Record<string, unknown> | undefined; error?: string },
  ): Promise<void> {
    const deadline = Date.now() + RECORD_BUDGET_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await this.finish(deliveryId, claimed, status, outcome))) {
          this.logger.warn(`delivery ${deliveryId}: outcome ${status} not recorded, claim ${claimed.claim_token} was superseded`);
        }
        return;
      } catch (err) {
        const wait = Math.min(RECORD_MAX_BACKOFF_MS, RECORD_FIRST_BACKOFF_MS * 2 ** (attempt - 1));
        const why = err instanceof Error ? err.message : String(err);
        if (Date.now() + wait > deadline) {
          this.logger.error(`delivery ${deliveryId}: could not record ${status} after ${attempt} tries (${why}); leaving it to its lease`);
          throw new RetryLaterError(terms.leaseMs, `delivery ${deliveryId}: outcome ${status} not recorded: ${why}`);
        }
        this.logger.warn(`delivery ${deliveryId}: recording ${status} failed (try ${attempt}: ${why}); again in ${wait} ms`);
        await sleep(wait);
      }
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

  /**
   * Returns the claimed row and its channel's terms, or null when there is nothing (left) to do.
   * The usual case (a pending or retry row) is one statement. A `sending` row whose lease expired
   * needs its channel's lease first, and is claimed again only when a resend is harmless or its
   * send never began; otherwise it is held in doubt here.
   *
   * `stalled`: BullMQ took this job back from a worker that lost its lock (killed, or blocked past
   * the lock). The lock is the liveness signal, so the row's lease need not run out first: the row
   * is taken over at once (a killed worker's delivery resumes within the stall interval, not the
   * channel's timeout). A blocked worker that wakes finds its claim token replaced; a resend-safe
   * channel may see the same delivery id twice, any other is held in doubt if its send had begun.
   */
  private async claim(deliveryId: string, stalled = false): Promise<{ claimed: Claimed; terms: ChannelTerms } | null> {
    const fresh = await this.claimRow(deliveryId, null, false);
    if (fresh) return { claimed: fresh, terms: this.termsFor(fresh.kind, fresh.config) };
    const channel = await deliveryChannel(this.db, deliveryId);
    if (!channel) throw new UnrecoverableError(`delivery ${deliveryId} does not exist`);
    const terms = this.termsFor(channel.kind, channel.config);
    const abandonedAfterMs = stalled ? 0 : terms.leaseMs;
    const reclaimed = await this.claimRow(deliveryId, abandonedAfterMs, terms.resendSafe);
    if (reclaimed) return { claimed: reclaimed, terms };
    if (!terms.resendSafe) {
      const held = await holdAbandonedInDoubt(this.db, deliveryId, abandonedAfterMs, this.worker);
      if (held) {
        this.logger.warn(`delivery ${deliveryId} on ${held.channel}: its worker stopped after the send began; held in doubt, not resent`);
        this.events.emit({
          storyId: held.story_id,
          versionId: held.story_version_id,
          stage: 'publish',
          status: 'failed',
          detail: { deliveryId, channel: held.channel, language: held.language, inDoubt: true },
        });
        return null;
      }
    }
    const why = await explainUnclaimed(this.db.manager, deliveryId, terms.leaseMs);
    switch (why.action) {
      case 'missing':
        throw new UnrecoverableError(`delivery ${deliveryId} does not exist`);
      case 'final':
        return null; // already done: a duplicate job
      case 'leased':
        // Another worker holds a live lease: come back when it would have expired.
        throw new RetryLaterError(Math.max(1_000, terms.leaseMs - why.heldMs), `delivery ${deliveryId} is being sent by another worker`);
      case 'cancel':
        await this.cancel(deliveryId, why.reason, terms.leaseMs);
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

  /**
   * The claim statement: pending|retry -> sending, with a fresh token, under the story's lifecycle
   * (CLAIMABLE). With `leaseMs`, also a `sending` row whose lease has expired, if `resendSafe` or
   * its send never began.
   */
  private async claimRow(deliveryId: string, leaseMs: number | null, resendSafe: boolean): Promise<Claimed | undefined> {
    const rows = await queryRows<Claimed>(
      this.db,
      `UPDATE delivery d
          SET status = 'sending', attempts = d.attempts + 1, claimed_at = clock_timestamp(),
              claim_token = gen_random_uuid(), send_started_at = NULL
         FROM story_version v, channel c, story s
        WHERE d.id = $1 AND v.id = d.story_version_id AND c.id = d.channel_id AND s.id = v.story_id
          AND (d.status IN ('pending', 'retry')
               OR ($2::double precision IS NOT NULL AND d.status = 'sending'
                   AND d.claimed_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)
                   AND ($3::boolean OR d.send_started_at IS NULL)))
          AND ${CLAIMABLE}
        RETURNING v.story_id, v.id AS version_id, d.channel_id, c.kind, c.slug, c.config, d.language, d.attempts, d.kind AS delivery_kind,
                  d.claim_token, to_char(d.claimed_at AT TIME ZONE 'UTC', ${ISO}) AS claimed_at, c.state AS channel_state`,
      [deliveryId, leaseMs, resendSafe],
    );
    return rows[0];
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
  private async cancel(deliveryId: string, reason: string, leaseMs: number): Promise<void> {
    const done = await this.db.transaction(async (m) => {
      const owner = await queryRows<{ story_version_id: string; story_id: string }>(
        m,
        'SELECT d.story_version_id, v.story_id FROM delivery d JOIN story_version v ON v.id = d.story_version_id WHERE d.id = $1',
        [deliveryId],
      );
      const o = owner[0];
      if (!o) return undefined;
      await lockVersion(m, o.story_version_id);
      // A row whose send began may have gone out: that is in doubt, not canceled.
      const rows = await queryRows<{ channel: string; language: string }>(
        m,
        `UPDATE delivery d SET status = 'canceled', last_error = $2
           FROM channel c
          WHERE d.id = $1 AND c.id = d.channel_id
            AND (d.status IN ('pending', 'retry')
                 OR (d.status = 'sending' AND d.send_started_at IS NULL
                     AND d.claimed_at < clock_timestamp() - make_interval(secs => $3::double precision / 1000)))
          RETURNING c.slug AS channel, d.language`,
        [deliveryId, reason, leaseMs],
      );
      const r = rows[0];
      if (!r) return undefined;
      await recordStageEvent(m, o.story_version_id, 'publish', 'canceled', { deliveryId, channel: r.channel, language: r.language, reason });
      await closeVersionIfDone(m, o.story_version_id);
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

  /** One ledger write of an outcome, fenced by the claim token. False: the claim was superseded. */
  private async finish(
    deliveryId: string,
    claimed: Claimed,
    status: RecordedStatus,
    outcome: { externalId?: string | undefined; detail?: Record<string, unknown> | undefined; error?: string },
  ): Promise<boolean> {
    const done = await this.db.transaction(async (m: EntityManager) => {
      // Final outcomes of one version's deliveries are serialised on the version row, so the last
      // one to finish sees every other one final and closes the version (without the lock, two
      // deliveries finishing together each see the other still 'sending' and neither closes it).
      if (status !== 'retry') await lockVersion(m, claimed.version_id);
      const written = await recordDeliveryOutcome(m, {
        deliveryId,
        claimToken: claimed.claim_token,
        status,
        ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
      if (!written) return undefined;
      await recordStageEvent(m, claimed.version_id, 'publish', status, {
        deliveryId,
        channel: claimed.slug,
        language: claimed.language,
        attempt: claimed.attempts,
        ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
        // The full evidence (worker host, timings) stays on the row, for operators: partners read this timeline.
        ...(status === 'in_doubt' && outcome.detail ? { cause: outcome.detail['cause'] } : {}),
      });
      const closed = status === 'retry' ? false : await closeVersionIfDone(m, claimed.version_id);
      this.faults.hit('before_ledger_commit');
      return { closed };
    });
    if (!done) return false;
    this.events.emit({
      storyId: claimed.story_id,
      versionId: claimed.version_id,
      stage: 'publish',
      status: status === 'delivered' ? 'done' : status === 'retry' ? 'retrying' : 'failed',
      detail: { deliveryId, channel: claimed.slug, language: claimed.language, ...(status === 'in_doubt' ? { inDoubt: true } : {}) },
    });
    if (done.closed) this.logger.log(`story version ${claimed.version_id} published on every channel`);
    return true;
  }

  async onFinalFailure(job: Job<JobOf<'publish'>>, error: Error): Promise<void> {
    const { deliveryId } = job.data;
    await this.db.transaction(async (m) => {
      const owner = await queryRows<{ story_version_id: string }>(m, 'SELECT story_version_id FROM delivery WHERE id = $1', [deliveryId]);
      if (owner[0]) await lockVersion(m, owner[0].story_version_id);
      // A row whose (non-resend-safe) send began is not known to have failed: the claim path or
      // an operator decides it, not the job's bookkeeping.
      const rows = await queryRows<{ story_version_id: string }>(
        m,
        `UPDATE delivery SET status = 'failed', last_error = COALESCE(last_error, $2)
          WHERE id = $1 AND (status IN ('pending', 'retry') OR (status = 'sending' AND send_started_at IS NULL))
          RETURNING story_version_id`,
        [deliveryId, error.message],
      );
      const versionId = rows[0]?.story_version_id;
      if (versionId) {
        await recordStageEvent(m, versionId, 'publish', 'failed', { deliveryId, error: error.message, final: true });
        await closeVersionIfDone(m, versionId);
      }
    });
  }
}
