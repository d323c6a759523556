import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wire dialects. `partner.format_mode` says whether a partner's documents may be read as a named
 * producer dialect (`dialects`, e.g. Superdesk's ninjs without `uri`) or only as the standard
 * (`strict`); `story_version.warnings` keeps what the intake noted about the document it stored
 * (dialect deviations, collapsed repeats, dates ignored), as the 2xx answer listed them.
 */
export class FormatDialects1764370000300 implements MigrationInterface {
  name = 'FormatDialects1764370000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE partner ADD COLUMN format_mode text NOT NULL DEFAULT 'dialects' CHECK (format_mode IN ('strict', 'dialects'))`);
    await q.query(`ALTER TABLE story_version ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(warnings) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE story_version DROP COLUMN warnings`);
    await q.query(`ALTER TABLE partner DROP COLUMN format_mode`);
  }
}
