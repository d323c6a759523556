import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two branches each widened `delivery_status_check`: the translation policy added 'waiting'
 * (1764290000100) and the story lifecycle added 'canceled' (1764330000001, from a fixed list
 * that drops 'waiting' when it runs second, as it does on a fresh database). This states the
 * whole set once, whatever order the others ran in.
 */
export class DeliveryStatusWaitingCanceled1764350000001 implements MigrationInterface {
  name = 'DeliveryStatusWaitingCanceled1764350000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE delivery DROP CONSTRAINT IF EXISTS delivery_status_check;
      ALTER TABLE delivery ADD CONSTRAINT delivery_status_check
        CHECK (status IN ('waiting', 'pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped', 'canceled'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to what the lifecycle migration alone allows; waiting rows have no place there.
    await q.query(`
      UPDATE delivery SET status = 'pending' WHERE status = 'waiting';
      ALTER TABLE delivery DROP CONSTRAINT IF EXISTS delivery_status_check;
      ALTER TABLE delivery ADD CONSTRAINT delivery_status_check
        CHECK (status IN ('pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped', 'canceled'));
    `);
  }
}
