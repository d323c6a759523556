/**
 * Ledger reads and writes the publisher needs per channel: what a channel already shows of a
 * story (the external id an edit or delete targets), and re-enqueueing a channel's open
 * deliveries when an operator resumes it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from './sql';
import { writeOutboxBulk } from './outbox';

/**
 * The external id of the latest delivered publish of an earlier version of the same story, on
 * the same channel and language: what a correction edits and a withdrawal deletes. Undefined when
 * the channel never showed the story.
 */
export async function previousExternalId(m: EntityManager | DataSource, deliveryId: string): Promise<string | undefined> {
  const rows = await queryRows<{ external_id: string }>(
    m,
    `SELECT pd.external_id
       FROM delivery d
       JOIN story_version v ON v.id = d.story_version_id
       JOIN story_version pv ON pv.story_id = v.story_id AND pv.version < v.version
       JOIN delivery pd ON pd.story_version_id = pv.id AND pd.channel_id = d.channel_id AND pd.language = d.language
      WHERE d.id = $1 AND pd.kind = 'publish' AND pd.status = 'delivered' AND pd.external_id IS NOT NULL
      ORDER BY pv.version DESC
      LIMIT 1`,
    [deliveryId],
  );
  return rows[0]?.external_id;
}

/** The channel a delivery goes to (for per-channel gates taken before the claim). */
export async function deliveryChannelId(m: EntityManager | DataSource, deliveryId: string): Promise<string | undefined> {
  const rows = await queryRows<{ channel_id: string }>(m, 'SELECT channel_id FROM delivery WHERE id = $1', [deliveryId]);
  return rows[0]?.channel_id;
}

/**
 * Queues a fresh publish job for every open delivery of a channel (after a resume): their jobs
 * may be sleeping out a long hold, and a new generation makes the relay enqueue a new job rather
 * than collapse into the sleeping one. Returns how many were queued.
 */
export async function requeueChannelDeliveries(m: EntityManager, channelId: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(m, `SELECT id FROM delivery WHERE channel_id = $1 AND status IN ('pending', 'retry')`, [channelId]);
  if (rows.length === 0) return 0;
  // Seconds since 2020 fit the integer column and grow with every resume.
  const generation = Math.floor((Date.now() - Date.UTC(2020, 0, 1)) / 1000);
  await writeOutboxBulk(
    m,
    'publish',
    rows.map((r) => ({ deliveryId: r.id })),
    { generation },
  );
  return rows.length;
}
