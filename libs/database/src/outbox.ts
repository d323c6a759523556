/**
 * Writing work to the transactional outbox. Callers pass the EntityManager of the transaction
 * that changes the state the job acts on, so the job exists if and only if that change commits.
 */
import type { EntityManager } from 'typeorm';
import type { JobName, JobOf } from '@syndication/contracts';

export async function writeOutbox<N extends JobName>(m: EntityManager, name: N, data: JobOf<N>): Promise<void> {
  await m.query('INSERT INTO outbox (job, payload) VALUES ($1, $2)', [name, JSON.stringify(data)]);
}

export async function writeOutboxBulk<N extends JobName>(m: EntityManager, name: N, items: JobOf<N>[]): Promise<void> {
  if (items.length === 0) return;
  await m.query('INSERT INTO outbox (job, payload) SELECT $1, p FROM jsonb_array_elements($2::jsonb) AS p', [
    name,
    JSON.stringify(items),
  ]);
}
