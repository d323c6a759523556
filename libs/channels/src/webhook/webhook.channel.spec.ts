import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { PublishableStory } from '@syndication/contracts';

import { startWebhookReceiver, uniqueIds, type WebhookReceiver } from '@syndication/testing';
import { ChannelConfigError, ChannelDeliveryError } from '../channel';
import { generateWebhookSecret, WebhookChannel, type WebhookConfig } from './webhook.channel';
import type { WebhookPayload } from './webhook.payload';
import { validateNinjs } from '@syndication/formats';
import { DENY_PRIVATE, outboundPolicy } from '@syndication/net';

function makeStory(overrides: Partial<PublishableStory> = {}): PublishableStory {
  return {
    storyId: '0193a3c2-7d1e-7000-8000-000000000001',
    versionId: '0193a3c2-7d1e-7000-8000-0000000000a1',
    version: 3,
    deliveryId: '0193a3c2-7d1e-7000-8000-0000000000d1',
    partner: 'partner-a',
    uri: 'urn:partner-a:story:42',
    language: 'en',
    sourceLanguage: 'ru',
    machineTranslated: true,
    translationProvider: 'apertium',
    headline: 'Mongolia signs trade deal',
    dateline: 'ULAANBAATAR',
    paragraphs: ['First <script>alert(1)</script> paragraph.', 'Second paragraph.'],
    receivedAt: '2026-11-27T10:00:00.000Z',
    tags: {
      entities: [
        { id: 'Q711', type: 'place', name: 'Mongolia', mentions: [], confidence: 0.9, source: 'gazetteer' },
        { id: 'person:ivan-petrov', type: 'person', name: 'Ivan Petrov', mentions: [], confidence: 0.7, source: 'heuristic' },
      ],
      topics: [{ code: 'medtop:20000568', name: 'foreign trade', score: 0.8, ancestors: [], source: 'rules' }],
      keywords: ['trade', 'mongolia'],
    },
    ...overrides,
  };
}

async function rejection(p: Promise<unknown>): Promise<ChannelDeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelDeliveryError);
  return err as ChannelDeliveryError;
}

describe('WebhookChannel', () => {
  // The receivers listen on loopback, which the production policy refuses: allowlisted explicitly.
  const channel = new WebhookChannel(undefined, outboundPolicy({ allowlist: ['127.0.0.0/8', '::1/128'] }));
  const secret = generateWebhookSecret();
  const story = makeStory();
  const ctx = { deliveryId: story.deliveryId, attempt: 1 };
  const receivers: WebhookReceiver[] = [];

  async function receiver(respond?: Parameters<typeof startWebhookReceiver>[0]['respond'], key = secret) {
    const r = await startWebhookReceiver({ secret: key, ...(respond ? { respond } : {}) });
    receivers.push(r);
    return r;
  }
  const configFor = (r: WebhookReceiver, extra: Partial<WebhookConfig> = {}): WebhookConfig =>
    channel.parseConfig({ url: r.url, secret, ...extra });

  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });

  describe('parseConfig', () => {
    it('accepts a valid config', () => {
      expect(channel.parseConfig({ url: 'https://partner.example/hooks', secret, timeoutMs: 5000 })).toEqual({
        url: 'https://partner.example/hooks',
        secret,
        timeoutMs: 5000,
      });
    });

    it.each([
      [null, 'config'],
      [{ secret }, 'url'],
      [{ url: 'ftp://partner.example/', secret }, 'url'],
      [{ url: 'https://user:pw@partner.example/', secret }, 'url'],
      [{ url: 'not a url', secret }, 'url'],
      [{ url: 'https://partner.example/' }, 'secret'],
      [{ url: 'https://partner.example/', secret: 'c2VjcmV0' }, 'secret'],
      [{ url: 'https://partner.example/', secret: 'whsec_!!!' }, 'secret'],
      [{ url: 'https://partner.example/', secret: 'whsec_c2hvcnQ=' }, 'secret'],
      [{ url: 'https://partner.example/', secret, timeoutMs: 60_000 }, 'timeoutMs'],
      [{ url: 'https://partner.example/', secret, timeoutMs: '5000' }, 'timeoutMs'],
      [{ url: 'https://partner.example/', secret, timeout: 5000 }, 'timeout'],
    ])('rejects %j naming %s', (raw, field) => {
      expect(() => channel.parseConfig(raw)).toThrow(ChannelConfigError);
      try {
        channel.parseConfig(raw);
      } catch (err) {
        expect((err as ChannelConfigError).field).toBe(field);
      }
    });
  });

  it('sends a signed Standard Webhook that the reference verifier accepts', async () => {
    const r = await receiver();
    const outcome = await channel.publish(configFor(r), story, ctx);

    expect(outcome).toEqual({ externalId: ctx.deliveryId, detail: { status: 204 } });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.id).toBe(ctx.deliveryId);
    expect(Math.abs(Number(got.timestamp) - Date.now() / 1000)).toBeLessThan(5);

    const payload = got.payload as WebhookPayload;
    expect(payload.type).toBe('story.published');
    expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
    expect(payload.data).toMatchObject({
      uri: 'urn:partner-a:story:42',
      type: 'text',
      version: '3',
      versioncreated: '2026-11-27T10:00:00.000Z',
      language: 'en',
      headlines: [{ role: 'main', value: 'Mongolia signs trade deal' }],
      located: 'ULAANBAATAR',
      subjects: [
        { name: 'foreign trade', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000568' },
        { name: 'trade', literal: 'trade' },
        { name: 'mongolia', literal: 'mongolia' },
      ],
      places: [{ name: 'Mongolia', uri: 'http://www.wikidata.org/entity/Q711' }],
    });
    expect(payload['x-syndication']).toEqual({
      storyId: story.storyId,
      versionId: story.versionId,
      deliveryId: ctx.deliveryId,
      machineTranslated: true,
      provider: 'apertium',
      sourceLanguage: 'ru',
    });
    // Our slug ids are not public identifiers: no uri, only the literal.
    expect((payload.data['people'] as Array<Record<string, string>>)[0]).toEqual({ name: 'Ivan Petrov', literal: expect.any(String) });
    const bodies = payload.data['bodies'] as Array<{ contenttype: string; value: string }>;
    expect(bodies.find((b) => b.contenttype === 'text/plain')?.value).toBe('First <script>alert(1)</script> paragraph.\n\nSecond paragraph.');
    expect(bodies.find((b) => b.contenttype === 'text/html')?.value).toBe(
      '<p>First &lt;script&gt;alert(1)&lt;/script&gt; paragraph.</p><p>Second paragraph.</p>',
    );
    expect(validateNinjs(payload.data, '2.1')).toEqual([]);
  });

  it('a receiver with another secret rejects the signature', async () => {
    const r = await receiver(undefined, generateWebhookSecret());
    const err = await rejection(channel.publish(configFor(r), story, ctx));
    expect(r.received[0]?.verified).toBe(false);
    expect(err).toMatchObject({ code: 'client_error', retryable: false, detail: { status: 400 } });
  });

  it('retries carry the same webhook-id, so the receiver sees one message', async () => {
    const r = await receiver((req) => (req.attempt === 1 ? { status: 500, body: 'boom' } : { status: 200, body: 'not json {' }));
    const config = configFor(r);

    const first = await rejection(channel.publish(config, story, { ...ctx, attempt: 1 }));
    expect(first).toMatchObject({ code: 'server_error', retryable: true, inDoubt: false, detail: { status: 500, body: 'boom' } });
    // 2xx with a malformed body is still success for webhooks (F6).
    await expect(channel.publish(config, story, { ...ctx, attempt: 2 })).resolves.toEqual({
      externalId: ctx.deliveryId,
      detail: { status: 200 },
    });

    expect(r.received.map((m) => m.id)).toEqual([ctx.deliveryId, ctx.deliveryId]);
    expect(r.received.every((m) => m.verified)).toBe(true);
    expect(uniqueIds(r.received)).toEqual([ctx.deliveryId]);
  });

  it("records the receiver's own id and Location for the receipt", async () => {
    const r = await receiver(() => ({
      status: 202,
      headers: { 'content-type': 'application/json; charset=utf-8', location: 'https://partner.example/items/981' },
      body: JSON.stringify({ id: 'rcv-981', status: 'queued' }),
    }));
    await expect(channel.publish(configFor(r), story, ctx)).resolves.toEqual({
      externalId: ctx.deliveryId,
      detail: { status: 202, remote_id: 'rcv-981', location: 'https://partner.example/items/981' },
    });
    // A relative Location or a JSON body without an id gives nothing to record.
    const bare = await receiver(() => ({ status: 200, headers: { 'content-type': 'application/json', location: '/x' }, body: '{"ok":true}' }));
    await expect(channel.publish(configFor(bare), story, ctx)).resolves.toEqual({ externalId: ctx.deliveryId, detail: { status: 200 } });
  });

  it('429 with Retry-After: 7 is retryable after 7 s', async () => {
    const r = await receiver(() => ({ status: 429, headers: { 'retry-after': '7' } }));
    const err = await rejection(channel.publish(configFor(r), story, ctx));
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true, inDoubt: false, retryAfterMs: 7000 });
  });

  it('503 with an HTTP-date Retry-After is retryable after that date', async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    const r = await receiver(() => ({ status: 503, headers: { 'retry-after': at.toUTCString() } }));
    const err = await rejection(channel.publish(configFor(r), story, ctx));
    expect(err.code).toBe('unavailable');
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeGreaterThan(55_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(61_000);
  });

  it.each([
    [408, 'request_timeout', true],
    [425, 'too_early', true],
    [502, 'server_error', true],
    [400, 'client_error', false],
    [401, 'auth_rejected', false],
    [413, 'client_error', false],
  ])('%i -> %s (retryable %s)', async (status, code, retryable) => {
    const r = await receiver(() => ({ status }));
    const err = await rejection(channel.publish(configFor(r), story, ctx));
    expect(err).toMatchObject({ code, retryable, inDoubt: false });
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('410 is permanent: endpoint_gone', async () => {
    const r = await receiver(() => ({ status: 410 }));
    const err = await rejection(channel.publish(configFor(r), story, ctx));
    expect(err).toMatchObject({ code: 'endpoint_gone', retryable: false, inDoubt: false });
  });

  it('302 is a failure and the redirect target is never hit', async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    const err = await rejection(channel.publish(configFor(r), story, ctx));
    expect(err).toMatchObject({ code: 'redirect_blocked', retryable: false, detail: { status: 302, location: target.url } });
    expect(r.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('an endpoint that accepts and hangs times out as retryable and in doubt', async () => {
    const r = await receiver(() => new Promise(() => undefined));
    const started = Date.now();
    const err = await rejection(channel.publish(configFor(r, { timeoutMs: 300 }), story, ctx));
    const elapsed = Date.now() - started;
    expect(err).toMatchObject({ code: 'timeout', retryable: true, inDoubt: true });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    // It did arrive: exactly why the outcome is in doubt.
    expect(r.received).toHaveLength(1);
  });

  it('connection refused is retryable and not in doubt', async () => {
    const r = await startWebhookReceiver({ secret });
    const url = r.url;
    await r.stop();
    const err = await rejection(channel.publish(channel.parseConfig({ url, secret }), story, ctx));
    expect(err).toMatchObject({ code: 'connect_failed', retryable: true, inDoubt: false, detail: { errno: 'ECONNREFUSED' } });
  });

  it('a connection dropped after the request was sent is retryable and in doubt', async () => {
    const server = createServer((req) => req.resume().on('end', () => req.socket.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const config = channel.parseConfig({ url: `http://127.0.0.1:${port}/`, secret });
      const err = await rejection(channel.publish(config, story, ctx));
      expect(err).toMatchObject({ code: 'network_error', retryable: true, inDoubt: true });
    } finally {
      server.close();
    }
  });

  describe('SSRF guard (production default policy)', () => {
    const guarded = new WebhookChannel(undefined, DENY_PRIVATE);

    it.each([
      ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/hook`],
      ['localhost (resolves to loopback)', (port: number) => `http://localhost:${port}/hook`],
      ['[::1]', (port: number) => `http://[::1]:${port}/hook`],
      ['10.x', () => 'http://10.20.30.40/hook'],
      ['metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ])('refuses %s: permanent, not in doubt, nothing sent', async (_name, urlFor) => {
      const r = await receiver();
      const port = Number(new URL(r.url).port);
      const err = await rejection(guarded.publish(guarded.parseConfig({ url: urlFor(port), secret }), story, ctx));
      expect(err).toMatchObject({ code: 'destination_forbidden', retryable: false, inDoubt: false });
      expect(r.received).toHaveLength(0);
    });
  });
});
