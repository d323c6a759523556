/**
 * The delivery ledger's writes after a claim: recording an outcome under the claim's fencing
 * token, marking the moment a non-resend-safe send begins, and closing a story version once every
 * one of its deliveries is final. Shared by the publisher worker and the operators' in-doubt
 * resolution, so both close versions the same way.
 *
 * Lock order, everywhere: the story_version row first, then its delivery rows (the intake's
 * lifecycle path takes them in that order too; the other order could deadlock).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { FINAL_DELIVERY_STATUSES, type ChannelKind } from '@syndication/contracts';
import { queryRows } from './sql';

export async function lockVersion(m: EntityManager, versionId: string): Promise<void> {
  await m.query('SELECT 1 FROM story_version WHERE id = $1 FOR UPDATE', [versionId]);
}

/** Moves a version from `publish` to `done` when no delivery of it is still open. Call with the version locked. */
export async function closeVersionIfDone(m: EntityManager, versionId: string): Promise<boolean> {
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

/** The channel a delivery goes to: what a re-claim of an expired lease needs to know first (its lease, whether a resend is harmless). */
export async function deliveryChannel(
  m: EntityManager | DataSource,
  deliveryId: string,
): Promise<{ kind: ChannelKind; config: Record<string, unknown> } | undefined> {
  const rows = await queryRows<{ kind: ChannelKind; config: Record<string, unknown> }>(
    m,
    'SELECT c.kind, c.config FROM delivery d JOIN channel c ON c.id = d.channel_id WHERE d.id = $1',
    [deliveryId],
  );
  return rows[0];
}

/**
 * Notes that the side effect of this claim is about to start. Only channels where a resend is not
 * harmless pay for this write: it is what lets a row abandoned after its claim, but before its
 * send, be claimed again instead of held in doubt. False: the claim is no longer ours.
 */
export async function markSendStarted(m: EntityManager | DataSource, deliveryId: string, claimToken: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    m,
    `UPDATE delivery SET send_started_at = clock_timestamp()
      WHERE id = $1 AND status = 'sending' AND claim_token = $2 RETURNING id`,
    [deliveryId, claimToken],
  );
  return rows.length > 0;
}

export type RecordedStatus = 'delivered' | 'retry' | 'failed' | 'in_doubt';

export interface DeliveryOutcomeRecord {
  deliveryId: string;
  claimToken: string;
  status: RecordedStatus;
  externalId?: string;
  detail?: Record<string, unknown>;
  error?: string;
}

/**
 * Writes the outcome of one claim, fenced by its token: a worker whose lease ran out and whose row
 * was claimed again (or resolved by an operator) writes nothing. A success may still land on a row
 * that was meanwhile held `in_doubt` under the same claim: the worker knows better than the guess.
 * Returns false when fenced out.
 */
export async function recordDeliveryOutcome(m: EntityManager, o: DeliveryOutcomeRecord): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    m,
    `UPDATE delivery SET status = $2, external_id = COALESCE($3, external_id), detail = $4, last_error = $5,
            delivered_at = CASE WHEN $2 = 'delivered' THEN clock_timestamp() ELSE delivered_at END
      WHERE id = $1 AND claim_token = $6
        AND (status = 'sending' OR ($2 = 'delivered' AND status = 'in_doubt'))
      RETURNING id`,
    [o.deliveryId, o.status, o.externalId ?? null, JSON.stringify(o.detail ?? {}), o.error ?? null, o.claimToken],
  );
  return rows.length > 0;
}

/** A delivery's ledger status, or undefined when there is no such delivery. */
export async function deliveryStatus(m: EntityManager | DataSource, deliveryId: string): Promise<string | undefined> {
  const rows = await queryRows<{ status: string }>(m, 'SELECT status FROM delivery WHERE id = $1', [deliveryId]);
  return rows[0]?.status;
}
