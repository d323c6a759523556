/**
 * Writing work to the transactional outbox. Callers pass the EntityManager of the transaction
 * that changes the state the job acts on, so the job exists if and only if that change commits.
 */
import { context, propagation } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import type { JobName, JobOf } from '@syndication/contracts';
import { queryRows } from './sql';

/** The active trace context as a W3C carrier, or null when not tracing (the common case costs nothing). */
function traceCarrier(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length ? JSON.stringify(carrier) : null;
}

export interface OutboxOptions {
  /**
   * > 0 asks the relay for a job under a new id (`jobIdFor(name, data, generation)`): for work that
   * must run again although BullMQ may still hold a job under the plain id (operator replay,
   * reconciler recovery). 0, the default, lets a repeated enqueue collapse.
   */
  generation?: number;
}

export async function writeOutbox<N extends JobName>(m: EntityManager, name: N, data: JobOf<N>, opts: OutboxOptions = {}): Promise<void> {
  await m.query('INSERT INTO outbox (job, payload, generation, trace) VALUES ($1, $2, $3, $4)', [name, JSON.stringify(data), opts.generation ?? 0, traceCarrier()]);
}

export async function writeOutboxBulk<N extends JobName>(m: EntityManager, name: N, items: JobOf<N>[], opts: OutboxOptions = {}): Promise<void> {
  if (items.length === 0) return;
  await m.query('INSERT INTO outbox (job, payload, generation, trace) SELECT $1, p, $3, $4 FROM jsonb_array_elements($2::jsonb) AS p', [
    name,
    JSON.stringify(items),
    opts.generation ?? 0,
    traceCarrier(),
  ]);
}

/** An outbox row as the relay reads it. */
export interface PendingOutboxRow {
  id: string;
  job: string;
  payload: unknown;
  generation: number;
  /** W3C trace context of the writer, when it was tracing. */
  trace: Record<string, string> | null;
}

/** One indexed read: is anything waiting? (An idle relay polls this, not BEGIN / FOR UPDATE / COMMIT.) */
export async function hasPendingOutbox(m: EntityManager | DataSource): Promise<boolean> {
  const rows = await queryRows<{ any: boolean }>(m, 'SELECT EXISTS (SELECT 1 FROM outbox WHERE dispatched_at IS NULL) AS any');
  return rows[0]?.any === true;
}

/** Locks the oldest undispatched rows for this transaction; rows another relay holds are skipped. */
export function lockPendingOutbox(m: EntityManager, limit: number): Promise<PendingOutboxRow[]> {
  return queryRows<PendingOutboxRow>(
    m,
    'SELECT id, job, payload, generation, trace FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
    [limit],
  );
}

export async function markOutboxDispatched(m: EntityManager, ids: string[]): Promise<void> {
  if (ids.length) await m.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}

/** A row that can never be enqueued: out of the pending set, with the reason kept for operators. */
export async function setOutboxAside(m: EntityManager, id: string, error: string): Promise<void> {
  await m.query('UPDATE outbox SET dispatched_at = now(), error = $2 WHERE id = $1', [id, error]);
}

/** Forgets dispatched rows older than a day (rows set aside with an error are kept for operators). */
export async function deleteOldDispatchedOutbox(m: EntityManager | DataSource): Promise<void> {
  await m.query(`DELETE FROM outbox WHERE dispatched_at < now() - interval '1 day' AND error IS NULL`);
}
