import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing by urgency (IPTC 1 = most urgent .. 9) with a minimum and a maximum, and a channel-level
 * language set (a channel carries only these languages, whatever its routes ask for). Both NULL
 * by default: existing routes and channels behave as before.
 */
export class RouteUrgencyChannelLanguages1764370000500 implements MigrationInterface {
  name = 'RouteUrgencyChannelLanguages1764370000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE route
        ADD COLUMN urgency_min smallint CHECK (urgency_min BETWEEN 1 AND 9),
        ADD COLUMN urgency_max smallint CHECK (urgency_max BETWEEN 1 AND 9),
        ADD CONSTRAINT route_urgency_range CHECK (urgency_min IS NULL OR urgency_max IS NULL OR urgency_min <= urgency_max);
      ALTER TABLE channel ADD COLUMN languages text[] CHECK (languages IS NULL OR cardinality(languages) > 0);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE route DROP CONSTRAINT route_urgency_range, DROP COLUMN urgency_min, DROP COLUMN urgency_max`);
    await q.query(`ALTER TABLE channel DROP COLUMN languages`);
  }
}
