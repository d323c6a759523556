import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a tag passes the routing threshold. Topic tags now carry a relevance score and routes
 * match only those at or above TOPIC_ROUTING_THRESHOLD; the tagging worker decides the flag when
 * it writes the row, so a later change of the threshold does not re-route stories already tagged.
 * Rows written before (and entity tags, which have no threshold) stay routable, as they were.
 */
export class TagRoutable1764370000400 implements MigrationInterface {
  name = 'TagRoutable1764370000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tag ADD COLUMN routable boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tag DROP COLUMN routable`);
  }
}
