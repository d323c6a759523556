import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only audit log of privileged actions (operator replays, in-doubt resolutions, channel
 * and route changes, logins). Each row carries the hash of the previous one, so a row changed or
 * removed behind the application's back breaks the chain (`verifyAuditChain`). A trigger refuses
 * UPDATE and DELETE, so the application itself cannot rewrite history either.
 */
export class AuditEvent1764360000000 implements MigrationInterface {
  name = 'AuditEvent1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor text NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('admin_token', 'user', 'operator_token', 'partner', 'system')),
        action text NOT NULL,
        target_type text,
        target_id text,
        reason text,
        detail jsonb NOT NULL DEFAULT '{}',
        request_id text,
        ip text,
        prev_hash text,
        hash text NOT NULL
      );
      CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id);
      CREATE INDEX audit_event_at_idx ON audit_event (at DESC);
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$;
      CREATE TRIGGER audit_event_no_rewrite BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event; DROP FUNCTION audit_event_append_only();`);
  }
}
