/**
 * Partner feeds we poll (RSS 2.0 / Atom 1.0 URLs a partner registered). The row is the source of
 * truth for the poller: its BullMQ job scheduler is rebuilt from here whenever Redis lost it, the
 * validators for conditional GET (etag, last_modified) survive restarts, and every poll's outcome
 * is recorded on it. Items themselves dedupe through story (partner, external_id) and
 * story_version (story, version) like pushed ones, so a restart never re-ingests.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PolledFeed1764340000000 implements MigrationInterface {
  name = 'PolledFeed1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE polled_feed (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
        interval_seconds int NOT NULL CHECK (interval_seconds BETWEEN 1 AND 86400),
        enabled boolean NOT NULL DEFAULT true,
        etag text,
        last_modified text,
        last_polled_at timestamptz,
        -- ok | not_modified | partial | error
        last_status text,
        last_error text,
        -- counts and per-item problems of the last poll that reached the partner
        last_result jsonb,
        consecutive_failures int NOT NULL DEFAULT 0,
        -- backoff after failures: scheduled polls before this instant are skipped
        next_poll_at timestamptz,
        -- a poll in progress (several pollers may run): others skip the feed until it passes
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (partner_id, url)
      );
      CREATE INDEX polled_feed_enabled_idx ON polled_feed (id) WHERE enabled;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE polled_feed');
  }
}
