/**
 * In-doubt deliveries: the channel may or may not have received the story (e.g. the connection
 * dropped after the request was sent), so nothing is resent automatically. An operator looks at
 * the evidence and either marks it delivered or asks for a resend; both are audited.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActorType } from './audit';
import { closeVersionIfDone, requeueDeliveries } from './ops/actions';
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
  evidence: Record<string, unknown>;
  headline: string;
  partner_slug: string;
}

export async function listInDoubt(db: DataSource | EntityManager, opts: { limit?: number; channel?: string } = {}): Promise<InDoubtDelivery[]> {
  return queryRows<InDoubtDelivery>(
    db,
    `SELECT d.id, v.story_id, v.id AS version_id, c.id AS channel_id, c.slug AS channel_slug, c.kind AS channel_kind, d.language,
            d.attempts, d.claimed_at, d.last_error, d.detail AS evidence, v.headline, p.slug AS partner_slug
       FROM delivery d JOIN channel c ON c.id = d.channel_id JOIN story_version v ON v.id = d.story_version_id
       JOIN story s ON s.id = v.story_id JOIN partner p ON p.id = s.partner_id
      WHERE d.status = 'in_doubt' AND ($1::text IS NULL OR c.slug = $1 OR c.id::text = $1)
      ORDER BY d.claimed_at NULLS LAST, d.id LIMIT $2`,
    [opts.channel ?? null, Math.min(Math.max(opts.limit ?? 100, 1), 500)],
  );
}

export async function resolveInDoubt(
  db: DataSource,
  deliveryId: string,
  action: 'mark_delivered' | 'resend',
  who: { actor: string; actorType: AuditActorType; reason: string; requestId?: string; ip?: string; externalId?: string },
): Promise<{ status: 'delivered' | 'retry' } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(deliveryId)) return null;
  return db.transaction(async (m) => {
    const owner = await queryRows<{ story_version_id: string }>(m, 'SELECT story_version_id FROM delivery WHERE id = $1', [deliveryId]);
    if (!owner[0]) return null;
    await m.query('SELECT 1 FROM story_version WHERE id = $1 FOR UPDATE', [owner[0].story_version_id]);
    const audit = {
      actor: who.actor,
      actorType: who.actorType,
      reason: who.reason,
      action: 'delivery.resolve',
      targetType: 'delivery',
      targetId: deliveryId,
      ...(who.requestId ? { requestId: who.requestId } : {}),
      ...(who.ip ? { ip: who.ip } : {}),
    };
    if (action === 'resend') {
      const done = await requeueDeliveries(m, [deliveryId], ['in_doubt'], 'retry', { ...who });
      if (!done.length) return null;
      await recordAudit(m, { ...audit, detail: { resolution: 'resend' } });
      return { status: 'retry' as const };
    }
    const rows = await queryRows<{ channel: string; language: string; story_version_id: string }>(
      m,
      `UPDATE delivery d SET status = 'delivered', delivered_at = clock_timestamp(), external_id = COALESCE($2, d.external_id)
         FROM channel c
        WHERE d.id = $1 AND d.status = 'in_doubt' AND c.id = d.channel_id
        RETURNING c.slug AS channel, d.language, d.story_version_id`,
      [deliveryId, who.externalId ?? null],
    );
    const r = rows[0];
    if (!r) return null;
    await recordStageEvent(m, r.story_version_id, 'publish', 'delivered', { deliveryId, channel: r.channel, language: r.language, resolvedBy: who.actor, reason: who.reason, ...(who.externalId ? { externalId: who.externalId } : {}) });
    await closeVersionIfDone(m, r.story_version_id);
    await recordAudit(m, { ...audit, detail: { resolution: 'mark_delivered', ...(who.externalId ? { externalId: who.externalId } : {}) } });
    return { status: 'delivered' as const };
  });
}
