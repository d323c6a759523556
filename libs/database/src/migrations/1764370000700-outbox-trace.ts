import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context (W3C traceparent/tracestate) active when an outbox row was written, so the job
 * the relay makes from it continues the same trace: the outbox is the one queue hop BullMQ's own
 * context propagation cannot see. Empty when tracing is off.
 */
export class OutboxTrace1764370000700 implements MigrationInterface {
  name = 'OutboxTrace1764370000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN trace jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN trace`);
  }
}
