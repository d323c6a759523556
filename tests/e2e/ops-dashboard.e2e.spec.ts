/**
 * The ops dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
 * whole system running in this process: log in; watch the seed story go through on the overview
 * without a reload; open its timeline; make a webhook fail (the endpoint answers 500), find the
 * failure grouped by cause, replay it once the endpoint answers 2xx again and watch it turn
 * delivered live; resolve an in-doubt delivery; a viewer sees no action and gets 403 from the
 * API; no session or no CSRF token is refused. Screenshots of every page go to
 * test-artefacts/dashboard/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { generateWebhookSecret } from '@syndication/channels';
import { listAudit, upsertOpsUser } from '@syndication/database';
import { startWebhookReceiver, type WebhookReceiver } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { startDashboard, type RunningDashboard } from '../support/dashboard';
import { createPartner, createRoutedChannel, pushStory, waitSettled, type TestPartner } from '../support/fixtures';
import { SEED_FILE } from '../support/env';

const ARTEFACTS = join(__dirname, '..', '..', 'test-artefacts', 'dashboard');
const ADMIN = { name: 'ada-admin', password: 'correct horse battery staple' };
const VIEWER = { name: 'vic-viewer', password: 'viewer password 12345' };
const OPS_TOKEN = 'ops-token-0123456789abcdef0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

jest.setTimeout(120_000);

describe('ops dashboard in a browser', () => {
  let system: RunningSystem;
  let dashboard: RunningDashboard;
  let partner: TestPartner;
  let receiver: WebhookReceiver;
  let webhook: { id: string; slug: string };
  let failing = false;
  let ctx: BrowserContext;
  let page: Page;
  let profile: string;
  let seedId = '';

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  }

  async function deliveriesOf(storyId: string): Promise<Array<{ id: string; status: string; channel_id: string }>> {
    return system.db.query(
      'SELECT d.id, d.status, d.channel_id FROM delivery d JOIN story_version v ON v.id = d.story_version_id WHERE v.story_id = $1',
      [storyId],
    );
  }

  async function waitFor<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await f();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  async function login(who: { name: string; password: string }): Promise<void> {
    await page.goto(`${dashboard.url}/login`);
    await page.fill('input[name=username]', who.name);
    await page.fill('input[name=password]', who.password);
    await Promise.all([page.waitForURL(`${dashboard.url}/ops`), page.click('button[type=submit]')]);
  }

  const csrf = () => page.locator('meta[name="csrf-token"]').getAttribute('content');

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    // Two attempts with 200 ms backoff: a webhook answering 500 fails for good within a second.
    // Webhook retries follow their ~3-day schedule scaled down to seconds, so a failing delivery fails for good quickly.
    system = await startSystem({ env: { JOB_ATTEMPTS: '2', CHANNEL_RETRY_SCALE: '0.00001', OPS_API_TOKEN: OPS_TOKEN, OPS_LOGIN_MAX_FAILURES: '3' } });
    dashboard = await startDashboard();
    partner = await createPartner(system.db, 'ops');
    const secret = generateWebhookSecret();
    receiver = await startWebhookReceiver({ secret, respond: () => ({ status: failing ? 500 : 204 }) });
    webhook = await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
    await createRoutedChannel(system.db, partner, 'feed', { title: 'Ops test feed' }, ['source']);
    await upsertOpsUser(system.db, ADMIN.name, 'admin', ADMIN.password, { update: true });
    await upsertOpsUser(system.db, VIEWER.name, 'viewer', VIEWER.password, { update: true });
    profile = mkdtempSync(join(tmpdir(), 'ops-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
  }, 90_000);

  afterAll(async () => {
    await ctx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await receiver?.stop();
    await dashboard?.stop();
    await system?.stop();
  });

  it('refuses the pages and the API without a session', async () => {
    const api = await fetch(`${dashboard.url}/ops/api/v1/stories`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await api.json()) as { code: string }).code).toBe('unauthenticated');
    const pageRes = await fetch(`${dashboard.url}/ops/failures`, { redirect: 'manual' });
    expect(pageRes.status).toBe(303);
    expect(pageRes.headers.get('location')).toBe('/login?next=%2Fops%2Ffailures');
    const events = await fetch(`${dashboard.url}/ops/events`);
    expect(events.status).toBe(401);
    const queues = await fetch(`${dashboard.url}/ops/queues/view/`, { redirect: 'manual' });
    expect(queues.status).toBe(303);
    const action = await fetch(`${dashboard.url}/ops/api/v1/channels/${webhook.slug}/pause`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'no session' }) });
    expect(action.status).toBe(401);
    expect((await system.db.query('SELECT state FROM channel WHERE id = $1', [webhook.id]))[0].state).toBe('active');
  });

  it('logs in (a wrong password is refused, repeated failures are rate-limited)', async () => {
    await page.goto(`${dashboard.url}/ops`);
    expect(page.url()).toBe(`${dashboard.url}/login?next=%2Fops`);
    await shot('login');
    await page.fill('input[name=username]', ADMIN.name);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect(page.locator('.flash.error').textContent()).resolves.toMatch(/Wrong user name or password/);
    await login(ADMIN);
    await expect(page.locator('.who').textContent()).resolves.toMatch(/ada-admin\s+admin/);
    const cookie = (await ctx.cookies(dashboard.url)).find((c) => c.name === 'ops_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The viewer's name: three failures within the window, then even the right password waits.
    const limited = await fetch(`${dashboard.url}/login`);
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await limited.text())![1]!;
    const cookieHeader = limited.headers.get('set-cookie')!.split(';')[0]!;
    const attempt = (password: string) =>
      fetch(`${dashboard.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader },
        body: new URLSearchParams({ _csrf: loginCsrf, username: VIEWER.name, password, next: '/ops' }).toString(),
      });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password!')).status).toBe(401);
    const blocked = await attempt(VIEWER.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('shows the seed story going through on the overview without a reload', async () => {
    await page.goto(`${dashboard.url}/ops`);
    await page.waitForSelector('#live-dot.on');
    await page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
    const res = await pushStory(system.intakeUrl, partner.apiKey, readFileSync(SEED_FILE));
    expect(res.status).toBe(202);
    seedId = res.body['id'] as string;
    const row = page.locator(`#overview tr[data-story="${seedId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await waitFor('two delivered chips', async () => /2 delivered/.test((await row.locator('.deliveries').textContent()) ?? ''));
    expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expect(row.locator('.headline').textContent()).resolves.toMatch(/Батцэцэг/);
    await shot('overview');
  });

  it('opens the story timeline: one span per attempt, coloured by outcome', async () => {
    await page.click(`#overview tr[data-story="${seedId}"] .headline a`);
    await page.waitForURL(`${dashboard.url}/ops/stories/${seedId}`);
    await expect(page.locator('svg.timeline').count()).resolves.toBe(1);
    for (const lane of ['intake', 'tag', 'route']) await expect(page.locator('svg.timeline .lanelabel', { hasText: lane }).count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('svg.timeline .span.s-delivered').count()).resolves.toBe(2);
    await expect(page.locator('tr[data-status=delivered]').count()).resolves.toBe(2);
    await expect(page.locator('.removed li').count()).resolves.toBeGreaterThan(0);
    await shot('story-timeline');
    // Search finds it by our id, by the partner's id and by headline words.
    for (const q of [seedId, 'Рубио']) {
      await page.goto(`${dashboard.url}/ops/stories?q=${encodeURIComponent(q)}`);
      await expect(page.locator(`#stories a[href="/ops/stories/${seedId}"]`).count()).resolves.toBeGreaterThan(0);
    }
    await shot('stories');
  });

  it('groups a failing delivery by cause, replays it once and watches it turn delivered live', async () => {
    failing = true;
    const res = await pushStory(system.intakeUrl, partner.apiKey, 'date 2026-02-08 Ops dashboard failure drill\n\nA webhook that answers 500 for a while.\n');
    const storyId = res.body['id'] as string;
    const failed = await waitFor('the webhook delivery to fail for good', async () =>
      (await deliveriesOf(storyId)).find((d) => d.channel_id === webhook.id && d.status === 'failed'),
    );
    const before = receiver.received.length;
    await page.goto(`${dashboard.url}/ops/failures`);
    const group = page.locator(`tr.group[data-channel="${webhook.slug}"][data-code="server_error"][data-status="failed"]`);
    await expect(group.count()).resolves.toBe(1);
    await expect(group.textContent()).resolves.toMatch(/webhook endpoint answered 500/);
    await expect(group.locator(`a[href="/ops/stories/${storyId}"]`).count()).resolves.toBe(1);
    await shot('failures');
    await group.locator('input[name=reason]').fill('endpoint fixed by the partner');
    await group.locator('button', { hasText: 'Dry run' }).click();
    const confirm = page.locator('#flash .flash.confirm');
    await expect(confirm.textContent()).resolves.toMatch(/1 failed delivery would be sent again/);
    // A dry run changes nothing.
    expect((await deliveriesOf(storyId)).find((d) => d.id === failed.id)?.status).toBe('failed');
    failing = false;
    await confirm.locator('button', { hasText: 'Replay 1' }).click();
    const item = page.locator(`#flash li[data-delivery="${failed.id}"]`);
    await item.waitFor();
    await page.locator(`#flash li[data-delivery="${failed.id}"][data-status="delivered"]`).waitFor({ timeout: 20_000 });
    await shot('failures-replayed');
    await sleep(1500);
    // Sent again exactly once; the other delivery (feed) was delivered already and is untouched.
    expect(receiver.received.length - before).toBe(1);
    const rows = await deliveriesOf(storyId);
    expect(rows.every((d) => d.status === 'delivered')).toBe(true);
    const audit = await listAudit(system.db, { action: 'failures.replay', limit: 5 });
    expect(audit[0]).toMatchObject({ actor: ADMIN.name, actor_type: 'user', reason: 'endpoint fixed by the partner' });
  });

  it('resolves an in-doubt delivery', async () => {
    const res = await pushStory(system.intakeUrl, partner.apiKey, 'date 2026-02-09 Ops dashboard in-doubt drill\n\nDid the webhook get it?\n');
    const storyId = res.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, storyId);
    const d = (await deliveriesOf(storyId)).find((x) => x.channel_id === webhook.id)!;
    // Test setup: the state a connection lost after sending leaves behind.
    await system.db.query(`UPDATE delivery SET status = 'in_doubt', last_error = 'timeout: webhook endpoint did not answer in time', delivered_at = NULL WHERE id = $1`, [d.id]);
    await page.goto(`${dashboard.url}/ops/in-doubt`);
    const row = page.locator(`tr[data-delivery="${d.id}"]`);
    await expect(row.count()).resolves.toBe(1);
    await shot('in-doubt');
    await row.locator('select[name=action]').selectOption('mark_delivered');
    await row.locator('input[name=external_id]').fill('msg-42');
    await row.locator('input[name=reason]').fill('partner confirmed receipt');
    await row.locator('button', { hasText: 'Resolve' }).click();
    await expect(page.locator('#flash .flash.ok').textContent()).resolves.toMatch(/resolved: delivered/);
    const after = await system.db.query('SELECT status, external_id FROM delivery WHERE id = $1', [d.id]);
    expect(after[0]).toEqual({ status: 'delivered', external_id: 'msg-42' });
    await page.locator(`tr[data-delivery="${d.id}"]`).waitFor({ state: 'detached' });
    const audit = await listAudit(system.db, { action: 'delivery.resolve', targetId: d.id });
    expect(audit[0]).toMatchObject({ actor: ADMIN.name, reason: 'partner confirmed receipt' });
  });

  it('refuses a session request without the CSRF token, and the operator token acts without one', async () => {
    const token = await csrf();
    expect(token).toBeTruthy();
    const without = await page.request.post(`${dashboard.url}/ops/api/v1/channels/${webhook.slug}/pause`, { data: { reason: 'csrf test' } });
    expect(without.status()).toBe(403);
    expect(((await without.json()) as { code: string }).code).toBe('csrf_token_invalid');
    const wrong = await page.request.post(`${dashboard.url}/ops/api/v1/channels/${webhook.slug}/pause`, { data: { reason: 'csrf test' }, headers: { 'x-csrf-token': 'x'.repeat(token!.length) } });
    expect(wrong.status()).toBe(403);
    expect((await system.db.query('SELECT state FROM channel WHERE id = $1', [webhook.id]))[0].state).toBe('active');
    const ok = await page.request.post(`${dashboard.url}/ops/api/v1/channels/${webhook.slug}/pause`, { data: { reason: 'maintenance window' }, headers: { 'x-csrf-token': token! } });
    expect(ok.status()).toBe(200);
    expect((await system.db.query('SELECT state, state_reason FROM channel WHERE id = $1', [webhook.id]))[0]).toEqual({ state: 'paused', state_reason: 'maintenance window' });
    await page.goto(`${dashboard.url}/ops/channels`);
    await shot('channels');
    const resumed = await fetch(`${dashboard.url}/ops/api/v1/channels/${webhook.slug}/resume`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'maintenance over' }),
    });
    expect(resumed.status).toBe(200);
    const audit = await listAudit(system.db, { targetId: webhook.id, limit: 5 });
    expect(audit.map((a) => [a.action, a.actor_type])).toEqual([['channel.resume', 'operator_token'], ['channel.pause', 'user']]);
    const bad = await fetch(`${dashboard.url}/ops/api/v1/stories`, { headers: { authorization: 'Bearer not-the-token-0123456789abcdef' } });
    expect(bad.status).toBe(401);
  });

  it('writes a screenshot of every page', async () => {
    for (const [path, name] of [['/ops/partners', 'partners'], ['/ops/routing', 'routing'], ['/ops/providers', 'providers'], ['/ops/feeds', 'feeds'], ['/ops/audit', 'audit']] as const) {
      await page.goto(`${dashboard.url}${path}`);
      await expect(page.locator('h1').count()).resolves.toBe(1);
      await shot(name);
    }
    await expect(page.locator('td', { hasText: partner.slug }).count()).resolves.toBe(0); // audit shows actions, not partners
    await page.goto(`${dashboard.url}/ops/queues`);
    await page.waitForURL(/\/ops\/queues\/manage/);
    await page.locator('a', { hasText: 'publish' }).first().click();
    await page.locator('text=Completed').first().waitFor({ timeout: 20_000 });
    await shot('queues');
  });

  it('lets a viewer look but not act: no action buttons, 403 from the API', async () => {
    // The viewer's name was locked out by the rate-limit check above; the limiter is per process.
    // Sessions live in Postgres, so the admin's session survives the restart (cookies ignore ports).
    await page.goto('about:blank');
    await dashboard.stop();
    dashboard = await startDashboard();
    await page.goto(`${dashboard.url}/ops`);
    await page.locator('header form button', { hasText: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await login(VIEWER);
    for (const path of ['/ops', `/ops/stories/${seedId}`, '/ops/failures', '/ops/in-doubt', '/ops/channels']) {
      await page.goto(`${dashboard.url}${path}`);
      await expect(page.locator('form.act').count()).resolves.toBe(0);
      await expect(page.locator('input[name=reason]').count()).resolves.toBe(0);
    }
    await shot('viewer-channels');
    const token = await csrf();
    const pause = await page.request.post(`${dashboard.url}/ops/api/v1/channels/${webhook.slug}/pause`, { data: { reason: 'viewer tries' }, headers: { 'x-csrf-token': token! } });
    expect(pause.status()).toBe(403);
    expect(((await pause.json()) as { code: string }).code).toBe('forbidden');
    const replay = await page.request.post(`${dashboard.url}/ops/api/v1/replay`, { data: { story_ids: [seedId], reason: 'viewer tries', dry_run: true }, headers: { 'x-csrf-token': token! } });
    expect(replay.status()).toBe(403);
    const read = await page.request.get(`${dashboard.url}/ops/api/v1/stories/${seedId}`);
    expect(read.status()).toBe(200);
    await page.goto(`${dashboard.url}/ops/queues`);
    await page.waitForURL(/\/ops\/queues\/view/);
    const manage = await page.request.get(`${dashboard.url}/ops/queues/manage/`);
    expect(manage.status()).toBe(403);
    expect((await system.db.query('SELECT state FROM channel WHERE id = $1', [webhook.id]))[0].state).toBe('active');
  });
});
