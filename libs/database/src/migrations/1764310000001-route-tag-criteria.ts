/**
 * Routes can match what tagging found: IPTC Media Topic codes (a code also matches its narrower
 * topics) and entity ids. NULL matches every story, like the other matchers, so existing routes
 * keep routing exactly as before.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RouteTagCriteria1764310000001 implements MigrationInterface {
  name = 'RouteTagCriteria1764310000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE route
        ADD COLUMN topics text[],
        ADD COLUMN entities text[];
      COMMENT ON COLUMN route.topics IS 'IPTC Media Topic codes (medtop:...); matches the code or any narrower topic. NULL: any story';
      COMMENT ON COLUMN route.entities IS 'Entity ids (Wikidata QIDs) of which the story must have one. NULL: any story';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE route DROP COLUMN topics, DROP COLUMN entities');
  }
}
