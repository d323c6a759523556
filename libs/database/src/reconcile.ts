/**
 * What the reconciler asks Postgres: unfinished work that has not moved for a while. "Moved" is
 * the row's last state change (the version's latest stage event, a delivery's last claim), not
 * when the story arrived: under a backlog every row is old, and only rows that stopped changing
 * are candidates. Rows with an undispatched outbox row are left to the relay.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from './sql';

const STALE = 'clock_timestamp() - make_interval(secs => $1::double precision / 1000)';

export interface StaleVersion {
  id: string;
  translate: boolean;
  tag: boolean;
}

export async function findStaleVersions(m: EntityManager | DataSource, staleMs: number, limit = 1000): Promise<StaleVersion[]> {
  const rows = await queryRows<{ id: string; translate_status: string; tag_status: string }>(
    m,
    `SELECT v.id, v.translate_status, v.tag_status FROM story_version v
      WHERE (v.translate_status IN ('pending', 'running') OR v.tag_status IN ('pending', 'running'))
        AND GREATEST(v.received_at,
              (SELECT e.created_at FROM stage_event e WHERE e.story_version_id = v.id ORDER BY e.id DESC LIMIT 1)) < ${STALE}
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dispatched_at IS NULL AND o.payload->>'versionId' = v.id::text)
      LIMIT $2`,
    [staleMs, limit],
  );
  const open = (s: string) => s === 'pending' || s === 'running';
  return rows.map((r) => ({ id: r.id, translate: open(r.translate_status), tag: open(r.tag_status) }));
}

/** Deliveries still pending, retrying or sending, unclaimed (or claimed) longer than `staleMs` ago. */
export async function findStaleDeliveries(m: EntityManager | DataSource, staleMs: number, limit = 5000): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    m,
    `SELECT d.id FROM delivery d
      WHERE d.status IN ('pending', 'retry', 'sending') AND GREATEST(d.created_at, d.claimed_at) < ${STALE}
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dispatched_at IS NULL AND o.payload->>'deliveryId' = d.id::text)
      LIMIT $2`,
    [staleMs, limit],
  );
  return rows.map((r) => r.id);
}
