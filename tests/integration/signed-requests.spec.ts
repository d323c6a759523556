/**
 * Signed partner requests through the real intake: HMAC and Ed25519 accepted; a tampered body,
 * a wrong key, a stale timestamp and a byte-identical replay refused with their codes and nothing
 * written; two active keys for rotation; plain API keys still working where allowed.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startSystem, type RunningSystem } from '../support/system';
import { admin, send, signedRequest } from '../support/partners';
import { pushStory } from '../support/fixtures';

// Schema compilation and real deliveries take seconds on a shared machine.
jest.setTimeout(30_000);

describe('intake: signed requests', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true, env: { SIGNATURE_WINDOW_SECONDS: '120' } });
  }, 30_000);
  afterAll(() => system?.stop());

  const ninjs = (uri: string, headline = 'Signed headline') =>
    JSON.stringify({ uri, version: '1', headline, body_text: 'A body paragraph about the harvest.', language: 'en' });
  const json = { 'content-type': 'application/json' };

  async function newPartner(opts: { require_signature?: boolean } = {}): Promise<string> {
    const slug = `sig-${randomBytes(4).toString('hex')}`;
    const res = await admin(system, 'POST', '/v1/admin/partners', { slug, name: `Signed ${slug}`, ...opts });
    expect(res.status).toBe(201);
    return slug;
  }
  async function hmacKey(slug: string): Promise<{ keyId: string; hmacSecret: string }> {
    const res = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'hmac' });
    expect(res.status).toBe(201);
    return { keyId: res.body['key_id'] as string, hmacSecret: res.body['secret'] as string };
  }
  async function versions(slug: string): Promise<number> {
    const [r] = await system.db.query(
      'SELECT count(*)::int AS n FROM story_version v JOIN story s ON s.id = v.story_id JOIN partner p ON p.id = s.partner_id WHERE p.slug = $1',
      [slug],
    );
    return r.n as number;
  }

  it('accepts an HMAC-signed push, stores the secret sealed, and reads the status signed too', async () => {
    const slug = await newPartner();
    const key = await hmacKey(slug);
    const pushed = await signedRequest(system, key, { path: '/v1/stories', body: ninjs('urn:sig:hmac'), headers: json });
    expect(pushed.status).toBe(202);
    const [row] = await system.db.query('SELECT secret_sealed, secret_sha256 FROM partner_key WHERE key_id = $1', [key.keyId]);
    expect(row.secret_sha256).toBeNull();
    expect((row.secret_sealed as Buffer).includes(Buffer.from(key.hmacSecret))).toBe(false);

    const status = await signedRequest(system, key, { path: `/v1/stories/${pushed.body['id'] as string}` });
    expect(status.status).toBe(200);
    expect(status.body['external_id']).toBe('urn:sig:hmac');
    const [used] = await system.db.query('SELECT last_used_at FROM partner_key WHERE key_id = $1', [key.keyId]);
    expect(used.last_used_at).toBeInstanceOf(Date);
  });

  it('accepts an Ed25519-signed push with a registered public key', async () => {
    const slug = await newPartner();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const created = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, {
      kind: 'ed25519',
      public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(created.status).toBe(201);
    expect(created.body['secret']).toBeUndefined();
    const key = { keyId: created.body['key_id'] as string, privateKey };
    const pushed = await signedRequest(system, key, { path: '/v1/stories', body: ninjs('urn:sig:ed'), headers: json });
    expect(pushed.status).toBe(202);
    // Another key pair under the same key id does not verify.
    const forged = await signedRequest(system, { keyId: key.keyId, privateKey: generateKeyPairSync('ed25519').privateKey }, {
      path: '/v1/stories',
      body: ninjs('urn:sig:ed-forged'),
      headers: json,
    });
    expect(forged.status).toBe(401);
    expect(forged.body['code']).toBe('invalid_signature');
    expect(await versions(slug)).toBe(1);
  });

  it('refuses a tampered body, a wrong secret, an unknown key and bound headers changed, writing nothing', async () => {
    const slug = await newPartner();
    const key = await hmacKey(slug);
    const tampered = await signedRequest(system, key, {
      path: '/v1/stories',
      body: ninjs('urn:sig:t'),
      sendBody: ninjs('urn:sig:t', 'Signed headlinE'),
      headers: json,
    });
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(tampered.body).toMatchObject({ code: 'invalid_signature', errors: [expect.objectContaining({ pointer: '/headers/x-signature' })] });

    const wrong = await signedRequest(system, { keyId: key.keyId, hmacSecret: `${key.hmacSecret}x` }, { path: '/v1/stories', body: ninjs('urn:sig:w'), headers: json });
    expect(wrong.body['code']).toBe('invalid_signature');

    const unknown = await signedRequest(system, { keyId: 'hk_doesnotexist', hmacSecret: key.hmacSecret }, { path: '/v1/stories', body: ninjs('urn:sig:u'), headers: json });
    expect([unknown.status, unknown.body['code']]).toEqual([401, 'unknown_key']);

    // The content type is bound: the same bytes declared as another format do not verify.
    const signed = await signedRequest(system, key, { path: '/v1/stories', body: ninjs('urn:sig:ct'), headers: json });
    expect(signed.status).toBe(202);
    const swapped = await send(system, 'POST', '/v1/stories', { ...signed.sent, 'content-type': 'application/ninjs+json; version=1.1', 'x-signature-nonce': randomBytes(16).toString('hex') }, ninjs('urn:sig:ct'));
    expect(swapped.body['code']).toBe('invalid_signature');

    // A signature made for one path does not open another.
    const elsewhere = await send(system, 'POST', '/v1/routes/preview', { ...signed.sent, 'x-signature-nonce': randomBytes(16).toString('hex') }, ninjs('urn:sig:ct'));
    expect(elsewhere.body['code']).toBe('invalid_signature');

    const partial = await send(system, 'POST', '/v1/stories', { ...json, 'x-signature-key-id': key.keyId }, ninjs('urn:sig:p'));
    expect(partial.body).toMatchObject({ status: 401, code: 'missing_signature', errors: [expect.objectContaining({ pointer: '/headers/x-signature-timestamp' })] });
    expect(await versions(slug)).toBe(1);
  });

  it('refuses a timestamp outside the window, either way', async () => {
    const slug = await newPartner();
    const key = await hmacKey(slug);
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 121, now + 121]) {
      const res = await signedRequest(system, key, { path: '/v1/stories', body: ninjs('urn:sig:stale'), headers: json, timestamp });
      expect([res.status, res.body['code']]).toEqual([401, 'stale_timestamp']);
    }
    const edge = await signedRequest(system, key, { path: '/v1/stories', body: ninjs('urn:sig:stale'), headers: json, timestamp: now - 100 });
    expect(edge.status).toBe(202);
    expect(await versions(slug)).toBe(1);
  });

  it('refuses a byte-identical replay inside the window, and prunes expired nonces', async () => {
    const slug = await newPartner();
    const key = await hmacKey(slug);
    const body = ninjs('urn:sig:replay');
    const first = await signedRequest(system, key, { path: '/v1/stories', body, headers: { ...json, 'idempotency-key': 'replay-1' } });
    expect(first.status).toBe(202);
    const replays = await Promise.all([1, 2, 3].map(() => send(system, 'POST', '/v1/stories', first.sent, body)));
    for (const r of replays) {
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: 'replayed_request', errors: [expect.objectContaining({ pointer: '/headers/x-signature-nonce' })] });
    }
    expect(await versions(slug)).toBe(1);
    const [{ n: before }] = await system.db.query('SELECT count(*)::int AS n FROM idempotency_key k JOIN partner p ON p.id = k.partner_id WHERE p.slug = $1', [slug]);
    expect(before).toBe(1);

    // Re-signed (new nonce and timestamp), the same request is a normal idempotent retry.
    const retry = await signedRequest(system, key, { path: '/v1/stories', body, headers: { ...json, 'idempotency-key': 'replay-1' } });
    expect(retry.status).toBe(200);
    expect(retry.body['id']).toBe(first.body['id']);

    await system.db.query(
      `UPDATE request_nonce SET expires_at = now() - interval '1 second' WHERE partner_id = (SELECT id FROM partner WHERE slug = $1)`,
      [slug],
    );
    await signedRequest(system, key, { path: '/v1/stories', body: ninjs('urn:sig:replay-2'), headers: json });
    const nonces: Array<{ nonce: string }> = await system.db.query(
      'SELECT nonce FROM request_nonce WHERE partner_id = (SELECT id FROM partner WHERE slug = $1)',
      [slug],
    );
    expect(nonces).toHaveLength(1);
  });

  it('rotates: two active signing keys both work, a third is refused, a revoked one is refused', async () => {
    const slug = await newPartner();
    const oldKey = await hmacKey(slug);
    const newKey = await hmacKey(slug);
    for (const [i, key] of [oldKey, newKey].entries()) {
      expect((await signedRequest(system, key, { path: '/v1/stories', body: ninjs(`urn:sig:rot-${i}`), headers: json })).status).toBe(202);
    }
    const third = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'hmac' });
    expect([third.status, third.body['code']]).toEqual([409, 'too_many_active_keys']);
    // API keys are counted separately: a partner mid-rotation can still hold one.
    expect((await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'api_key' })).status).toBe(201);

    const revoked = await admin(system, 'DELETE', `/v1/admin/partners/${slug}/keys/${oldKey.keyId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body['revoked_at']).toEqual(expect.any(String));
    const refused = await signedRequest(system, oldKey, { path: '/v1/stories', body: ninjs('urn:sig:rot-old'), headers: json });
    expect([refused.status, refused.body['code']]).toEqual([401, 'revoked_key']);
    expect((await signedRequest(system, newKey, { path: '/v1/stories', body: ninjs('urn:sig:rot-new'), headers: json })).status).toBe(202);
    expect((await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'hmac' })).status).toBe(201);
    expect(await versions(slug)).toBe(3);
  });

  it('keeps plain API keys working, except for a partner that must sign', async () => {
    const slug = await newPartner();
    const created = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'api_key' });
    const apiKey = created.body['api_key'] as string;
    expect(apiKey).toMatch(new RegExp(`^${created.body['key_id'] as string}\\.`));
    expect((await pushStory(system.intakeUrl, apiKey, ninjs('urn:sig:bearer'), 'application/json')).status).toBe(202);

    const signing = await hmacKey(slug);
    expect((await admin(system, 'PATCH', `/v1/admin/partners/${slug}`, { require_signature: true })).body['require_signature']).toBe(true);
    const refused = await pushStory(system.intakeUrl, apiKey, ninjs('urn:sig:bearer-2'), 'application/json');
    expect([refused.status, refused.body['code']]).toEqual([401, 'signature_required']);
    expect((await signedRequest(system, signing, { path: '/v1/stories', body: ninjs('urn:sig:bearer-2'), headers: json })).status).toBe(202);

    // A signing key is not a bearer credential, and an API key cannot sign.
    const asBearer = await pushStory(system.intakeUrl, `${signing.keyId}.${signing.hmacSecret}`, ninjs('urn:sig:x'), 'application/json');
    expect(asBearer.body['code']).toBe('invalid_credentials');
    const apiKeyId = created.body['key_id'] as string;
    const apiKeySigning = await signedRequest(system, { keyId: apiKeyId, hmacSecret: apiKey.slice(apiKeyId.length + 1) }, { path: '/v1/stories', body: ninjs('urn:sig:y'), headers: json });
    expect(apiKeySigning.body['code']).toBe('unknown_key');

    await admin(system, 'DELETE', `/v1/admin/partners/${slug}/keys/${apiKeyId}`);
    await admin(system, 'PATCH', `/v1/admin/partners/${slug}`, { require_signature: false });
    const revoked = await pushStory(system.intakeUrl, apiKey, ninjs('urn:sig:bearer-3'), 'application/json');
    expect([revoked.status, revoked.body['code']]).toEqual([401, 'revoked_key']);
    expect(await versions(slug)).toBe(2);
  });
});
