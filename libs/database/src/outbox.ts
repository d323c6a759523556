/**
 * Writing work to the transactional outbox. Callers pass the EntityManager of the transaction
 * that changes the state the job acts on, so the job exists if and only if that change commits.
 */
import { context, propagation } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';
import type { JobName, JobOf } from '@syndication/contracts';

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
