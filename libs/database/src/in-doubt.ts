/**
 * In-doubt deliveries: sends that may or may not have reached a channel where a resend is not
 * harmless (a timeout after the request left, a connection reset mid-exchange, a worker that died
 * between the side effect and the ledger write). They are final for the pipeline, never resent
 * automatically, and wait here for an operator, who looks at the channel and either marks the
 * row delivered or asks for one more send. Every resolution is audited.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActorType } from './audit';
import { closeVersionIfDone, lockVersion } from './delivery-ledger';
import { writeOutbox } from './outbox';
import { queryRows } from './sql';
import { recordStageEvent } from './timeline';

export interface InDoubtDelivery {
  id: string;
  story_id: string;
  version_id: string;
  channel_id: string;
  channel_slug: string;
  channel_kind: string;
  language: string;
  attempts: number;
  claimed_at: string | null;
  last_error: string | null;
  /** What the publisher knew when it gave up guessing: error, attempt, timings, worker. */
  evidence: Record<string, unknown>;
  headline: string | null;
  partner_slug: string;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Oldest first (the longest-waiting decision on top). `channel` matches a channel slug or id. */
export async function listInDoubt(db: DataSource | EntityManager, opts: { limit?: number; channel?: string } = {}): Promise<InDoubtDelivery[]> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 1000);
  return queryRows<InDoubtDelivery>(
    db,
    `SELECT d.id, v.story_id, v.id AS version_id, c.id AS channel_id, c.slug AS channel_slug, c.kind AS channel_kind,
            d.language, d.attempts,
            to_char(d.claimed_at AT TIME ZONE 'UTC', ${ISO}) AS claimed_at,
            d.last_error, d.detail AS evidence,
            COALESCE(t.headline, v.headline) AS headline, p.slug AS partner_slug
       FROM delivery d
       JOIN story_version v ON v.id = d.story_version_id
       JOIN story s ON s.id = v.story_id
       JOIN partner p ON p.id = s.partner_id
       JOIN channel c ON c.id = d.channel_id
       LEFT JOIN translation t ON t.story_version_id = v.id AND t.language = d.language AND t.status = 'done'
      WHERE d.status = 'in_doubt' AND ($2::text IS NULL OR c.slug = $2 OR c.id::text = $2)
      ORDER BY d.claimed_at NULLS FIRST, d.id
      LIMIT $1`,
    [limit, opts.channel ?? null],
  );
}

export type InDoubtResolution = 'mark_delivered' | 'resend';

export interface InDoubtResolver {
  actor: string;
  actorType: AuditActorType;
  reason: string;
  requestId?: string;
  ip?: string;
  /** With mark_delivered: the id the channel shows for it (message id, status URL...). */
  externalId?: string;
}

/**
 * One operator decision, in one transaction. `mark_delivered`: the operator saw it on the channel.
 * `resend`: it is not there; the row goes back to `retry` with a fresh publish job (a new job
 * generation, since BullMQ may still hold the old job's id). Returns null when the row is not in
 * doubt (unknown, or already resolved).
 */
export async function resolveInDoubt(
  db: DataSource,
  deliveryId: string,
  action: InDoubtResolution,
  who: InDoubtResolver,
): Promise<{ status: 'delivered' | 'retry' } | null> {
  return db.transaction(async (m) => {
    const owner = await queryRows<{ story_version_id: string }>(m, 'SELECT story_version_id FROM delivery WHERE id = $1', [deliveryId]);
    if (!owner[0]) return null;
    const versionId = owner[0].story_version_id;
    await lockVersion(m, versionId);
    const rows = await queryRows<{ status: string; attempts: number; channel: string; language: string }>(
      m,
      `SELECT d.status, d.attempts, c.slug AS channel, d.language
         FROM delivery d JOIN channel c ON c.id = d.channel_id WHERE d.id = $1 FOR UPDATE OF d`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row || row.status !== 'in_doubt') return null;

    const resolution = { action, by: who.actor, reason: who.reason };
    const status = action === 'mark_delivered' ? 'delivered' : 'retry';
    if (action === 'mark_delivered') {
      await m.query(
        `UPDATE delivery SET status = 'delivered', external_id = COALESCE($2, external_id), delivered_at = clock_timestamp(),
                detail = detail || jsonb_build_object('resolution', $3::jsonb)
          WHERE id = $1`,
        [deliveryId, who.externalId ?? null, JSON.stringify(resolution)],
      );
      await closeVersionIfDone(m, versionId);
    } else {
      await m.query(
        `UPDATE delivery SET status = 'retry', detail = detail || jsonb_build_object('resolution', $2::jsonb)
          WHERE id = $1`,
        [deliveryId, JSON.stringify(resolution)],
      );
      // The version closed when this row went in doubt (a final state); it is open again until
      // the resend settles, so the publisher closes it as usual.
      await m.query(`UPDATE story_version SET stage = 'publish' WHERE id = $1 AND stage = 'done'`, [versionId]);
      await writeOutbox(m, 'publish', { deliveryId }, { generation: row.attempts + 1 });
    }
    await recordStageEvent(m, versionId, 'publish', status, {
      deliveryId,
      channel: row.channel,
      language: row.language,
      // Who and why are in the audit log; partners read this timeline.
      resolved: action,
      ...(who.externalId && action === 'mark_delivered' ? { externalId: who.externalId } : {}),
    });
    await recordAudit(m, {
      actor: who.actor,
      actorType: who.actorType,
      action: 'delivery.resolve',
      targetType: 'delivery',
      targetId: deliveryId,
      reason: who.reason,
      detail: { action, ...(who.externalId && action === 'mark_delivered' ? { externalId: who.externalId } : {}) },
      ...(who.requestId ? { requestId: who.requestId } : {}),
      ...(who.ip ? { ip: who.ip } : {}),
    });
    return { status };
  });
}

export interface HeldInDoubt {
  story_id: string;
  story_version_id: string;
  channel: string;
  language: string;
}

/**
 * A `sending` row whose lease ran out after its send began, on a channel where a resend is not
 * harmless: the worker died (or hung) between the side effect and the ledger write, so nobody
 * knows whether it went out. It becomes `in_doubt` with what the row itself tells, never resent.
 * Returns undefined when the row is not in that state (still leased, never started, or gone).
 */
export async function holdAbandonedInDoubt(
  db: DataSource,
  deliveryId: string,
  leaseMs: number,
  foundBy: string,
): Promise<HeldInDoubt | undefined> {
  return db.transaction(async (m) => {
    const owner = await queryRows<{ story_version_id: string; story_id: string }>(
      m,
      'SELECT d.story_version_id, v.story_id FROM delivery d JOIN story_version v ON v.id = d.story_version_id WHERE d.id = $1',
      [deliveryId],
    );
    const o = owner[0];
    if (!o) return undefined;
    await lockVersion(m, o.story_version_id);
    const rows = await queryRows<{ channel: string; language: string; evidence: Record<string, unknown> }>(
      m,
      `UPDATE delivery d
          SET status = 'in_doubt',
              last_error = 'in doubt: the worker holding the claim stopped after the send began (lease expired)',
              detail = jsonb_build_object(
                'cause', 'lease_expired',
                'previous_error', d.last_error,
                'attempt', d.attempts,
                'claimed_at', to_char(d.claimed_at AT TIME ZONE 'UTC', ${ISO}),
                'send_started_at', to_char(d.send_started_at AT TIME ZONE 'UTC', ${ISO}),
                'lease_ms', $2::double precision,
                'found_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', ${ISO}),
                'found_by', $3::text)
         FROM channel c
        WHERE d.id = $1 AND c.id = d.channel_id AND d.status = 'sending' AND d.send_started_at IS NOT NULL
          AND d.claimed_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)
        RETURNING c.slug AS channel, d.language, d.detail AS evidence`,
      [deliveryId, leaseMs, foundBy],
    );
    const r = rows[0];
    if (!r) return undefined;
    // The evidence stays on the row, for operators (partners read the stage timeline).
    await recordStageEvent(m, o.story_version_id, 'publish', 'in_doubt', {
      deliveryId,
      channel: r.channel,
      language: r.language,
      attempt: r.evidence['attempt'],
      cause: 'lease_expired',
    });
    await closeVersionIfDone(m, o.story_version_id);
    return { story_id: o.story_id, story_version_id: o.story_version_id, channel: r.channel, language: r.language };
  });
}
