/**
 * Translation limits and policy per route (issue #4, second part).
 * - route.translation_providers: a provider chain for this route's languages, overriding the
 *   per-pair and global orders (NULL: no override).
 * - route.translation_policy / translation_wait_seconds: 'wait' holds the route's deliveries
 *   until its translations are ready or N seconds have passed (NULL: TRANSLATION_WAIT_SECONDS);
 *   'source_first' publishes the source now and each translation when it is ready. Either way a
 *   story is never blocked for good by one missing language.
 * - delivery status 'waiting': a delivery held for a translation (visible in the ledger; the
 *   version stays open until it is published or skipped).
 * - story_version.route_due_at: when a held route must be released; the relay's deadline sweep
 *   reads it through a partial index.
 * - glossary_term.updated_at: terms are edited through the API now.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TranslationPolicy1764290000100 implements MigrationInterface {
  name = 'TranslationPolicy1764290000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE route
        ADD COLUMN translation_providers text[] CHECK (translation_providers IS NULL OR cardinality(translation_providers) > 0),
        ADD COLUMN translation_policy text NOT NULL DEFAULT 'wait' CHECK (translation_policy IN ('wait', 'source_first')),
        ADD COLUMN translation_wait_seconds integer CHECK (translation_wait_seconds IS NULL OR translation_wait_seconds >= 0);
      COMMENT ON COLUMN route.translation_providers IS 'Provider chain for this route''s translations (overrides TRANSLATION_CHAIN_xx_yy and TRANSLATION_PROVIDERS)';
      COMMENT ON COLUMN route.translation_policy IS 'wait: hold deliveries until translations are ready or translation_wait_seconds pass; source_first: publish the source now, translations when ready';

      ALTER TABLE delivery DROP CONSTRAINT delivery_status_check;
      ALTER TABLE delivery ADD CONSTRAINT delivery_status_check
        CHECK (status IN ('waiting', 'pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped'));

      ALTER TABLE story_version ADD COLUMN route_due_at timestamptz;
      CREATE INDEX story_version_route_due_idx ON story_version (route_due_at) WHERE route_due_at IS NOT NULL;

      ALTER TABLE glossary_term ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE glossary_term DROP COLUMN updated_at;
      DROP INDEX story_version_route_due_idx;
      ALTER TABLE story_version DROP COLUMN route_due_at;
      UPDATE delivery SET status = 'skipped', last_error = 'translation policy rolled back' WHERE status = 'waiting';
      ALTER TABLE delivery DROP CONSTRAINT delivery_status_check;
      ALTER TABLE delivery ADD CONSTRAINT delivery_status_check
        CHECK (status IN ('pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped'));
      ALTER TABLE route DROP COLUMN translation_providers, DROP COLUMN translation_policy, DROP COLUMN translation_wait_seconds;
    `);
  }
}
