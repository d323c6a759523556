/**
 * Retry schedules per channel kind, counted in the ledger's attempts rather than BullMQ's, so a
 * schedule can span days without a job option per kind. Webhooks follow Standard Webhooks'
 * published schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) extended with two
 * daily tries to about three days, each delay with ±20 % jitter so a receiver coming back is not
 * hit by every sender at once. Kinds without a schedule use the queue's global policy.
 *
 * The same cap bounds a Retry-After loop: an endpoint that answers 429/503 forever gets as many
 * attempts as the schedule has, not an endless series of waits.
 */
import type { ChannelKind } from '@syndication/contracts';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

/** Delay before attempt n + 1 (index n - 1 after attempt n). */
export const RETRY_SCHEDULES: Partial<Record<ChannelKind, readonly number[]>> = {
  webhook: [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H, 24 * H, 24 * H],
};

export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'give_up' } | { action: 'default' };

/**
 * After failed attempt `attempt` (1-based) of a `kind` delivery: when to try again, or give up.
 * `retryAfterMs` (the endpoint's own wait) replaces the scheduled delay when longer; `scale`
 * (CHANNEL_RETRY_SCALE) shrinks the schedule for tests.
 */
export function nextRetry(
  kind: ChannelKind,
  attempt: number,
  retryAfterMs?: number,
  opts: { scale?: number; random?: () => number } = {},
): RetryDecision {
  const random = opts.random ?? Math.random;
  const schedule = RETRY_SCHEDULES[kind];
  if (!schedule) return { action: 'default' };
  const base = schedule[attempt - 1];
  if (base === undefined) return { action: 'give_up' };
  const jittered = Math.round(base * (opts.scale ?? 1) * (0.8 + 0.4 * random()));
  return { action: 'retry', delayMs: Math.max(jittered, retryAfterMs ?? 0) };
}
