/**
 * The publisher's delivery guarantees against real Postgres, Redis, BullMQ and a real Standard
 * Webhooks endpoint on loopback:
 * - a ledger write that fails after a successful send is retried on its own, never resent;
 * - a worker that outlived its lease cannot overwrite the outcome of the claim that replaced it;
 * - on a channel where a resend is not harmless, an ambiguous send (accept-then-hang) and a row
 *   abandoned between the send and the ledger write are held `in_doubt`, never sent again, while
 *   a row abandoned before its send began is simply sent;
 * - on a resend-safe channel the same ambiguity stays an ordinary retry.
 *
 * Channels where a resend is not harmless (Telegram, email) are stood in for by the real webhook
 * adapter declaring `resendSafe: false`, registered in the running publisher: the network and
 * timeout behaviour is the real adapter's, only the declaration differs.
 */
import { randomBytes } from 'node:crypto';
import { ChannelRegistry, WebhookChannel, generateWebhookSecret, type ChannelAdapter } from '@syndication/channels';
import { writeOutbox } from '@syndication/database';
import { startWebhookReceiver, type WebhookReceiver, type WebhookResponse } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, type TestPartner } from '../support/fixtures';
import { DeclaredWebhook, gate } from '../support/declared-webhook';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  detail: Record<string, unknown>;
  last_error: string | null;
}

describe('publisher delivery guarantees', () => {
  let system: RunningSystem;
  let registry: ChannelRegistry;
  let realWebhook: ChannelAdapter;
  const secret = generateWebhookSecret();
  const receivers: WebhookReceiver[] = [];
  const gates: Array<{ open: () => void }> = [];

  beforeAll(async () => {
    // Small margins so a lease runs out within a test: lease = the channel's timeoutMs + 1 s.
    // WEBHOOK_TIMEOUT_MS only matters to a publisher that leases by the global webhook timeout.
    system = await startSystem({ env: { PUBLISH_LEASE_MARGIN_MS: '1000', WEBHOOK_TIMEOUT_MS: '1000' } });
    registry = system.publisher!.get(ChannelRegistry, { strict: false });
    realWebhook = registry.get('webhook');
    await system.db.query(`CREATE TABLE IF NOT EXISTS test_ledger_fault (channel_id uuid PRIMARY KEY)`);
    await system.db.query(`CREATE SEQUENCE IF NOT EXISTS test_ledger_fault_seq`);
    // Fails the first write of 'delivered' for the channels listed in test_ledger_fault. A
    // sequence, because nextval() survives the rollback the exception causes.
    await system.db.query(`
      CREATE OR REPLACE FUNCTION test_ledger_fault_fn() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'delivered' AND OLD.status <> 'delivered' THEN
          IF EXISTS (SELECT 1 FROM test_ledger_fault WHERE channel_id = NEW.channel_id) THEN
            IF nextval('test_ledger_fault_seq') = 1 THEN
              RAISE EXCEPTION 'injected: the ledger write after the send failed';
            END IF;
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await system.db.query(`DROP TRIGGER IF EXISTS test_ledger_fault_trg ON delivery`);
    await system.db.query(`CREATE TRIGGER test_ledger_fault_trg BEFORE UPDATE ON delivery FOR EACH ROW EXECUTE FUNCTION test_ledger_fault_fn()`);
  }, 60_000);

  afterEach(async () => {
    // Let every frozen send go before the next test, so none is left holding a worker slot.
    for (const g of gates.splice(0)) g.open();
    registry.register(realWebhook);
    for (const r of receivers.splice(0)) await r.stop();
  });

  afterAll(async () => {
    await system?.db.query(`DROP TRIGGER IF EXISTS test_ledger_fault_trg ON delivery`);
    await system?.db.query(`DROP FUNCTION IF EXISTS test_ledger_fault_fn()`);
    await system?.db.query(`DROP TABLE IF EXISTS test_ledger_fault`);
    await system?.db.query(`DROP SEQUENCE IF EXISTS test_ledger_fault_seq`);
    await system?.stop();
  });

  async function receiver(respond?: (attempt: number) => WebhookResponse | Promise<WebhookResponse>): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver({ secret, ...(respond ? { respond: (req) => respond(req.attempt) } : {}) });
    receivers.push(r);
    return r;
  }

  async function setup(label: string, r: WebhookReceiver, timeoutMs: number): Promise<{ partner: TestPartner; channelId: string }> {
    const partner = await createPartner(system.db, label);
    const channel = await createRoutedChannel(system.db, partner, 'webhook', { url: r.url, secret, timeoutMs }, ['source']);
    return { partner, channelId: channel.id };
  }

  async function push(partner: TestPartner, label: string): Promise<void> {
    const body = JSON.stringify({
      uri: `urn:${label}:${randomBytes(4).toString('hex')}`,
      version: '1',
      headline: `Reliability ${label}`,
      body_text: 'The port authority reopened the northern terminal after repairs.',
      language: 'en',
    });
    const res = await pushStory(system.intakeUrl, partner.apiKey, body, 'application/json');
    expect(res.status).toBe(202);
  }

  async function delivery(channelId: string): Promise<DeliveryRow | undefined> {
    const rows: DeliveryRow[] = await system.db.query(
      'SELECT id, status, attempts, detail, last_error FROM delivery WHERE channel_id = $1',
      [channelId],
    );
    return rows[0];
  }

  async function stageEvents(deliveryId: string, status: string): Promise<number> {
    const rows: Array<{ n: number }> = await system.db.query(
      `SELECT count(*)::int AS n FROM stage_event WHERE stage = 'publish' AND status = $2 AND detail->>'deliveryId' = $1`,
      [deliveryId, status],
    );
    return rows[0]!.n;
  }

  /** What the reconciler does for a row it finds stuck: a publish job under a new generation. */
  async function enqueueAgain(deliveryId: string, generation: number): Promise<void> {
    await system.db.transaction((m) => writeOutbox(m, 'publish', { deliveryId }, { generation }));
  }

  it('a failed ledger write after a successful send is retried on its own: one POST, row delivered', async () => {
    const r = await receiver();
    const { partner, channelId } = await setup('ledger', r, 5_000);
    await system.db.query('INSERT INTO test_ledger_fault (channel_id) VALUES ($1)', [channelId]);
    await push(partner, 'ledger');

    const row = await waitFor('the delivery to be delivered', async () => {
      const d = await delivery(channelId);
      return d?.status === 'delivered' ? d : undefined;
    });
    // The injected failure did fire (the sequence moved past 1), and the endpoint still saw one request.
    const seq: Array<{ last_value: string; is_called: boolean }> = await system.db.query('SELECT last_value, is_called FROM test_ledger_fault_seq');
    expect(seq[0]!.is_called).toBe(true);
    await sleep(1_500); // a resend, if any, would come within the job backoff (200 ms)
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.verified).toBe(true);
    expect((await delivery(channelId))!.status).toBe('delivered');
    expect(row.attempts).toBe(1);
    expect(await stageEvents(row.id, 'retry')).toBe(0);
  });

  it('a worker whose lease ran out cannot overwrite the outcome of the claim that replaced it', async () => {
    // The endpoint names each arrival, so the ledger shows whose outcome it kept.
    const r = await receiver((attempt) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `arrival-${attempt}` }) }));
    const adapter = new DeclaredWebhook(new WebhookChannel(undefined, system.config.outbound), true, true);
    registry.register(adapter);
    const { partner, channelId } = await setup('fence', r, 1_000);
    await push(partner, 'fence');

    // Worker A: sent, then frozen before it records anything.
    await waitFor('the first send to stop at its gate', () => adapter.stopped.length === 1);
    gates.push(adapter.stopped[0]!);
    const row = (await delivery(channelId))!;
    // The reconciler's re-add; it waits out A's lease (1 s timeout + 1 s margin), then claims anew.
    await enqueueAgain(row.id, 1);
    await waitFor('the second claim to send and stop at its gate', () => adapter.stopped.length === 2, 40_000);
    gates.push(adapter.stopped[1]!);
    expect(r.received.map((w) => w.id)).toEqual([row.id, row.id]);

    // A wakes up first and tries to record its outcome, then B records its own.
    adapter.stopped[0]!.open();
    await sleep(1_000);
    adapter.stopped[1]!.open();
    await waitFor('the delivery to be delivered', async () => (await delivery(channelId))?.status === 'delivered');
    await sleep(500);

    const final = (await delivery(channelId))!;
    expect(final.attempts).toBe(2);
    expect(final.detail['remote_id']).toBe('arrival-2');
    expect(await stageEvents(row.id, 'delivered')).toBe(1);
  });

  it('an accept-then-hang on a non-resend-safe channel is held in doubt with evidence and never sent again', async () => {
    const hanging = gate();
    gates.push({ open: hanging.open });
    const r = await receiver(async () => {
      await hanging.wait;
      return { status: 204 };
    });
    registry.register(new DeclaredWebhook(new WebhookChannel(undefined, system.config.outbound), false, false));
    const { partner, channelId } = await setup('hang', r, 1_000);
    await push(partner, 'hang');

    const row = await waitFor('the delivery to be in doubt', async () => {
      const d = await delivery(channelId);
      return d?.status === 'in_doubt' ? d : undefined;
    });
    expect(r.received).toHaveLength(1);
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/in doubt/);
    expect(row.detail).toMatchObject({ cause: 'timeout', attempt: 1, timeout_ms: 1_000, lease_ms: 2_000 });
    expect(typeof row.detail['claimed_at']).toBe('string');
    expect(row.detail['elapsed_ms']).toBeGreaterThanOrEqual(900);
    expect(await stageEvents(row.id, 'in_doubt')).toBe(1);

    // Past the lease, and with a fresh job as the reconciler would add: still nothing goes out.
    await enqueueAgain(row.id, 1);
    await sleep(3_000);
    expect(r.received).toHaveLength(1);
    expect((await delivery(channelId))!.status).toBe('in_doubt');
  });

  it('on a resend-safe channel an accept-then-hang stays an ordinary retry, with the same webhook-id', async () => {
    const hanging = gate();
    gates.push({ open: hanging.open });
    const r = await receiver(async (attempt) => {
      if (attempt === 1) await hanging.wait;
      return { status: 204 };
    });
    const { partner, channelId } = await setup('safe-hang', r, 1_000);
    await push(partner, 'safe-hang');

    const row = await waitFor('the delivery to be delivered', async () => {
      const d = await delivery(channelId);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(row.attempts).toBe(2);
    expect(r.received.map((w) => w.id)).toEqual([row.id, row.id]);
    expect(await stageEvents(row.id, 'in_doubt')).toBe(0);
  });

  it('on a non-resend-safe channel, a row abandoned after its claim but before its send is claimed again and sent', async () => {
    const r = await receiver();
    registry.register(new DeclaredWebhook(new WebhookChannel(undefined, system.config.outbound), false, false));
    const { partner, channelId } = await setup('before-send', r, 1_000);
    await push(partner, 'before-send');
    const first = await waitFor('the first delivery', async () => {
      const d = await delivery(channelId);
      return d?.status === 'delivered' ? d : undefined;
    });
    // The row as a worker killed right after its claim leaves it (FAULT_POINT=after_claim):
    // sending, lease long over, no send begun.
    await system.db.query(
      `UPDATE delivery SET status = 'sending', claimed_at = now() - interval '1 hour', send_started_at = NULL, claim_token = gen_random_uuid() WHERE id = $1`,
      [first.id],
    );
    await enqueueAgain(first.id, 1);
    await waitFor('the re-claimed row to be delivered', async () => {
      const d = await delivery(channelId);
      return d?.status === 'delivered' && d.attempts === 2;
    });
    expect(r.received.map((w) => w.id)).toEqual([first.id, first.id]);
    expect(await stageEvents(first.id, 'in_doubt')).toBe(0);
  });

  it('a row abandoned between the send and the ledger write is held in doubt after its lease, not resent', async () => {
    const r = await receiver();
    const adapter = new DeclaredWebhook(new WebhookChannel(undefined, system.config.outbound), false, true);
    registry.register(adapter);
    const { partner, channelId } = await setup('abandon', r, 1_000);
    await push(partner, 'abandon');

    await waitFor('the send to stop at its gate', () => adapter.stopped.length === 1);
    gates.push(adapter.stopped[0]!);
    const sending = (await delivery(channelId))!;
    expect(sending.status).toBe('sending');

    await enqueueAgain(sending.id, 1);
    const row = await waitFor('the abandoned row to be in doubt', async () => {
      const d = await delivery(channelId);
      return d?.status === 'in_doubt' ? d : undefined;
    });
    expect(row.detail).toMatchObject({ cause: 'lease_expired', attempt: 1, lease_ms: 2_000 });
    expect(typeof row.detail['send_started_at']).toBe('string');
    expect(r.received).toHaveLength(1);
    expect(adapter.stopped).toHaveLength(1);

    // The frozen worker comes back knowing it was delivered: that, not the guess, is recorded.
    adapter.stopped[0]!.open();
    await waitFor('the late success to be recorded', async () => (await delivery(channelId))?.status === 'delivered');
    expect(r.received).toHaveLength(1);
  });
});
