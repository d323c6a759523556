/**
 * Kills, holds, embargoes and expiry: when a story version may publish, and what a kill or hold
 * does to the deliveries already made or planned.
 *
 * The rules live on the story row (the latest version's pubstatus, embargo and expiry) and are
 * checked against Postgres time in the very statement that claims a delivery (`CLAIMABLE`), so
 * a kill that commits before a claim always wins, whatever the worker clocks say. A BullMQ delay
 * only decides when a held job looks again.
 */
import type { EntityManager } from 'typeorm';
import { NOTICE_CHANNEL_KINDS, type PubStatus, type WithdrawalNotice } from '@syndication/contracts';
import { CHANNEL_SENDABLE, queryRows, recordStageEvent, writeOutboxBulk } from '@syndication/database';

/** A new version arrived for a story that was killed: kills are final. */
export class StoryWithdrawnError extends Error {
  constructor(readonly version: number | null) {
    super(`the story was withdrawn${version ? ` by version ${version}` : ''}; a kill is final`);
  }
}

export interface VersionLifecycle {
  storyId: string;
  versionId: string;
  version: number;
  pubStatus: PubStatus;
  /** Why the story is withdrawn or held (shown to partners and sent to webhook subscribers). */
  reason?: string;
  /** ISO instant; with `embargoUnreadable` the story is held until a later version gives a readable one. */
  embargo?: string;
  embargoUnreadable?: boolean;
  expires?: string;
}

export interface LifecycleOutcome {
  /** Open deliveries of older versions canceled by a kill or hold. */
  canceled: number;
  /** Withdrawal notices created for channels that carried the story. */
  notices: number;
}

/**
 * Apply a freshly stored version's pubstatus, embargo and expiry to its story. Call inside the
 * intake transaction, after the version row exists. A kill or hold cancels every delivery not
 * yet started, and queues a notice for each push channel and language that got (or may have got)
 * the story; the version itself is then closed without translation or tagging.
 */
export async function applyVersionLifecycle(m: EntityManager, v: VersionLifecycle): Promise<LifecycleOutcome> {
  const prior: Array<{ pubstatus: PubStatus; pubstatus_version: number | null }> = await m.query(
    'SELECT pubstatus, pubstatus_version FROM story WHERE id = $1 FOR UPDATE',
    [v.storyId],
  );
  if (prior[0]?.pubstatus === 'canceled') throw new StoryWithdrawnError(prior[0].pubstatus_version);
  const embargo = v.embargo ?? (v.embargoUnreadable ? 'infinity' : null);
  const changed = prior[0]?.pubstatus !== v.pubStatus;
  await m.query(
    `UPDATE story SET pubstatus = $2, embargo_until = $3::timestamptz, expires_at = $4::timestamptz,
            pubstatus_reason = CASE WHEN $2 = 'usable' THEN NULL ELSE $5 END,
            pubstatus_version = CASE WHEN $6 THEN $7 ELSE pubstatus_version END,
            pubstatus_at = CASE WHEN $6 THEN now() ELSE pubstatus_at END
      WHERE id = $1`,
    [v.storyId, v.pubStatus, embargo, v.expires ?? null, v.reason ?? null, changed, v.version],
  );
  if (v.pubStatus === 'usable') return { canceled: 0, notices: 0 };

  // Version rows first, in one order, as the publisher does (version row, then its deliveries):
  // taking delivery rows first could deadlock with a publisher recording a final failure.
  const versions: Array<{ id: string }> = await m.query(
    'SELECT id FROM story_version WHERE story_id = $1 AND id <> $2 ORDER BY version FOR UPDATE',
    [v.storyId, v.versionId],
  );
  const why = `${v.pubStatus === 'canceled' ? 'withdrawn' : 'withheld'} by version ${v.version}`;
  const canceled = await queryRows<{ id: string; story_version_id: string }>(
    m,
    `UPDATE delivery SET status = 'canceled', last_error = $2
      WHERE story_version_id = ANY($1) AND status IN ('pending', 'retry')
      RETURNING id, story_version_id`,
    [versions.map((r) => r.id), why],
  );
  // A row canceled after a failed attempt may still have reached the endpoint (a timeout): it
  // gets a notice too. Rows still `sending` finish first; their notice waits for them (CLAIMABLE).
  const targets: Array<{ channel_id: string; language: string }> = await m.query(
    `SELECT DISTINCT d.channel_id, d.language
       FROM delivery d JOIN channel c ON c.id = d.channel_id
      WHERE d.story_version_id = ANY($1) AND d.kind = 'publish' AND c.kind = ANY($2)
        AND (d.status IN ('delivered', 'sending', 'in_doubt') OR (d.status = 'canceled' AND d.attempts > 0))`,
    [versions.map((r) => r.id), NOTICE_CHANNEL_KINDS],
  );
  const notices: Array<{ id: string }> = targets.length
    ? await m.query(
        `INSERT INTO delivery (story_version_id, channel_id, language, status, kind)
         SELECT $1, x.channel_id, x.language, 'pending', 'withdraw'
           FROM jsonb_to_recordset($2::jsonb) AS x(channel_id uuid, language text)
         ON CONFLICT (story_version_id, channel_id, language) DO NOTHING
         RETURNING id`,
        [v.versionId, JSON.stringify(targets)],
      )
    : [];
  await writeOutboxBulk(m, 'publish', notices.map((n) => ({ deliveryId: n.id })));
  await m.query(
    `UPDATE story_version SET stage = 'done'
      WHERE id = ANY($1) AND stage = 'publish'
        AND NOT EXISTS (SELECT 1 FROM delivery WHERE story_version_id = story_version.id
                         AND status IN ('pending', 'sending', 'retry'))`,
    [[...new Set(canceled.map((c) => c.story_version_id))]],
  );
  await m.query(`UPDATE story_version SET stage = $2, routed_at = now() WHERE id = $1`, [
    v.versionId,
    notices.length > 0 ? 'publish' : 'done',
  ]);
  await recordStageEvent(m, v.versionId, 'route', 'done', {
    pubstatus: v.pubStatus,
    reason: v.reason ?? why,
    canceled: canceled.length,
    notices: notices.length,
  });
  return { canceled: canceled.length, notices: notices.length };
}

/**
 * The publish gate, for a claim statement that joins `delivery d`, `story_version v`,
 * `story s` and `channel c`. Nothing goes to a channel that is not sendable now (paused,
 * credentials broken, endpoint gone, or rate-limited / circuit open until `state_until`). A publish row goes only while its story is usable, out of embargo, not expired and
 * not superseded on its channel and language by a newer version's row (never v1 after v2). A
 * notice goes only while the story is still withdrawn or held, and after every publish of the
 * story on that channel has finished, so it cannot overtake the item it retracts.
 */
export const CLAIMABLE = `(${CHANNEL_SENDABLE} AND (
  (d.kind = 'publish' AND s.pubstatus = 'usable'
    AND (s.embargo_until IS NULL OR s.embargo_until <= clock_timestamp())
    AND (s.expires_at IS NULL OR s.expires_at > clock_timestamp())
    AND NOT EXISTS (SELECT 1 FROM delivery nd JOIN story_version nv ON nv.id = nd.story_version_id
                     WHERE nd.channel_id = d.channel_id AND nd.language = d.language AND nd.kind = 'publish'
                       AND nv.story_id = v.story_id AND nv.version > v.version))
  OR (d.kind = 'withdraw' AND s.pubstatus <> 'usable'
    AND NOT EXISTS (SELECT 1 FROM delivery sd JOIN story_version sv ON sv.id = sd.story_version_id
                     WHERE sd.channel_id = d.channel_id AND sd.kind = 'publish' AND sd.status = 'sending'
                       AND sv.story_id = v.story_id))
))`;

/** What to do with a delivery the claim did not take. */
export type Unclaimed =
  | { action: 'missing' }
  | { action: 'final' }
  /** Another worker holds a live lease. */
  | { action: 'leased'; heldMs: number }
  | { action: 'cancel'; reason: string }
  /** Not yet: look again after `ms` (an embargo, or a publish the notice must not overtake). */
  | { action: 'wait'; ms: number; reason: string; until?: string }
  /** The state changed between the claim and this read: just try again. */
  | { action: 'retry' };

/** Longest a held job sleeps before looking again, so a moved embargo is noticed without a version. */
export const MAX_HOLD_MS = 3_600_000;

export async function explainUnclaimed(m: EntityManager, deliveryId: string, leaseMs: number): Promise<Unclaimed> {
  const rows: Array<{
    status: string;
    kind: 'publish' | 'withdraw';
    held_ms: number | null;
    lease_expired: boolean;
    pubstatus: PubStatus;
    pubstatus_version: number | null;
    embargo_ms: number | null;
    embargo_until: string | null;
    embargoed: boolean;
    expired: boolean;
    superseded_by: number | null;
    sibling_sending: boolean;
    channel_state: string;
    channel_sendable: boolean;
    channel_wait_ms: number | null;
  }> = await m.query(
    `SELECT d.status, d.kind,
            EXTRACT(EPOCH FROM clock_timestamp() - d.claimed_at) * 1000 AS held_ms,
            (d.claimed_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)) AS lease_expired,
            s.pubstatus, s.pubstatus_version,
            (s.embargo_until IS NOT NULL AND s.embargo_until > clock_timestamp()) AS embargoed,
            CASE WHEN isfinite(s.embargo_until) THEN EXTRACT(EPOCH FROM s.embargo_until - clock_timestamp()) * 1000 END AS embargo_ms,
            CASE WHEN isfinite(s.embargo_until) THEN to_char(s.embargo_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS embargo_until,
            (s.expires_at IS NOT NULL AND s.expires_at <= clock_timestamp()) AS expired,
            (SELECT max(nv.version) FROM delivery nd JOIN story_version nv ON nv.id = nd.story_version_id
              WHERE nd.channel_id = d.channel_id AND nd.language = d.language AND nd.kind = 'publish'
                AND nv.story_id = v.story_id AND nv.version > v.version) AS superseded_by,
            EXISTS (SELECT 1 FROM delivery sd JOIN story_version sv ON sv.id = sd.story_version_id
                     WHERE sd.channel_id = d.channel_id AND sd.kind = 'publish' AND sd.status = 'sending'
                       AND sv.story_id = v.story_id AND sd.id <> d.id) AS sibling_sending,
            c.state AS channel_state, ${CHANNEL_SENDABLE} AS channel_sendable,
            EXTRACT(EPOCH FROM c.state_until - clock_timestamp()) * 1000 AS channel_wait_ms
       FROM delivery d JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
       JOIN channel c ON c.id = d.channel_id
      WHERE d.id = $1`,
    [deliveryId, leaseMs],
  );
  const r = rows[0];
  if (!r) return { action: 'missing' };
  if (['delivered', 'failed', 'in_doubt', 'skipped', 'canceled'].includes(r.status)) return { action: 'final' };
  if (r.status === 'sending' && !r.lease_expired) return { action: 'leased', heldMs: Number(r.held_ms ?? 0) };
  if (!r.channel_sendable) {
    // A timed state says when to look again; an operator's (paused, broken, gone) has no end:
    // the job sleeps the longest hold, and a resume queues a fresh one at once.
    const timed = r.channel_wait_ms !== null && (r.channel_state === 'rate_limited' || r.channel_state === 'circuit_open');
    const ms = timed ? Math.min(MAX_HOLD_MS, Math.max(0, Number(r.channel_wait_ms))) : MAX_HOLD_MS;
    return { action: 'wait', ms, reason: `channel ${r.channel_state}` };
  }
  if (r.kind === 'withdraw') {
    if (r.pubstatus === 'usable') return { action: 'cancel', reason: 'released: a later version made the story usable again' };
    if (r.sibling_sending) return { action: 'wait', ms: 1_000, reason: 'a publish of this story is in flight on the channel' };
    return { action: 'retry' };
  }
  if (r.pubstatus !== 'usable') {
    return { action: 'cancel', reason: `${r.pubstatus === 'canceled' ? 'withdrawn' : 'withheld'} by version ${r.pubstatus_version ?? '?'}` };
  }
  if (r.expired) return { action: 'cancel', reason: 'expired' };
  if (r.superseded_by !== null) return { action: 'cancel', reason: `superseded by version ${r.superseded_by}` };
  if (r.embargoed) {
    const ms = r.embargo_ms === null ? MAX_HOLD_MS : Math.min(MAX_HOLD_MS, Math.max(0, Number(r.embargo_ms)));
    return { action: 'wait', ms, reason: 'embargo', ...(r.embargo_until ? { until: r.embargo_until } : { until: 'unreadable' }) };
  }
  return { action: 'retry' };
}

/** The notice a `withdraw` delivery sends. */
export async function loadWithdrawalNotice(m: EntityManager, deliveryId: string): Promise<WithdrawalNotice | undefined> {
  const rows: Array<{
    story_id: string;
    external_id: string;
    partner: string;
    language: string;
    version: number;
    version_pubstatus: string | null;
    pubstatus: PubStatus;
    pubstatus_version: number | null;
    pubstatus_reason: string | null;
    pubstatus_at: Date | null;
    received_at: Date;
  }> = await m.query(
    `SELECT s.id AS story_id, s.external_id, p.slug AS partner, d.language, v.version, v.canonical->>'pubStatus' AS version_pubstatus,
            s.pubstatus, s.pubstatus_version, s.pubstatus_reason, s.pubstatus_at, v.received_at
       FROM delivery d JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
       JOIN partner p ON p.id = s.partner_id
      WHERE d.id = $1 AND d.kind = 'withdraw'`,
    [deliveryId],
  );
  const r = rows[0];
  if (!r) return undefined;
  const pubStatus = r.version_pubstatus === 'withheld' ? 'withheld' : 'canceled';
  const current = r.pubstatus_version === r.version;
  return {
    deliveryId,
    storyId: r.story_id,
    uri: r.external_id,
    partner: r.partner,
    language: r.language,
    pubStatus,
    version: r.version,
    reason: (current && r.pubstatus_reason) || `pubstatus ${pubStatus} in version ${r.version}`,
    at: (current && r.pubstatus_at ? r.pubstatus_at : r.received_at).toISOString(),
  };
}
