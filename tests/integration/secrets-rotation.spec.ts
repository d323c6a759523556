/**
 * SECRETS_KEY rotation through the real intake: a partner's HMAC secret sealed under the key
 * that was replaced keeps verifying signed requests while that key is listed in
 * SECRETS_KEY_PREVIOUS, and keys issued after the rotation are sealed under the new key only.
 */
import { randomBytes } from 'node:crypto';
import { openSecret, sealedKeyIndex, upsertHmacKey } from '@syndication/database';
import { startSystem, type RunningSystem } from '../support/system';
import { admin, signedRequest } from '../support/partners';
import { createPartner } from '../support/fixtures';

jest.setTimeout(60_000);

describe('secrets key rotation', () => {
  const previous = randomBytes(32);
  const current = randomBytes(32);
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({
      intakeOnly: true,
      env: { SECRETS_KEY: current.toString('base64'), SECRETS_KEY_PREVIOUS: `${randomBytes(32).toString('base64')},${previous.toString('base64')}` },
    });
  }, 30_000);
  afterAll(() => system?.stop());

  const body = (uri: string) => JSON.stringify({ uri, version: '1', headline: 'Rotated', body_text: 'A body paragraph about the harvest.', language: 'en' });

  it('verifies a secret sealed under a previous key, and seals new secrets under the current one', async () => {
    const partner = await createPartner(system.db, 'rotate');
    // Issued before the rotation: sealed under what was SECRETS_KEY then.
    await upsertHmacKey(system.db.manager, partner.id, 'hk_before_rotation', 'hsec_before', previous);
    const old = await signedRequest(system, { keyId: 'hk_before_rotation', hmacSecret: 'hsec_before' }, { path: '/v1/stories', body: body('urn:rot:1'), headers: { 'content-type': 'application/json' } });
    expect(old.status).toBe(202);

    const created = await admin(system, 'POST', `/v1/admin/partners/${partner.slug}/keys`, { kind: 'hmac' });
    expect(created.status).toBe(201);
    const keyId = created.body['key_id'] as string;
    const [row] = await system.db.query('SELECT secret_sealed FROM partner_key WHERE key_id = $1', [keyId]);
    expect(sealedKeyIndex(system.config.auth.secretsKeys, row.secret_sealed, keyId)).toBe(0);
    expect(() => openSecret(previous, row.secret_sealed, keyId)).toThrow();
    const fresh = await signedRequest(system, { keyId, hmacSecret: created.body['secret'] as string }, { path: '/v1/stories', body: body('urn:rot:2'), headers: { 'content-type': 'application/json' } });
    expect(fresh.status).toBe(202);
  });
});
