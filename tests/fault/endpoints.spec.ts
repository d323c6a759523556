/**
 * F6: misbehaving channel endpoints, one channel per behaviour, all routed from one partner, so
 * one story meets every behaviour at once (and a healthy channel shows the others do not hold it
 * up). Judged from the endpoints' own logs: resend timing, webhook-ids, arrival counts.
 */
import { RETRY_SCHEDULES } from '@syndication/channels';
import { behaviours, productReport, type FaultSystem, type FakeWebhookEndpoint } from '@syndication/testing';
import { bootFault, explain, sleep } from './support';

/** Every scheduled webhook attempt: the first plus one per delay of the schedule. */
const WEBHOOK_ATTEMPTS = RETRY_SCHEDULES.webhook!.length + 1;

const ack = (e: { answer: number | string }): boolean => typeof e.answer === 'number' && e.answer >= 200 && e.answer < 300;

describe('F6: misbehaving endpoints', () => {
  let system: FaultSystem;
  const ep: Record<string, FakeWebhookEndpoint> = {};
  let storyId = '';

  beforeAll(async () => {
    // Webhooks follow their own ~3-day schedule (attempts counted in the ledger), scaled to milliseconds here.
    system = await bootFault('f6', { env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '300', CHANNEL_RETRY_SCALE: '0.00001' } });
    ep['ok'] = (await system.addWebhook('ok')).endpoint;
    // First attempt answers after 2.5 s; the channel's own timeout is 1 s.
    ep['slow'] = (await system.addWebhook('slow', behaviours.firstAttempts(1, { status: 204, delayMs: 2_500 }), { timeoutMs: 1_000 })).endpoint;
    ep['limited'] = (await system.addWebhook('limited', behaviours.firstAttempts(1, { status: 429, headers: { 'retry-after': '3' } }))).endpoint;
    ep['gone'] = (await system.addWebhook('gone', behaviours.always({ status: 410 }))).endpoint;
    // Not routed: the Location a redirecting endpoint points at, which must never be followed.
    ep['target'] = (await system.addWebhook('target')).endpoint;
    await system.db.query('UPDATE route SET active = false WHERE channel_id = (SELECT id FROM channel WHERE slug LIKE $1)', ['%-target']);
    ep['moved'] = (await system.addWebhook('moved', behaviours.always({ status: 301, headers: { location: ep['target'].url } }))).endpoint;
    ep['hang'] = (await system.addWebhook('hang', behaviours.firstAttempts(1, { hang: true }), { timeoutMs: 1_000 })).endpoint;
    ep['broken'] = (await system.addWebhook('broken', behaviours.always({ status: 500 }))).endpoint;
    await system.startApps();
    const pushed = await system.client.push('urn:fault:f6:1', 'Endpoints misbehave');
    expect(pushed.status).toBe(202);
    storyId = pushed.storyId!;
    // Until every behaviour has played out: acks where one is due, every scheduled attempt at the broken one.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const done = ['ok', 'slow', 'limited', 'hang'].every((n) => ep[n]!.entries.some(ack)) && ep['broken']!.entries.length >= WEBHOOK_ATTEMPTS;
      if (done) break;
      await sleep(250);
    }
    await sleep(2_000);
  }, 200_000);
  afterAll(() => system?.stop(), 60_000);

  const arrivals = (name: string) => ep[name]!.entries.filter((e) => e.storyId === storyId);

  it('a healthy channel is not held up by the others', () => {
    expect(arrivals('ok').map((e) => e.answer)).toEqual([204]);
  });

  it('a timeout (endpoint slower than the channel timeout) is retried under the same webhook-id', () => {
    const got = arrivals('slow');
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(new Set(got.map((e) => e.deliveryKey)).size).toBe(1);
  });

  it('429 + Retry-After: 3 is retried no earlier than 3 s later (and not much later), same webhook-id', () => {
    const got = arrivals('limited');
    expect(got.map((e) => e.answer)).toEqual([429, 204]);
    const gap = got[1]!.at - got[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(3_000);
    expect(gap).toBeLessThanOrEqual(5_000);
    expect(new Set(got.map((e) => e.deliveryKey)).size).toBe(1);
  });

  it('accept-then-hang is abandoned at the channel timeout and resent under the same webhook-id', () => {
    const got = arrivals('hang');
    expect(got.map((e) => e.answer)).toEqual(['hang', 204]);
    expect(new Set(got.map((e) => e.deliveryKey)).size).toBe(1);
  });

  it('3xx is a failure and is never followed', () => {
    expect(arrivals('moved')).toHaveLength(1);
    expect(ep['target']!.entries).toHaveLength(0);
  });

  it('500 is retried per schedule and then recorded as a dead letter', async () => {
    expect(arrivals('broken')).toHaveLength(WEBHOOK_ATTEMPTS);
    const report = await productReport(system.db, system.partner.id);
    expect(report.deadLetters).toBeGreaterThanOrEqual(1);
  });

  it('410 gets exactly one attempt, and the endpoint gets nothing more afterwards (disabled)', async () => {
    expect(arrivals('gone')).toHaveLength(1);
    const second = await system.client.push('urn:fault:f6:2', 'After the endpoint went away');
    expect(second.status).toBe(202);
    const deadline = Date.now() + 30_000;
    while (!ep['ok']!.entries.some((e) => e.storyId === second.storyId && ack(e)) && Date.now() < deadline) await sleep(250);
    expect(ep['ok']!.entries.some((e) => e.storyId === second.storyId && ack(e))).toBe(true);
    await sleep(2_000);
    try {
      expect(ep['gone']!.entries.filter((e) => e.storyId === second.storyId)).toHaveLength(0);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${explain(system)}`);
    }
  }, 60_000);
});
