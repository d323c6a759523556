/**
 * The ops API with the operator token (automation): a replay sends failed deliveries again exactly
 * once and never a delivered one (dry run first), an in-doubt delivery can be resent, cancel and
 * withdraw act across partners, every action needs a reason and lands in the audit log, and
 * search pages with a keyset cursor.
 */
import { generateWebhookSecret } from '@syndication/channels';
import { listAudit } from '@syndication/database';
import { startWebhookReceiver, type WebhookReceiver } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { startDashboard, type RunningDashboard } from '../support/dashboard';
import { createPartner, createRoutedChannel, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

const TOKEN = 'ops-api-test-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ops API (operator token)', () => {
  let system: RunningSystem;
  let dashboard: RunningDashboard;
  let partner: TestPartner;
  let receiver: WebhookReceiver;
  let webhook: { id: string; slug: string };
  let failing = true;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${dashboard.url}/ops/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const statuses = async (storyId: string) =>
    (await system.db.query(
      `SELECT c.slug, d.id, d.status FROM delivery d JOIN channel c ON c.id = d.channel_id JOIN story_version v ON v.id = d.story_version_id
        WHERE v.story_id = $1 AND d.kind = 'publish' ORDER BY c.slug`,
      [storyId],
    )) as Array<{ slug: string; id: string; status: string }>;
  async function until(what: string, f: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await f())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    // Webhook retries follow their ~3-day schedule scaled down to milliseconds: a failing delivery fails for good quickly.
    system = await startSystem({ env: { JOB_ATTEMPTS: '2', CHANNEL_RETRY_SCALE: '0.00001', OPS_API_TOKEN: TOKEN } });
    dashboard = await startDashboard();
    partner = await createPartner(system.db, 'opsapi');
    const secret = generateWebhookSecret();
    receiver = await startWebhookReceiver({ secret, respond: () => ({ status: failing ? 500 : 204 }) });
    webhook = await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
    await createRoutedChannel(system.db, partner, 'feed', { title: 'ops api feed' }, ['source']);
  }, 60_000);

  afterAll(async () => {
    await receiver?.stop();
    await dashboard?.stop();
    await system?.stop();
  });

  it('replays a story from publish: dry run counts, then exactly the failed delivery is sent once', async () => {
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, 'date 2026-02-10 Replay drill\n\nThe webhook fails first.\n');
    const storyId = pushed.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, storyId);
    expect((await statuses(storyId)).map((d) => d.status).sort()).toEqual(['delivered', 'failed']);
    const sentBefore = receiver.received.length;

    expect((await api('POST', `/stories/${storyId}/replay`, { dry_run: true })).status).toBe(422); // no reason
    const dry = await api('POST', '/replay', { story_ids: [storyId], dry_run: true, reason: 'endpoint back' });
    expect(dry).toMatchObject({ status: 200, body: { dryRun: true, count: 1 } });
    await sleep(500);
    expect((await statuses(storyId)).find((d) => d.slug === webhook.slug)!.status).toBe('failed');

    failing = false;
    const done = await api('POST', '/replay', { story_ids: [storyId], reason: 'endpoint back' });
    expect(done).toMatchObject({ status: 200, body: { dryRun: false, count: 1 } });
    await until('the replayed delivery to be delivered', async () => (await statuses(storyId)).every((d) => d.status === 'delivered'));
    // Replaying again finds nothing to do: a delivered row is never sent twice.
    expect((await api('POST', '/replay', { story_ids: [storyId], reason: 'again' })).body).toMatchObject({ count: 0 });
    await sleep(800);
    expect(receiver.received.length - sentBefore).toBe(1);
    const timeline = await api('GET', `/stories/${storyId}`);
    const events = (timeline.body['versions'] as Array<{ events: Array<{ stage: string; status: string }> }>)[0]!.events;
    expect(events.filter((e) => e.stage === 'publish').map((e) => e.status)).toEqual(expect.arrayContaining(['failed', 'replayed', 'delivered']));
    const audit = await listAudit(system.db, { targetId: storyId, action: 'story.replay' });
    expect(audit.map((a) => [a.actor_type, a.reason])).toEqual([['operator_token', 'again'], ['operator_token', 'endpoint back']]);
  });

  it('resends an in-doubt delivery under a fresh job, and refuses when it is not in doubt', async () => {
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, 'date 2026-02-11 In doubt drill\n\nWas it received?\n');
    const storyId = pushed.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, storyId);
    const d = (await statuses(storyId)).find((x) => x.slug === webhook.slug)!;
    await system.db.query(`UPDATE delivery SET status = 'in_doubt', delivered_at = NULL WHERE id = $1`, [d.id]);
    const listed = await api('GET', '/in-doubt');
    expect((listed.body['items'] as Array<{ id: string; story_id: string }>).find((x) => x.id === d.id)).toMatchObject({ story_id: storyId, channel_slug: webhook.slug });
    const before = receiver.received.length;
    expect(await api('POST', `/deliveries/${d.id}/resolve`, { action: 'resend', reason: 'partner saw nothing' })).toMatchObject({ status: 200, body: { status: 'retry' } });
    await until('the resend', async () => (await statuses(storyId)).find((x) => x.id === d.id)!.status === 'delivered');
    expect(receiver.received.length - before).toBe(1);
    expect((await api('POST', `/deliveries/${d.id}/resolve`, { action: 'resend', reason: 'twice' })).status).toBe(409);
  });

  it('cancels pending work and withdraws a story across partners; search finds it and pages', async () => {
    await api('POST', `/channels/${webhook.slug}/pause`, { reason: 'hold deliveries for the cancel test' });
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, 'date 2026-02-12 Cancel drill\n\nNothing should go out to the webhook.\n');
    const storyId = pushed.body['id'] as string;
    // The paused channel is not routed to; the feed delivery settles on its own.
    await waitSettled(system.intakeUrl, partner.apiKey, storyId);
    await api('POST', `/channels/${webhook.slug}/resume`, { reason: 'done' });
    // Test setup: a delivery held for a translation that has not landed (the 'waiting' state).
    const feedRow = (await statuses(storyId))[0]!;
    await system.db.query(`UPDATE delivery SET status = 'waiting', delivered_at = NULL WHERE id = $1`, [feedRow.id]);
    await system.db.query(`UPDATE story_version SET stage = 'publish' WHERE story_id = $1`, [storyId]);
    const cancel = await api('POST', `/stories/${storyId}/cancel`, { reason: 'story retracted by the desk' });
    expect(cancel).toMatchObject({ status: 200, body: { canceled: 1 } });
    expect((await statuses(storyId)).map((d) => d.status)).toEqual(['canceled']);
    expect((await system.db.query('SELECT stage FROM story_version WHERE story_id = $1', [storyId]))[0].stage).toBe('done');
    const withdrawn = await api('POST', `/stories/${storyId}/withdraw`, { reason: 'legal asked us to' });
    expect(withdrawn).toMatchObject({ status: 202, body: { status: 'withdrawn', version: 2 } });
    expect((await api('POST', `/stories/${storyId}/withdraw`, { reason: 'again' })).body).toMatchObject({ status: 'already_withdrawn' });
    const found = await api('GET', `/stories?q=${storyId}`);
    expect((found.body['items'] as Array<{ id: string; status: string }>)[0]).toMatchObject({ id: storyId, status: 'withdrawn' });
    const page1 = await api('GET', `/stories?partner=${partner.slug}&limit=2`);
    expect((page1.body['items'] as unknown[]).length).toBe(2);
    const page2 = await api('GET', `/stories?partner=${partner.slug}&limit=2&cursor=${String(page1.body['next_cursor'])}`);
    const ids = [...(page1.body['items'] as Array<{ id: string }>), ...(page2.body['items'] as Array<{ id: string }>)].map((s) => s.id);
    expect(new Set(ids).size).toBe(3);
    expect((await api('GET', '/stories?limit=101')).status).toBe(422);
    const failures = await api('GET', '/failures');
    expect(Array.isArray(failures.body['groups'])).toBe(true);
    for (const path of ['/partners', '/channels', '/routes', '/translation-providers', '/feeds', '/deliveries?status=delivered', '/queues', '/audit', '/pipeline/summary']) {
      expect([path, (await api('GET', path)).status]).toEqual([path, 200]);
    }
  });
});
