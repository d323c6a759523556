/**
 * The channels and routes admin API against the real services: strict per-kind validation with
 * pointers, credentials sealed and write-only, audited changes, a test-send through the adapter,
 * and a paused channel whose pending deliveries wait until it is resumed (then go out at once).
 */
import { listAudit } from '@syndication/database';
import { startFakeTelegram, type FakeTelegram } from '@syndication/testing';
import { admin } from '../support/partners';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, getStory, pushStory, waitSettled } from '../support/fixtures';

const TOKEN = '777:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ';
const CHAT = '-100555';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('channels and routes admin API', () => {
  let system: RunningSystem;
  let tg: FakeTelegram;

  beforeAll(async () => {
    system = await startSystem();
    tg = await startFakeTelegram({ tokens: [TOKEN] });
  }, 60_000);
  afterAll(async () => {
    await tg?.stop();
    await system?.stop();
  });

  it('requires the admin token', async () => {
    expect((await admin(system, 'GET', '/v1/admin/channels', undefined, null)).status).toBe(401);
    expect((await admin(system, 'GET', '/v1/admin/routes', undefined, 'Bearer nope')).status).toBe(401);
  });

  it('validates each kind strictly and points at the field', async () => {
    const bad = await admin(system, 'POST', '/v1/admin/channels', { slug: 'tg-bad', kind: 'telegram', name: 'x', config: { bot_token: 'nope', chat_id: CHAT } });
    expect(bad.status).toBe(422);
    expect(bad.body['errors']).toEqual([expect.objectContaining({ pointer: '/config/bot_token', code: 'invalid_channel_config' })]);
    const extra = await admin(system, 'POST', '/v1/admin/channels', { slug: 'tg-bad', kind: 'telegram', name: 'x', config: { bot_token: TOKEN, chat_id: CHAT, colour: 'red' } });
    expect(extra.body['errors']).toEqual([expect.objectContaining({ pointer: '/config/colour' })]);
    const kind = await admin(system, 'POST', '/v1/admin/channels', { slug: 'tg-bad', kind: 'fax', name: 'x', config: {} });
    expect(kind.status).toBe(422);
    expect(kind.body['errors']).toEqual([expect.objectContaining({ pointer: '/kind' })]);
    const mail = await admin(system, 'POST', '/v1/admin/channels', {
      slug: 'mail-bad',
      kind: 'email',
      name: 'x',
      config: { host: '127.0.0.1', from: 'a@b.example', to: ['ok@c.example', 'bad\r\nBcc: x@y.example'] },
    });
    expect(mail.body['errors']).toEqual([expect.objectContaining({ pointer: '/config/to~11' })]);
  });

  it('creates, shows credentials as (set), keeps them across a patch, test-sends, audits; routes by slug', async () => {
    const slug = `tg-${Date.now().toString(36)}`;
    const created = await admin(system, 'POST', '/v1/admin/channels', { slug, kind: 'telegram', name: 'Wire', config: { bot_token: TOKEN, chat_id: '-1001', api_root: tg.apiRoot } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug, kind: 'telegram', state: 'active', config: { bot_token: '(set)', chat_id: '-1001' } });
    expect((await admin(system, 'POST', '/v1/admin/channels', { slug, kind: 'feed', name: 'dup', config: { title: 't' } })).status).toBe(409);

    const patched = await admin(system, 'PATCH', `/v1/admin/channels/${slug}`, { config: { bot_token: '(set)', chat_id: CHAT, api_root: tg.apiRoot } });
    expect(patched.status).toBe(200);
    expect(patched.body['config']).toMatchObject({ chat_id: CHAT, bot_token: '(set)' });

    const test = await admin(system, 'POST', `/v1/admin/channels/${slug}/test`);
    expect(test.status).toBe(200);
    expect(tg.visible(CHAT)).toHaveLength(1);
    expect(tg.calls[0]!.token).toBe(TOKEN);

    const audit = await listAudit(system.db, { targetType: 'channel', targetId: slug });
    expect(audit.map((a) => a.action).sort()).toEqual(['channel.create', 'channel.test', 'channel.update']);

    const partner = await createPartner(system.db, 'adm');
    const noChannel = await admin(system, 'POST', '/v1/admin/routes', { name: 'r', channel: 'nope-nope', partner: partner.slug, languages: ['source'] });
    expect(noChannel.status).toBe(422);
    expect(noChannel.body['errors']).toEqual([expect.objectContaining({ pointer: '/channel' })]);
    const badUrgency = await admin(system, 'POST', '/v1/admin/routes', { name: 'r', channel: slug, partner: partner.slug, languages: ['source'], urgency_min: 5, urgency_max: 2 });
    expect(badUrgency.body['errors']).toEqual([expect.objectContaining({ pointer: '/urgency_min' })]);
    const route = await admin(system, 'POST', '/v1/admin/routes', { name: 'r', channel: slug, partner: partner.slug, languages: ['source'] });
    expect(route.status).toBe(201);
    const routeId = route.body['id'] as string;
    const renamed = await admin(system, 'PATCH', `/v1/admin/routes/${routeId}`, { name: 'renamed', urgency_max: 4 });
    expect(renamed.body).toMatchObject({ name: 'renamed', channel: slug, partner: partner.slug, urgency_max: 4 });
    expect((await admin(system, 'GET', `/v1/admin/routes?channel=${slug}`)).body['routes']).toHaveLength(1);
    expect((await admin(system, 'DELETE', `/v1/admin/routes/${routeId}`)).status).toBe(204);
    expect((await admin(system, 'GET', `/v1/admin/routes/${routeId}`)).status).toBe(404);
  });

  it('a paused channel sends nothing; resume sends what waited, at once', async () => {
    const slug = `tg-p-${Date.now().toString(36)}`;
    const chat = '-100777';
    await admin(system, 'POST', '/v1/admin/channels', { slug, kind: 'telegram', name: 'Paused', config: { bot_token: TOKEN, chat_id: chat, api_root: tg.apiRoot } });
    const partner = await createPartner(system.db, 'pause');
    await admin(system, 'POST', '/v1/admin/routes', { name: 'all', channel: slug, partner: partner.slug, languages: ['source'] });
    const feedSlug = `${slug}-feed`;
    await admin(system, 'POST', '/v1/admin/channels', { slug: feedSlug, kind: 'feed', name: 'Feed', config: { title: 'f' } });
    await admin(system, 'POST', '/v1/admin/routes', { name: 'all', channel: feedSlug, partner: partner.slug, languages: ['source'] });

    // Paused after routing: the delivery row exists (pending) but is never claimed.
    const paused = await admin(system, 'POST', `/v1/admin/channels/${slug}/pause`, { reason: 'maintenance' });
    expect(paused.body).toMatchObject({ state: 'paused', state_reason: 'maintenance' });
    await system.db.query(`UPDATE channel SET active = true WHERE slug = $1`, [slug]); // keep routing to it, as if paused after routing
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, JSON.stringify({ uri: `urn:pause:${slug}`, version: '1', headline: 'Held story', body_text: 'Body.', language: 'en' }), 'application/json');
    const id = pushed.body['id'] as string;
    for (let i = 0; i < 60; i++) {
      const { body } = await getStory(system.intakeUrl, partner.apiKey, id);
      if (body.versions[0]?.deliveries.some((d) => d.channel_kind === 'feed' && d.status === 'delivered')) break;
      await sleep(100);
    }
    await sleep(1_000);
    const during = (await getStory(system.intakeUrl, partner.apiKey, id)).body.versions[0]!.deliveries.find((d) => d.channel === slug);
    expect(during?.status).toBe('pending');
    expect(tg.visible(chat)).toHaveLength(0);

    const resumed = await admin(system, 'POST', `/v1/admin/channels/${slug}/resume`);
    expect(resumed.body).toMatchObject({ channel: { state: 'active' }, requeued: 1 });
    const view = await waitSettled(system.intakeUrl, partner.apiKey, id, 20_000);
    expect(view.versions[0]!.deliveries.find((d) => d.channel === slug)?.status).toBe('delivered');
    expect(tg.visible(chat)).toHaveLength(1);
    expect((await admin(system, 'DELETE', `/v1/admin/channels/${slug}`)).status).toBe(409);
  }, 60_000);

  it('previews a draft rule on a raw story, and on stored stories across partners', async () => {
    const partner = await createPartner(system.db, 'prev');
    const other = await createPartner(system.db, 'prev2');
    const slug = `flash-${Date.now().toString(36)}`;
    await admin(system, 'POST', '/v1/admin/channels', { slug, kind: 'feed', name: 'Flash', config: { title: 'Flash' }, languages: ['en', 'uk'] });
    const draft = { channel: slug, partner: null, languages: ['source', 'uk', 'de'], urgency_max: 2 };
    const story = (urgency: number) => ({
      partner: partner.slug,
      content_type: 'application/json',
      body: JSON.stringify({ uri: `urn:prev:${urgency}`, version: '1', headline: 'Quake', body_text: 'A strong earthquake struck.', language: 'en', urgency }),
    });
    const flash = await admin(system, 'POST', '/v1/admin/routes/preview', { rule: draft, only_rule: true, story: story(1) });
    expect(flash.status).toBe(200);
    const [item] = flash.body['stories'] as Array<{ draft_matches: boolean; urgency: number; deliveries: Array<{ channel: string; language: string; routes: string[] }> }>;
    expect(item).toMatchObject({ draft_matches: true, urgency: 1 });
    // The channel carries en and uk only: de is dropped.
    expect(item!.deliveries.map((d) => `${d.channel}/${d.language}/${d.routes.join()}`)).toEqual([`${slug}/en/draft`, `${slug}/uk/draft`]);
    const routine = await admin(system, 'POST', '/v1/admin/routes/preview', { rule: draft, only_rule: true, story: story(5) });
    expect((routine.body['stories'] as Array<{ draft_matches: boolean; deliveries: unknown[] }>)[0]).toMatchObject({ draft_matches: false, deliveries: [] });

    // Stored stories of two partners, against the draft alone.
    for (const [p, u] of [[partner, 1], [other, 6]] as const) {
      const res = await pushStory(system.intakeUrl, p.apiKey, JSON.stringify({ uri: `urn:stored:${p.slug}`, version: '1', headline: 'Stored', body_text: 'Body text.', language: 'en', urgency: u }), 'application/json');
      await waitSettled(system.intakeUrl, p.apiKey, res.body['id'] as string);
    }
    const stored = await admin(system, 'POST', '/v1/admin/routes/preview', { rule: draft, only_rule: true, recent: 50 });
    const mine = (stored.body['stories'] as Array<{ partner: string; draft_matches: boolean }>).filter((s) => s.partner === partner.slug || s.partner === other.slug);
    expect(mine.map((s) => `${s.partner}:${s.draft_matches}`).sort()).toEqual([`${other.slug}:false`, `${partner.slug}:true`].sort());
    const none = await admin(system, 'POST', '/v1/admin/routes/preview', {});
    expect(none.status).toBe(422);
  }, 60_000);
});
