/**
 * Translation memory, glossaries, provider pauses and translation cost (issue #4).
 * - translation_memory: one row per (pair, provider, protected source segment); a segment found
 *   here is not sent again, so a corrected story re-translates only its changed paragraphs.
 * - glossary_term: global (partner_id NULL) or per-partner term -> translation, enforced in output.
 * - translation_provider_status: a provider whose quota is spent is paused here, visibly, for
 *   every worker process, instead of failing job after job.
 * - translation gains machine/cost columns; translation_cost sums them per partner and provider.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TranslationMemory1764290000001 implements MigrationInterface {
  name = 'TranslationMemory1764290000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE translation_memory (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source_language text NOT NULL,
        target_language text NOT NULL,
        provider text NOT NULL,
        source_sha256 bytea NOT NULL,
        source_text text NOT NULL,
        target_text text NOT NULL,
        unknown_word_ratio real,
        hits integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_language, target_language, provider, source_sha256)
      );

      CREATE TABLE glossary_term (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid REFERENCES partner(id) ON DELETE CASCADE,
        source_language text NOT NULL,
        target_language text NOT NULL,
        term text NOT NULL CHECK (length(trim(term)) > 0),
        translation text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE NULLS NOT DISTINCT (partner_id, source_language, target_language, term)
      );

      CREATE TABLE translation_provider_status (
        provider text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('active', 'paused')),
        paused_until timestamptz,
        reason text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      ALTER TABLE translation
        ADD COLUMN machine boolean NOT NULL DEFAULT true,
        ADD COLUMN segments_sent integer NOT NULL DEFAULT 0,
        ADD COLUMN segments_reused integer NOT NULL DEFAULT 0,
        ADD COLUMN chars_sent integer NOT NULL DEFAULT 0,
        ADD COLUMN chars_reused integer NOT NULL DEFAULT 0,
        ADD COLUMN attempts jsonb NOT NULL DEFAULT '[]';

      CREATE VIEW translation_cost AS
        SELECT s.partner_id, t.provider, t.language,
               count(*) AS translations,
               sum(t.chars_sent) AS chars_sent,
               sum(t.chars_reused) AS chars_reused
          FROM translation t
          JOIN story_version v ON v.id = t.story_version_id
          JOIN story s ON s.id = v.story_id
         WHERE t.status = 'done'
         GROUP BY s.partner_id, t.provider, t.language;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP VIEW translation_cost;
      ALTER TABLE translation DROP COLUMN machine, DROP COLUMN segments_sent, DROP COLUMN segments_reused,
        DROP COLUMN chars_sent, DROP COLUMN chars_reused, DROP COLUMN attempts;
      DROP TABLE translation_provider_status, glossary_term, translation_memory;
    `);
  }
}
