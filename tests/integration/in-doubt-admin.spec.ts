/**
 * The operators' loop for in-doubt deliveries through the real admin API: an ambiguous send on a
 * channel where a resend is not harmless is listed with its evidence; `resend` makes exactly one
 * more send and the row ends delivered; `mark_delivered` sends nothing; both are audited; a second
 * resolution is a 409. The channel is the real webhook adapter declared not resend-safe.
 */
import { randomBytes } from 'node:crypto';
import { ChannelRegistry, WebhookChannel, generateWebhookSecret, type ChannelAdapter } from '@syndication/channels';
import type { InDoubtDelivery } from '@syndication/database';
import { startWebhookReceiver, type WebhookReceiver } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, type TestPartner } from '../support/fixtures';
import { DeclaredWebhook, gate } from '../support/declared-webhook';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('in-doubt deliveries: admin API', () => {
  let system: RunningSystem;
  let registry: ChannelRegistry;
  let realWebhook: ChannelAdapter;
  const secret = generateWebhookSecret();
  const hung = gate();
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    system = await startSystem({ env: { PUBLISH_LEASE_MARGIN_MS: '1000' } });
    registry = system.publisher!.get(ChannelRegistry, { strict: false });
    realWebhook = registry.get('webhook');
    registry.register(new DeclaredWebhook(new WebhookChannel(undefined, system.config.outbound), false, false));
  }, 60_000);

  afterAll(async () => {
    hung.open();
    if (registry && realWebhook) registry.register(realWebhook);
    for (const r of receivers) await r.stop();
    await system?.stop();
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${system.intakeUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${system.config.auth.adminToken!}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });

  const resolve = (id: string, body: unknown) => admin(`/v1/admin/deliveries/${id}/resolve`, { method: 'POST', body: JSON.stringify(body) });

  /** An endpoint that accepts the first arrival of each webhook-id and never answers it, then answers 204. */
  async function hangingFirst(): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver({
      secret,
      respond: async (req) => {
        if (req.attempt === 1) await hung.wait;
        return { status: 204 };
      },
    });
    receivers.push(r);
    return r;
  }

  async function inDoubtDelivery(partner: TestPartner, r: WebhookReceiver, headline: string): Promise<{ id: string; slug: string; versionId: string }> {
    const channel = await createRoutedChannel(system.db, partner, 'webhook', { url: r.url, secret, timeoutMs: 1_000 }, ['source']);
    const res = await pushStory(
      system.intakeUrl,
      partner.apiKey,
      JSON.stringify({ uri: `urn:doubt:${randomBytes(4).toString('hex')}`, version: '1', headline, body_text: 'Ferry services resumed after the storm.', language: 'en' }),
      'application/json',
    );
    expect(res.status).toBe(202);
    const row = await waitFor(`${headline} to be in doubt`, async () => {
      const rows: Array<{ id: string; status: string; story_version_id: string }> = await system.db.query(
        'SELECT id, status, story_version_id FROM delivery WHERE channel_id = $1',
        [channel.id],
      );
      return rows[0]?.status === 'in_doubt' ? rows[0] : undefined;
    });
    return { id: row.id, slug: channel.slug, versionId: row.story_version_id };
  }

  async function row(id: string): Promise<{ status: string; external_id: string | null; stage: string }> {
    const rows: Array<{ status: string; external_id: string | null; stage: string }> = await system.db.query(
      'SELECT d.status, d.external_id, v.stage FROM delivery d JOIN story_version v ON v.id = d.story_version_id WHERE d.id = $1',
      [id],
    );
    return rows[0]!;
  }

  it('lists in-doubt rows with evidence; resend sends once more, mark_delivered sends nothing; both audited; twice is 409', async () => {
    // A partner each: a channel takes every story of its route's partner.
    const [partner, other] = [await createPartner(system.db, 'doubt'), await createPartner(system.db, 'doubt')];
    const [ra, rb] = [await hangingFirst(), await hangingFirst()];
    const a = await inDoubtDelivery(partner, ra, 'Ferries resume');
    const b = await inDoubtDelivery(other, rb, 'Ferries resume again');
    expect(ra.received).toHaveLength(1);
    expect(rb.received).toHaveLength(1);

    // Listed, with what the publisher knew.
    const list = await admin('/v1/admin/deliveries?status=in_doubt');
    expect(list.status).toBe(200);
    const listed = ((await list.json()) as { deliveries: InDoubtDelivery[] }).deliveries;
    const la = listed.find((d) => d.id === a.id);
    expect(la).toMatchObject({ channel_slug: a.slug, channel_kind: 'webhook', partner_slug: partner.slug, headline: 'Ferries resume', attempts: 1, language: 'en' });
    expect(la!.evidence).toMatchObject({ cause: 'timeout', attempt: 1, timeout_ms: 1_000 });
    expect(la!.last_error).toMatch(/in doubt/);
    expect(listed.some((d) => d.id === b.id)).toBe(true);
    const onlyB = (await (await admin(`/v1/admin/deliveries?status=in_doubt&channel=${b.slug}`)).json()) as { deliveries: InDoubtDelivery[] };
    expect(onlyB.deliveries.map((d) => d.id)).toEqual([b.id]);

    // Nothing is resent by itself, even past the lease (1 s timeout + 1 s margin).
    await sleep(2_500);
    expect(ra.received).toHaveLength(1);

    // resend: exactly one more POST, same webhook-id, and the row ends delivered.
    const resent = await resolve(a.id, { action: 'resend', reason: 'not in the partner CMS' });
    expect(resent.status).toBe(200);
    expect(await resent.json()).toEqual({ id: a.id, status: 'retry' });
    await waitFor('the resend to be delivered', async () => (await row(a.id)).status === 'delivered');
    await sleep(500);
    expect(ra.received.map((w) => w.id)).toEqual([a.id, a.id]);
    expect((await row(a.id)).stage).toBe('done');

    // mark_delivered: no send at all, the given external id kept.
    const marked = await resolve(b.id, { action: 'mark_delivered', reason: 'seen on the channel', external_id: 'msg-4711' });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toEqual({ id: b.id, status: 'delivered' });
    expect(await row(b.id)).toMatchObject({ status: 'delivered', external_id: 'msg-4711', stage: 'done' });
    expect(rb.received).toHaveLength(1);

    // Gone from the list; both decisions in the audit log.
    const after = ((await (await admin('/v1/admin/deliveries')).json()) as { deliveries: InDoubtDelivery[] }).deliveries;
    expect(after.some((d) => d.id === a.id || d.id === b.id)).toBe(false);
    const audit: Array<{ target_id: string; actor_type: string; reason: string; detail: Record<string, unknown> }> = await system.db.query(
      `SELECT target_id, actor_type, reason, detail FROM audit_event WHERE action = 'delivery.resolve' AND target_id = ANY($1) ORDER BY id`,
      [[a.id, b.id]],
    );
    expect(audit).toEqual([
      { target_id: a.id, actor_type: 'admin_token', reason: 'not in the partner CMS', detail: { action: 'resend' } },
      { target_id: b.id, actor_type: 'admin_token', reason: 'seen on the channel', detail: { action: 'mark_delivered', externalId: 'msg-4711' } },
    ]);

    // A second resolution of either is a conflict, and changes nothing.
    const again = await resolve(a.id, { action: 'resend', reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await again.json()) as { code: string }).code).toBe('delivery_not_in_doubt');
    expect((await resolve(b.id, { action: 'mark_delivered', reason: 'again' })).status).toBe(409);
    await sleep(500);
    expect(ra.received).toHaveLength(2);
  });

  it('answers 404 for an unknown delivery, 422 for a bad body or query, 401 without the token', async () => {
    const unknown = await resolve('00000000-0000-4000-8000-000000000000', { action: 'resend', reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('delivery_not_found');
    expect((await resolve('not-a-uuid', { action: 'resend', reason: 'x' })).status).toBe(404);

    const bad = await resolve('00000000-0000-4000-8000-000000000000', { action: 'delete', reason: 'x' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Array<{ pointer: string }> }).errors[0]!.pointer).toBe('/action');
    expect((await resolve('00000000-0000-4000-8000-000000000000', { action: 'resend' })).status).toBe(422);
    expect((await resolve('00000000-0000-4000-8000-000000000000', { action: 'resend', reason: 'x', extra: 1 })).status).toBe(422);
    expect((await admin('/v1/admin/deliveries?status=failed')).status).toBe(422);

    const anonymous = await fetch(`${system.intakeUrl}/v1/admin/deliveries`);
    expect(anonymous.status).toBe(401);
  });
});
