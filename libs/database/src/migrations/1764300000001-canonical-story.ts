/**
 * Intake formats (issue 3): the canonical story (subjects, places, embargo, rights, associations,
 * body HTML...) is kept whole as jsonb rather than as a column per field, since formats keep
 * adding fields; and a partner may declare the ninjs version its documents follow.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CanonicalStory1764300000001 implements MigrationInterface {
  name = 'CanonicalStory1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE story_version ADD COLUMN canonical jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE partner ADD COLUMN ninjs_version text CHECK (ninjs_version ~ '^[0-9]+\\.[0-9]+$');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE partner DROP COLUMN ninjs_version;
      ALTER TABLE story_version DROP COLUMN canonical;
    `);
  }
}
