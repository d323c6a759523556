/**
 * The operators' partner admin API and the partner's read API beyond status-by-id: status by the
 * partner's own uri, and per-channel receipts after a real delivery through the pipeline (a
 * webhook to a real Standard Webhooks receiver, and a feed), each scoped to the calling partner.
 */
import { randomBytes } from 'node:crypto';
import { generateWebhookSecret } from '@syndication/channels';
import { startWebhookReceiver } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { admin } from '../support/partners';
import { createPartner, createRoutedChannel, getStory, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

// Schema compilation and real deliveries take seconds on a shared machine.
jest.setTimeout(30_000);

const ninjs = (uri: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ uri, version: '1', headline: 'Herders move early as the steppe dries', body_text: 'Herders in the south moved their flocks a month early.', language: 'en', ...extra });

async function get(system: RunningSystem, apiKey: string, path: string) {
  const res = await fetch(`${system.intakeUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('partner admin API', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
  }, 30_000);
  afterAll(() => system?.stop());

  it('requires the admin token', async () => {
    const none = await admin(system, 'GET', '/v1/admin/partners', undefined, null);
    expect([none.status, none.body['code']]).toEqual([401, 'missing_credentials']);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await admin(system, 'POST', '/v1/admin/partners', { slug: 'nope', name: 'Nope' }, `Bearer ${system.config.auth.adminToken}x`);
    expect([wrong.status, wrong.body['code']]).toEqual([401, 'invalid_credentials']);
    // A partner's API key is not an admin token.
    const partner = await createPartner(system.db, 'adm');
    const asPartner = await admin(system, 'GET', '/v1/admin/partners', undefined, `Bearer ${partner.apiKey}`);
    expect(asPartner.status).toBe(401);
    const [{ n }] = await system.db.query(`SELECT count(*)::int AS n FROM partner WHERE slug = 'nope'`);
    expect(n).toBe(0);
  });

  it('is off without ADMIN_TOKEN', async () => {
    const off = await startSystem({ intakeOnly: true, env: { ADMIN_TOKEN: '' } });
    try {
      const res = await admin(off, 'GET', '/v1/admin/partners', undefined, 'Bearer anything-at-all-long-enough');
      expect([res.status, res.body['code']]).toEqual([403, 'admin_api_disabled']);
    } finally {
      await off.stop();
    }
  });

  it('creates partners and keys, validates input, and shows keys without their secrets', async () => {
    const slug = `adm-${randomBytes(4).toString('hex')}`;
    const created = await admin(system, 'POST', '/v1/admin/partners', { slug, name: 'Steppe Wire', ninjs_version: '2.1' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/admin/partners/${slug}`);
    expect(created.body).toMatchObject({ slug, name: 'Steppe Wire', ninjs_version: '2.1', require_signature: false, keys: [] });
    expect((await admin(system, 'POST', '/v1/admin/partners', { slug, name: 'Again' })).body['code']).toBe('partner_exists');

    const bad = await admin(system, 'POST', '/v1/admin/partners', { slug: 'Bad Slug', name: '', ninjs_version: '9.9', extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body['code']).toBe('invalid_request');
    const pointers = (bad.body['errors'] as Array<{ pointer: string }>).map((e) => e.pointer).sort();
    expect(pointers).toEqual(expect.arrayContaining(['/slug', '/name', '/ninjs_version']));
    expect(pointers.length).toBeGreaterThanOrEqual(4);
    const notJson = await fetch(`${system.intakeUrl}/v1/admin/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.config.auth.adminToken}`, 'content-type': 'text/plain' },
      body: 'slug=x',
    });
    expect(notJson.status).toBe(415);
    const dupKeys = await fetch(`${system.intakeUrl}/v1/admin/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.config.auth.adminToken}`, 'content-type': 'application/json' },
      body: `{"slug":"dup-${slug}","slug":"x","name":"n"}`,
    });
    expect(dupKeys.status).toBeGreaterThanOrEqual(400);
    expect(dupKeys.status).toBeLessThan(500);

    const apiKey = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'api_key' });
    expect(apiKey.status).toBe(201);
    expect(apiKey.headers.get('cache-control')).toBe('no-store');
    const hmac = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'hmac' });
    expect(hmac.body['secret']).toMatch(/^hsec_[A-Za-z0-9_-]{43}$/);
    const badKey = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'ed25519', public_key: 'not a key' });
    expect([badKey.status, badKey.body['code']]).toEqual([422, 'invalid_public_key']);
    const noMaterial = await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'ed25519' });
    expect(noMaterial.status).toBe(422);
    expect((await admin(system, 'POST', '/v1/admin/partners/nobody-here/keys', { kind: 'hmac' })).body['code']).toBe('partner_not_found');

    const shown = await admin(system, 'GET', `/v1/admin/partners/${slug}`);
    expect((shown.body['keys'] as Array<Record<string, unknown>>).map((k) => [k['key_id'], k['kind']])).toEqual([
      [apiKey.body['key_id'], 'api_key'],
      [hmac.body['key_id'], 'hmac'],
    ]);
    expect(JSON.stringify(shown.body)).not.toContain(hmac.body['secret'] as string);
    expect(JSON.stringify(shown.body)).not.toContain((apiKey.body['api_key'] as string).split('.')[1]!);
    expect((await admin(system, 'DELETE', `/v1/admin/partners/${slug}/keys/ak_nonexistent`)).body['code']).toBe('key_not_found');
    const listed = await admin(system, 'GET', '/v1/admin/partners');
    expect((listed.body['partners'] as Array<{ slug: string }>).map((p) => p.slug)).toContain(slug);
  });

  it("applies the partner's ninjs_version to pushes that do not declare one", async () => {
    const slug = `ninjs-${randomBytes(4).toString('hex')}`;
    await admin(system, 'POST', '/v1/admin/partners', { slug, name: 'ninjs partner' });
    const key = (await admin(system, 'POST', `/v1/admin/partners/${slug}/keys`, { kind: 'api_key' })).body['api_key'] as string;
    const versionOf = async (uri: string) => {
      const pushed = await pushStory(system.intakeUrl, key, ninjs(uri), 'application/ninjs+json');
      expect(pushed.status).toBe(202);
      const { body } = await getStory(system.intakeUrl, key, pushed.body['id'] as string);
      return body.versions[0]!.canonical.formatVersion;
    };
    // Undeclared, this 1.x-style document validates as the newest 1.x.
    expect(await versionOf('urn:ninjs:detected')).toBe('1.6');
    for (const v of ['1.2', '1.0']) {
      const patched = await admin(system, 'PATCH', `/v1/admin/partners/${slug}`, { ninjs_version: v });
      expect(patched.body['ninjs_version']).toBe(v);
      expect(await versionOf(`urn:ninjs:${v}`)).toBe(v);
    }
    // Configured as 3.0, the same document is held to the 3.0 schema, which it does not meet.
    await admin(system, 'PATCH', `/v1/admin/partners/${slug}`, { ninjs_version: '3.0' });
    const refused = await pushStory(system.intakeUrl, key, ninjs('urn:ninjs:3.0'), 'application/ninjs+json');
    expect([refused.status, refused.body['code']]).toEqual([422, 'schema_violation']);
    // A version declared on the media type still wins over the partner's.
    const declared = await pushStory(system.intakeUrl, key, ninjs('urn:ninjs:declared'), 'application/ninjs+json; version=1.1');
    expect(declared.status).toBe(202);
    expect((await getStory(system.intakeUrl, key, declared.body['id'] as string)).body.versions[0]!.canonical.formatVersion).toBe('1.1');
    const cleared = await admin(system, 'PATCH', `/v1/admin/partners/${slug}`, { ninjs_version: null, name: 'renamed' });
    expect(cleared.body).toMatchObject({ ninjs_version: null, name: 'renamed' });
    expect((await admin(system, 'PATCH', `/v1/admin/partners/${slug}`, {})).status).toBe(422);
  });
});

describe('partner API: status by uri and receipts', () => {
  let system: RunningSystem;
  let partner: TestPartner;
  let other: TestPartner;

  beforeAll(async () => {
    system = await startSystem();
    partner = await createPartner(system.db, 'rcpt');
    other = await createPartner(system.db, 'rcpt-other');
  }, 60_000);
  afterAll(() => system?.stop());

  it("finds a story by the partner's own uri, scoped to that partner", async () => {
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, ninjs('urn:agency:2026:herders'), 'application/json');
    const byUri = await get(system, partner.apiKey, `/v1/stories?uri=${encodeURIComponent('urn:agency:2026:herders')}`);
    expect(byUri.status).toBe(200);
    expect(byUri.headers.get('content-location')).toBe(`${system.config.intake.publicUrl}/v1/stories/${pushed.body['id'] as string}`);
    const byId = await getStory(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
    expect(byUri.body['id']).toBe(byId.body.id);
    expect(Object.keys(byUri.body).sort()).toEqual(Object.keys(byId.body).sort());
    expect(byUri.body['external_id']).toBe('urn:agency:2026:herders');

    // Another partner using the same uri has its own story; it cannot see ours.
    const theirs = await get(system, other.apiKey, `/v1/stories?uri=${encodeURIComponent('urn:agency:2026:herders')}`);
    expect([theirs.status, theirs.body['code']]).toEqual([404, 'not_found']);
    expect((await get(system, partner.apiKey, '/v1/stories?uri=urn:nope')).status).toBe(404);
    const missing = await get(system, partner.apiKey, '/v1/stories');
    expect(missing.body).toMatchObject({ status: 400, code: 'invalid_query', errors: [expect.objectContaining({ pointer: '/query/uri' })] });
    expect((await get(system, partner.apiKey, '/v1/stories?uri=a&uri=b')).status).toBe(400);
  });

  it('lists receipts after real deliveries, with the webhook-id, the receiver id and the feed guid and URL', async () => {
    // Its own partner: a story of the other test still being routed must not reach this channel.
    const sender = await createPartner(system.db, 'rcpt-hook');
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({
      secret,
      respond: (req) => ({
        status: 202,
        headers: { 'content-type': 'application/json', location: `https://partner.example/inbox/${req.id}` },
        body: JSON.stringify({ id: `rcv-${req.id.slice(0, 8)}` }),
      }),
    });
    try {
      const hook = await createRoutedChannel(system.db, sender, 'webhook', { url: receiver.url, secret }, ['source']);
      const feed = await createRoutedChannel(system.db, sender, 'feed', { title: 'receipts' }, ['source']);
      const pushed = await pushStory(system.intakeUrl, sender.apiKey, ninjs('urn:agency:2026:receipts'), 'application/json');
      const id = pushed.body['id'] as string;
      const view = await waitSettled(system.intakeUrl, sender.apiKey, id);
      expect(view.status).toBe('published');

      const res = await get(system, sender.apiKey, `/v1/stories/${id}/receipts`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ story_id: id, uri: 'urn:agency:2026:receipts', latest_version: 1 });
      const receipts = res.body['receipts'] as Array<Record<string, unknown>>;
      const webhook = receipts.find((r) => r['channel'] === hook.slug)!;
      const delivered = receiver.received.filter((r) => r.verified);
      expect(delivered).toHaveLength(1);
      expect(webhook).toEqual({
        delivery_id: expect.any(String),
        version: 1,
        version_id: pushed.body['version_id'],
        channel: hook.slug,
        channel_kind: 'webhook',
        language: 'en',
        status: 'delivered',
        attempts: 1,
        created_at: expect.any(String),
        delivered_at: expect.any(String),
        last_error: null,
        external_id: delivered[0]!.id,
        remote_id: `rcv-${delivered[0]!.id.slice(0, 8)}`,
        url: `https://partner.example/inbox/${delivered[0]!.id}`,
      });
      expect(webhook['external_id']).toBe(webhook['delivery_id']);
      const feedReceipt = receipts.find((r) => r['channel'] === feed.slug)!;
      expect(feedReceipt).toMatchObject({
        channel_kind: 'feed',
        status: 'delivered',
        external_id: `urn:syndication:${id}:en`,
        remote_id: null,
        url: `${system.config.feeds.publicUrl}/feeds/${feed.slug}.rss`,
      });
      // The feed really carries that guid at that URL.
      const rss = await (await fetch(feedReceipt['url'] as string)).text();
      expect(rss).toContain(`<guid isPermaLink="false">urn:syndication:${id}:en</guid>`);

      const theirs = await get(system, other.apiKey, `/v1/stories/${id}/receipts`);
      expect([theirs.status, theirs.body['code']]).toEqual([404, 'not_found']);
      expect((await get(system, sender.apiKey, '/v1/stories/not-a-uuid/receipts')).status).toBe(404);
    } finally {
      await receiver.stop();
    }
  });
});
