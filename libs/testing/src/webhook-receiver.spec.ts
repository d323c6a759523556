import { Webhook } from 'standardwebhooks';

import { startWebhookReceiver, uniqueIds, type WebhookReceiver } from './webhook-receiver';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function signed(id: string, body: string, key = secret): Record<string, string> {
  const now = new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(key).sign(id, now, body),
  };
}

describe('startWebhookReceiver', () => {
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });

  it('records verified requests on loopback and answers 204 by default', async () => {
    receiver = await startWebhookReceiver({ secret });
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const body = JSON.stringify({ type: 'story.published', data: { n: 1 } });
    const res = await fetch(receiver.url, { method: 'POST', headers: signed('msg_1', body), body });
    expect(res.status).toBe(204);
    expect(receiver.received).toEqual([
      expect.objectContaining({ id: 'msg_1', verified: true, payload: { type: 'story.published', data: { n: 1 } } }),
    ]);
  });

  it('answers 400 and records verified:false for a bad signature or missing headers', async () => {
    receiver = await startWebhookReceiver({ secret });
    const body = '{"a":1}';
    const wrongKey = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const bad = await fetch(receiver.url, { method: 'POST', headers: signed('msg_2', body, wrongKey), body });
    const tampered = await fetch(receiver.url, { method: 'POST', headers: signed('msg_3', body), body: '{"a":2}' });
    const unsigned = await fetch(receiver.url, { method: 'POST', body });
    expect([bad.status, tampered.status, unsigned.status]).toEqual([400, 400, 400]);
    expect(receiver.received.map((r) => [r.id, r.verified])).toEqual([
      ['msg_2', false],
      ['msg_3', false],
      ['', false],
    ]);
    expect(uniqueIds(receiver.received)).toEqual([]);
  });

  it('lets the test script answers, seeing the attempt number per webhook-id', async () => {
    receiver = await startWebhookReceiver({
      secret,
      respond: async (req) =>
        req.attempt < 3 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200, body: `ok ${req.path}` },
    });
    const body = '{}';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${receiver.url}hooks`, { method: 'POST', headers: signed('msg_4', body), body });
      statuses.push(res.status);
      if (i === 2) expect(await res.text()).toBe('ok /hooks');
    }
    const other = await fetch(receiver.url, { method: 'POST', headers: signed('msg_5', body), body });
    expect(statuses).toEqual([503, 503, 200]);
    expect(other.status).toBe(503);
    expect(uniqueIds(receiver.received)).toEqual(['msg_4', 'msg_5']);
  });

  it('stop() drops parked requests and can be called twice', async () => {
    receiver = await startWebhookReceiver({ secret, respond: () => new Promise(() => undefined) });
    const body = '{}';
    const pending = fetch(receiver.url, { method: 'POST', headers: signed('msg_6', body), body }).catch(() => 'dropped');
    while (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    await receiver.stop();
    await receiver.stop();
    await expect(pending).resolves.toBe('dropped');
  });
});
