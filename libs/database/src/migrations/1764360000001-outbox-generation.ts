import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row may ask for a fresh job generation. Job ids are deterministic (a repeat enqueue
 * collapses onto the existing job), so work that must run again after BullMQ already holds a job
 * under that id (an operator replay, a reconciler bringing back a job BullMQ failed or lost its
 * lock on) needs a new id: `jobIdFor(name, data, generation)`.
 */
export class OutboxGeneration1764360000001 implements MigrationInterface {
  name = 'OutboxGeneration1764360000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN generation integer NOT NULL DEFAULT 0 CHECK (generation >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN generation`);
  }
}
