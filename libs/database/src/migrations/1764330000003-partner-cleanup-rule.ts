/**
 * Per-partner clean-up rules (issue 3), applied after the generic ones. Patterns are validated
 * by the API before they get here (a restricted, backtracking-safe regex subset); the checks
 * below only bound what the table can hold. Rules are disabled, never deleted, so removed spans
 * recorded on story versions keep pointing at the rule that removed them.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerCleanupRule1764330000003 implements MigrationInterface {
  name = 'PartnerCleanupRule1764330000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_cleanup_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('paragraph', 'line', 'prefix', 'suffix')),
        pattern text NOT NULL CHECK (length(pattern) BETWEEN 1 AND 200),
        reason text NOT NULL CHECK (reason ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX partner_cleanup_rule_partner_idx ON partner_cleanup_rule(partner_id, created_at) WHERE enabled;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE partner_cleanup_rule');
  }
}
