/**
 * Operator actions on deliveries and stories. Each runs in one transaction with its audit row
 * (recordAudit), takes the version row lock the publisher takes before it settles a delivery, and
 * resets only rows that were not delivered: a replay can never send a delivered row again, and
 * the publisher's claim (pending|retry -> sending) keeps it to one send per delivery even when an
 * old job and the replay's fresh job both run.
 *
 * A replay enqueues through the outbox under generation `delivery.replays` (incremented), so the
 * relay creates a fresh BullMQ job although BullMQ still keeps the failed one under the old id.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type AuditActorType } from '../audit';
import { closeVersionIfDone } from '../delivery-ledger';
import { writeOutbox } from '../outbox';
import { queryRows } from '../sql';
import { recordStageEvent } from '../timeline';
import { failedDeliveryIds, type FailureFilter } from './failures';

export interface OpsActor {
  actor: string;
  actorType: AuditActorType;
  reason: string;
  requestId?: string;
  ip?: string;
}

function auditBase(who: OpsActor) {
  return {
    actor: who.actor,
    actorType: who.actorType,
    reason: who.reason,
    ...(who.requestId ? { requestId: who.requestId } : {}),
    ...(who.ip ? { ip: who.ip } : {}),
  };
}

/** Locks the versions of these deliveries in a stable order (no deadlock between two replays). */
async function lockVersionsOf(m: EntityManager, deliveryIds: string[]): Promise<void> {
  await m.query(
    `SELECT v.id FROM story_version v WHERE v.id IN (SELECT story_version_id FROM delivery WHERE id = ANY($1::uuid[])) ORDER BY v.id FOR UPDATE`,
    [deliveryIds],
  );
}

/**
 * Puts these deliveries back to work when they are in one of `from` (never 'delivered'), reopens
 * their versions and writes a fresh-generation publish job for each. Returns the ids reset.
 */
export async function requeueDeliveries(m: EntityManager, deliveryIds: string[], from: readonly string[], to: 'pending' | 'retry', who: OpsActor): Promise<string[]> {
  if (deliveryIds.length === 0) return [];
  const allowed = from.filter((s) => s !== 'delivered');
  await lockVersionsOf(m, deliveryIds);
  const rows = await queryRows<{ id: string; story_version_id: string; replays: number; channel: string; language: string }>(
    m,
    `UPDATE delivery d SET status = $3, replays = d.replays + 1
       FROM channel c
      WHERE d.id = ANY($1::uuid[]) AND d.status = ANY($2::text[]) AND c.id = d.channel_id
      RETURNING d.id, d.story_version_id, d.replays, c.slug AS channel, d.language`,
    [deliveryIds, allowed, to],
  );
  const versions = [...new Set(rows.map((r) => r.story_version_id))];
  if (versions.length) await m.query(`UPDATE story_version SET stage = 'publish' WHERE id = ANY($1::uuid[]) AND stage = 'done'`, [versions]);
  for (const r of rows) {
    await recordStageEvent(m, r.story_version_id, 'publish', 'replayed', { deliveryId: r.id, channel: r.channel, language: r.language, by: who.actor, reason: who.reason });
    await writeOutbox(m, 'publish', { deliveryId: r.id }, { generation: r.replays });
  }
  return rows.map((r) => r.id);
}

/** Retry one delivery now (failed, or waiting for its next retry). Null when it is in neither state. */
export async function retryDelivery(db: DataSource, deliveryId: string, who: OpsActor): Promise<{ status: 'pending' } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(deliveryId)) return null;
  return db.transaction(async (m) => {
    const done = await requeueDeliveries(m, [deliveryId], ['failed', 'retry'], 'pending', who);
    if (!done.length) return null;
    await recordAudit(m, { ...auditBase(who), action: 'delivery.retry', targetType: 'delivery', targetId: deliveryId });
    return { status: 'pending' as const };
  });
}

export interface ReplayPlan {
  fromStage: 'publish';
  channels?: string[];
  languages?: string[];
}

/** The failed deliveries of a story's latest version a replay from `publish` would send again. */
export async function replayCandidates(db: DataSource | EntityManager, storyId: string, plan: ReplayPlan): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    `SELECT d.id FROM delivery d
       JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id AND v.version = s.latest_version
       JOIN channel c ON c.id = d.channel_id
      WHERE s.id = $1 AND d.status = 'failed'
        AND ($2::text[] IS NULL OR c.slug = ANY($2)) AND ($3::text[] IS NULL OR d.language = ANY($3))
      ORDER BY d.id`,
    [storyId, plan.channels?.length ? plan.channels : null, plan.languages?.length ? plan.languages : null],
  );
  return rows.map((r) => r.id);
}

export interface ReplayResult {
  dryRun: boolean;
  count: number;
  deliveryIds: string[];
}

/** Replays stories (one or many) from `publish`; a dry run only counts. */
export async function replayStories(db: DataSource, storyIds: string[], plan: ReplayPlan, dryRun: boolean, who: OpsActor): Promise<ReplayResult> {
  const ids = storyIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (dryRun) {
    const all = (await Promise.all(ids.map((id) => replayCandidates(db, id, plan)))).flat();
    return { dryRun, count: all.length, deliveryIds: all };
  }
  return db.transaction(async (m) => {
    const all = (await Promise.all(ids.map((id) => replayCandidates(m, id, plan)))).flat();
    const done = await requeueDeliveries(m, all, ['failed'], 'pending', who);
    for (const id of ids) {
      await recordAudit(m, { ...auditBase(who), action: 'story.replay', targetType: 'story', targetId: id, detail: { fromStage: plan.fromStage, channels: plan.channels ?? null, languages: plan.languages ?? null, deliveries: done.length } });
    }
    return { dryRun, count: done.length, deliveryIds: done };
  });
}

/** Replays a failure group (failed publish deliveries matching the filter); a dry run only counts. */
export async function replayFailureGroup(db: DataSource, filter: FailureFilter, dryRun: boolean, who: OpsActor, limit = 1000): Promise<ReplayResult> {
  if (filter.stage !== 'publish') return { dryRun, count: 0, deliveryIds: [] };
  if (dryRun) {
    const ids = await failedDeliveryIds(db, filter, limit);
    return { dryRun, count: ids.length, deliveryIds: ids };
  }
  return db.transaction(async (m) => {
    const ids = await failedDeliveryIds(m, filter, limit);
    const done = await requeueDeliveries(m, ids, ['failed'], 'pending', who);
    await recordAudit(m, { ...auditBase(who), action: 'failures.replay', targetType: 'failure_group', targetId: [filter.stage, filter.channelId ?? '*', filter.errorCode ?? '*'].join('/'), detail: { deliveries: done.length } });
    return { dryRun, count: done.length, deliveryIds: done };
  });
}

/** Cancels every delivery of the story not yet started (waiting / pending / retry). Null: no such story. */
export async function cancelStory(db: DataSource, storyId: string, who: OpsActor): Promise<{ canceled: number } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(storyId)) return null;
  return db.transaction(async (m) => {
    const versions = await queryRows<{ id: string }>(m, 'SELECT id FROM story_version WHERE story_id = $1 ORDER BY id FOR UPDATE', [storyId]);
    if (!versions.length) return null;
    const rows = await queryRows<{ id: string; story_version_id: string; channel: string; language: string }>(
      m,
      `UPDATE delivery d SET status = 'canceled', last_error = $2
         FROM channel c
        WHERE d.story_version_id = ANY($1::uuid[]) AND d.status IN ('waiting', 'pending', 'retry') AND c.id = d.channel_id
        RETURNING d.id, d.story_version_id, c.slug AS channel, d.language`,
      [versions.map((v) => v.id), `canceled by operator: ${who.reason}`],
    );
    for (const r of rows) await recordStageEvent(m, r.story_version_id, 'publish', 'canceled', { deliveryId: r.id, channel: r.channel, language: r.language, by: who.actor, reason: who.reason });
    for (const v of versions) await closeVersionIfDone(m, v.id);
    await recordAudit(m, { ...auditBase(who), action: 'story.cancel', targetType: 'story', targetId: storyId, detail: { canceled: rows.length } });
    return { canceled: rows.length };
  });
}
