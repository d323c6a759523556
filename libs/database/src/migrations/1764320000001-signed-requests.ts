/**
 * Signed partner requests and the operators' partner admin API.
 * - partner_key gains a kind: `api_key` (only a SHA-256 of the secret, as before), `hmac` (the
 *   secret sealed with AES-256-GCM under SECRETS_KEY, because verifying an HMAC needs it in
 *   clear) or `ed25519` (the partner's public key, SPKI DER). Exactly the material of its kind.
 * - partner.require_signature: such a partner cannot use a bearer API key.
 * - request_nonce: each signed request's nonce, kept until its timestamp leaves the window, so a
 *   byte-identical replay inside the window is refused (the primary key is the check).
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SignedRequests1764320000001 implements MigrationInterface {
  name = 'SignedRequests1764320000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE partner ADD COLUMN require_signature boolean NOT NULL DEFAULT false;

      ALTER TABLE partner_key
        ADD COLUMN kind text NOT NULL DEFAULT 'api_key' CHECK (kind IN ('api_key', 'hmac', 'ed25519')),
        ADD COLUMN secret_sealed bytea,
        ADD COLUMN public_key bytea,
        ADD COLUMN last_used_at timestamptz,
        ALTER COLUMN secret_sha256 DROP NOT NULL,
        ADD CONSTRAINT partner_key_material CHECK (
          (kind = 'api_key' AND secret_sha256 IS NOT NULL AND secret_sealed IS NULL AND public_key IS NULL) OR
          (kind = 'hmac' AND secret_sealed IS NOT NULL AND secret_sha256 IS NULL AND public_key IS NULL) OR
          (kind = 'ed25519' AND public_key IS NOT NULL AND secret_sha256 IS NULL AND secret_sealed IS NULL)
        );

      CREATE TABLE request_nonce (
        partner_id uuid NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        nonce text NOT NULL,
        key_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (partner_id, nonce)
      );
      -- Pruning deletes a partner's expired nonces on each of its signed requests: a range scan.
      CREATE INDEX request_nonce_expiry_idx ON request_nonce (partner_id, expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE request_nonce;
      DELETE FROM partner_key WHERE kind <> 'api_key';
      ALTER TABLE partner_key
        DROP CONSTRAINT partner_key_material,
        ALTER COLUMN secret_sha256 SET NOT NULL,
        DROP COLUMN last_used_at,
        DROP COLUMN public_key,
        DROP COLUMN secret_sealed,
        DROP COLUMN kind;
      ALTER TABLE partner DROP COLUMN require_signature;
    `);
  }
}
