/**
 * Translation limits and policy per route (issue #4, second part).
 * - route.translation_providers: a provider chain for this route's languages, overriding the
 *   per-pair and global orders (NULL: no override).
 * - route.translation_policy / translation_wait_seconds: 'wait' holds the route's deliveries
 *   until its translations are ready or N seconds have passed (NULL: TRANSLATION_WAIT_SECONDS);
 *   'source_first' publishes the source now and each translation when it is ready. Either way a
 *   story is never blocked for good by one missing language.
 * - delivery status 'waiting': a delivery held for a translation (visible in the ledger; the
 *   version stays open until it is published or skipped). Added to the statuses the constraint
 *   allows at the time, not a fixed list, so it composes with other branches' statuses.
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

      ALTER TABLE story_version ADD COLUMN route_due_at timestamptz;
      CREATE INDEX story_version_route_due_idx ON story_version (route_due_at) WHERE route_due_at IS NOT NULL;

      ALTER TABLE glossary_term ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
    `);
    await setDeliveryStatuses(q, (statuses) => [...new Set(['waiting', ...statuses])]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE glossary_term DROP COLUMN updated_at;
      DROP INDEX story_version_route_due_idx;
      ALTER TABLE story_version DROP COLUMN route_due_at;
      UPDATE delivery SET status = 'skipped', last_error = 'translation policy rolled back' WHERE status = 'waiting';
      ALTER TABLE route DROP COLUMN translation_providers, DROP COLUMN translation_policy, DROP COLUMN translation_wait_seconds;
    `);
    await setDeliveryStatuses(q, (statuses) => statuses.filter((s) => s !== 'waiting'));
  }
}

/**
 * Rewrites delivery_status_check from the statuses it allows now, so that statuses other
 * migrations added (whichever ran first) are kept. A migration that later re-creates the
 * constraint from a fixed list must include 'waiting'.
 */
async function setDeliveryStatuses(q: QueryRunner, change: (statuses: string[]) => string[]): Promise<void> {
  const rows: Array<{ def: string }> = await q.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'delivery'::regclass AND conname = 'delivery_status_check'`,
  );
  const current = [...(rows[0]?.def ?? '').matchAll(/'([a-z_]+)'/gu)].map((m) => m[1]!);
  const next = change(current);
  if (next.some((s) => !/^[a-z_]+$/u.test(s))) throw new Error(`unexpected delivery status in ${JSON.stringify(next)}`);
  await q.query('ALTER TABLE delivery DROP CONSTRAINT IF EXISTS delivery_status_check');
  await q.query(`ALTER TABLE delivery ADD CONSTRAINT delivery_status_check CHECK (status IN (${next.map((s) => `'${s}'`).join(', ')}))`);
}
