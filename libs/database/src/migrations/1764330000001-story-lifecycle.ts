/**
 * Kills, holds, embargoes and expiry (issue 3). The latest version's pubstatus, embargo and
 * expiry are copied onto the story row, so the publisher's claim and the feed renderer can check
 * them against Postgres time in the same statement that claims or reads a delivery. Withdrawal
 * notices are ledger rows of their own kind, so they get the claim, retries and receipts of
 * every other delivery.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StoryLifecycle1764330000001 implements MigrationInterface {
  name = 'StoryLifecycle1764330000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE story
        ADD COLUMN pubstatus text NOT NULL DEFAULT 'usable' CHECK (pubstatus IN ('usable', 'withheld', 'canceled')),
        ADD COLUMN pubstatus_reason text,
        ADD COLUMN pubstatus_version int,
        ADD COLUMN pubstatus_at timestamptz,
        -- 'infinity' when the embargo could not be read: held until a later version gives one.
        ADD COLUMN embargo_until timestamptz,
        ADD COLUMN expires_at timestamptz;

      ALTER TABLE delivery DROP CONSTRAINT delivery_status_check;
      ALTER TABLE delivery ADD CONSTRAINT delivery_status_check
        CHECK (status IN ('pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped', 'canceled'));
      ALTER TABLE delivery ADD COLUMN kind text NOT NULL DEFAULT 'publish' CHECK (kind IN ('publish', 'withdraw'));
      -- Newer versions' rows on the same channel and language (the supersede check at claim time).
      CREATE INDEX delivery_channel_language_idx ON delivery(channel_id, language);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX delivery_channel_language_idx;
      ALTER TABLE delivery DROP COLUMN kind;
      ALTER TABLE delivery DROP CONSTRAINT delivery_status_check;
      ALTER TABLE delivery ADD CONSTRAINT delivery_status_check
        CHECK (status IN ('pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped'));
      ALTER TABLE story DROP COLUMN pubstatus, DROP COLUMN pubstatus_reason, DROP COLUMN pubstatus_version,
        DROP COLUMN pubstatus_at, DROP COLUMN embargo_until, DROP COLUMN expires_at;
    `);
  }
}
