import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A multi-item document (a feed, a news message, a collection) is stored once, and each item's
 * version refers to it, instead of every version carrying a copy of the whole document (500 items
 * of a 1 MiB feed were 500 MiB of copies). Single-story documents keep their `raw_payload`.
 * Existing rows keep their copies; only new multi-item versions use the reference.
 */
export class IntakeDocument1764370000200 implements MigrationInterface {
  name = 'IntakeDocument1764370000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partner(id),
        content_type text NOT NULL,
        payload text NOT NULL,
        sha256 bytea NOT NULL,
        items integer NOT NULL CHECK (items >= 0),
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX intake_document_partner_idx ON intake_document (partner_id, received_at)`);
    await q.query(`ALTER TABLE story_version ADD COLUMN document_id uuid REFERENCES intake_document(id)`);
    await q.query(`CREATE INDEX story_version_document_idx ON story_version (document_id) WHERE document_id IS NOT NULL`);
    await q.query(`ALTER TABLE story_version ALTER COLUMN raw_payload DROP NOT NULL`);
    await q.query(`ALTER TABLE story_version ADD CONSTRAINT story_version_raw_present CHECK (raw_payload IS NOT NULL OR document_id IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE story_version DROP CONSTRAINT story_version_raw_present`);
    await q.query(`UPDATE story_version v SET raw_payload = d.payload FROM intake_document d WHERE v.document_id = d.id AND v.raw_payload IS NULL`);
    await q.query(`ALTER TABLE story_version ALTER COLUMN raw_payload SET NOT NULL`);
    await q.query(`ALTER TABLE story_version DROP COLUMN document_id`);
    await q.query(`DROP TABLE intake_document`);
  }
}
