import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fencing and in-doubt evidence for the publisher's claim.
 * - `claim_token`: a fresh uuid per claim; an outcome is recorded only under the token that
 *   claimed the row, so a stale worker (its lease expired, the row re-claimed) cannot overwrite
 *   a newer claim's outcome.
 * - `send_started_at`: set just before the side effect on channels where a resend is not harmless,
 *   so a row abandoned by a dead worker tells "never sent" (safe to claim again) from "may have
 *   been sent" (in doubt).
 * Both nullable, no default: existing rows need no rewrite.
 */
export class DeliveryClaimFence1764370000000 implements MigrationInterface {
  name = 'DeliveryClaimFence1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery ADD COLUMN claim_token uuid, ADD COLUMN send_started_at timestamptz`);
    // The operators' in-doubt list reads this status alone; a partial index keeps it cheap.
    await q.query(`CREATE INDEX delivery_in_doubt_idx ON delivery (claimed_at) WHERE status = 'in_doubt'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX delivery_in_doubt_idx`);
    await q.query(`ALTER TABLE delivery DROP COLUMN claim_token, DROP COLUMN send_started_at`);
  }
}
