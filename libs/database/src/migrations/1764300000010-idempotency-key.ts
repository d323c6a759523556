/**
 * `Idempotency-Key` on POST /v1/stories: one row per partner and key, holding a hash of the
 * request body and the result it produced, so a retried request gets the original answer and a
 * key reused for another body is refused. Rows are honoured for 7 days (`created_at`); older ones
 * are treated as absent and replaced.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKey1764300000010 implements MigrationInterface {
  name = 'IdempotencyKey1764300000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        partner_id uuid NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_sha256 bytea NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner_id, key)
      );
      CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_key');
  }
}
