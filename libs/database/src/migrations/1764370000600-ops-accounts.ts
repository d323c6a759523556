import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator accounts and their sessions for the ops dashboard, and replay generations.
 * - ops_user: one row per person; `role` viewer < operator < admin; the password is an argon2id
 *   PHC string (never the password itself).
 * - ops_session: server-side sessions. The cookie carries a random token; only its SHA-256 is
 *   stored, so a database read does not hand out live sessions. Each session has its own CSRF
 *   token (synchroniser pattern) that every state-changing request must echo.
 * - delivery.replays / story_version.replays: how many times an operator asked for the work again.
 *   The next replay enqueues under generation replays + 1, so BullMQ creates a fresh job even
 *   when it still keeps the previous one (failed jobs are kept).
 */
export class OpsAccounts1764370000600 implements MigrationInterface {
  name = 'OpsAccounts1764370000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ops_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      );
      CREATE TABLE ops_session (
        token_sha256 bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES ops_user(id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text
      );
      CREATE INDEX ops_session_user_idx ON ops_session(user_id);
      CREATE INDEX ops_session_expires_idx ON ops_session(expires_at);
      ALTER TABLE delivery ADD COLUMN replays integer NOT NULL DEFAULT 0;
      ALTER TABLE story_version ADD COLUMN replays integer NOT NULL DEFAULT 0;
      CREATE INDEX IF NOT EXISTS delivery_problem_idx ON delivery (status, claimed_at) WHERE status IN ('failed', 'retry', 'in_doubt');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX IF EXISTS delivery_problem_idx;
      ALTER TABLE story_version DROP COLUMN replays;
      ALTER TABLE delivery DROP COLUMN replays;
      DROP TABLE ops_session, ops_user;
    `);
  }
}
