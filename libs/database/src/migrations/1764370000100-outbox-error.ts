import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row the relay can never enqueue (a job name this build does not know, a payload
 * without its id) is set aside: marked dispatched with the reason, instead of being re-selected
 * forever at the head of every batch.
 */
export class OutboxError1764370000100 implements MigrationInterface {
  name = 'OutboxError1764370000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN error text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN error`);
  }
}
