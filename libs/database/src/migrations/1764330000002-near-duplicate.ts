/**
 * Near-duplicate detection (issue 3): one MinHash signature per story (its latest text version),
 * with its LSH band keys in an int8[] under a GIN index, so finding candidates is an indexed
 * overlap query, not a scan; and the links found, stored in both directions so either story
 * reads its list with one index lookup.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NearDuplicate1764330000002 implements MigrationInterface {
  name = 'NearDuplicate1764330000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE story_fingerprint (
        story_id uuid PRIMARY KEY REFERENCES story(id),
        story_version_id uuid NOT NULL REFERENCES story_version(id),
        partner_id uuid NOT NULL REFERENCES partner(id),
        minhash bytea NOT NULL,
        bands int8[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX story_fingerprint_bands_idx ON story_fingerprint USING gin (bands);

      CREATE TABLE story_near_duplicate (
        story_id uuid NOT NULL REFERENCES story(id),
        other_story_id uuid NOT NULL REFERENCES story(id),
        similarity real NOT NULL CHECK (similarity >= 0 AND similarity <= 1),
        detected_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (story_id, other_story_id),
        CHECK (story_id <> other_story_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE story_near_duplicate, story_fingerprint');
  }
}
