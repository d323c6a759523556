/**
 * Channel operating state (table `channel`, columns state / state_reason / state_since /
 * state_until). One place changes it, so `active` (the routing switch) and `state` never disagree.
 *
 * - active: deliveries go out.
 * - paused: an operator stopped it; nothing is routed to it or claimed for it until resumed.
 * - rate_limited: the endpoint asked for quiet time until `state_until`; claims wait until then.
 * - credentials_broken / endpoint_gone: the endpoint refused us for good (401/403, 410); claims
 *   wait until an operator fixes the channel and resumes it.
 * - circuit_open: too many consecutive failures; claims wait until `state_until`, then one probe.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from './sql';

export const CHANNEL_STATES = ['active', 'paused', 'rate_limited', 'credentials_broken', 'circuit_open', 'endpoint_gone'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

export interface ChannelStateRow {
  id: string;
  slug: string;
  kind: string;
  state: ChannelState;
  state_reason: string | null;
  state_since: string;
  state_until: string | null;
}

/**
 * Moves a channel to `state`. `expect` restricts the transition to channels currently in one of
 * those states (e.g. resume only from paused / credentials_broken / endpoint_gone). Returns the
 * row after the change, or null when no channel matched.
 */
export async function setChannelState(
  m: EntityManager | DataSource,
  channelId: string,
  state: ChannelState,
  opts: { reason?: string | null; untilMs?: number; expect?: readonly ChannelState[] } = {},
): Promise<ChannelStateRow | null> {
  const rows = await queryRows<ChannelStateRow>(
    m,
    `UPDATE channel
        SET state = $2, state_reason = $3, active = ($2 <> 'paused'),
            state_since = CASE WHEN state = $2 THEN state_since ELSE clock_timestamp() END,
            state_until = CASE WHEN $4::double precision IS NULL THEN NULL
                               ELSE clock_timestamp() + make_interval(secs => $4::double precision / 1000) END
      WHERE id = $1 AND ($5::text[] IS NULL OR state = ANY($5::text[]))
      RETURNING id, slug, kind, state, state_reason, state_since, state_until`,
    [channelId, state, opts.reason ?? null, opts.untilMs ?? null, opts.expect ?? null],
  );
  return rows[0] ?? null;
}

export async function getChannelState(m: EntityManager | DataSource, channelId: string): Promise<ChannelStateRow | null> {
  const rows = await queryRows<ChannelStateRow>(
    m,
    'SELECT id, slug, kind, state, state_reason, state_since, state_until FROM channel WHERE id = $1',
    [channelId],
  );
  return rows[0] ?? null;
}

/**
 * SQL condition (on a `channel` aliased `c`) under which a delivery to the channel may be claimed
 * now: active, or a timed state whose time has passed (the next claim is the probe).
 */
export const CHANNEL_SENDABLE = `(c.state = 'active' OR (c.state IN ('rate_limited', 'circuit_open') AND c.state_until <= clock_timestamp()))`;
