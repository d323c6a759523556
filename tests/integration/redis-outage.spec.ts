/**
 * Redis away at the intake: the intake boots and accepts stories while Redis is down (the outbox
 * keeps them), and the live pipeline events (Redis transport -> SSE) start when Redis comes up. Uses a redis-server of its own on a free port, never the shared one.
 */
import { startPrivateRedis, type PrivateRedis } from '@syndication/testing';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled, type TestPartner } from '../support/fixtures';

const story = (uri: string, version: number, headline: string) =>
  JSON.stringify({
    uri,
    version: String(version),
    headline,
    body_text: 'The foreign minister of Mongolia met the US Secretary of State in Washington.',
    language: 'en',
  });

/** Opens the story's event stream and resolves with the events seen up to one from `versionId`'s publish stage. */
async function publishEventOf(system: RunningSystem, partner: TestPartner, storyId: string, versionId: () => string | undefined, action: () => Promise<void>) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 60_000);
  try {
    const res = await fetch(`${system.intakeUrl}/v1/stories/${storyId}/events`, { headers: { authorization: `Bearer ${partner.apiKey}` }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    await action();
    const reader = res.body!.getReader();
    let text = '';
    for (;;) {
      const events = text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as { stage: string; versionId: string });
      if (events.some((e) => e.stage === 'publish' && e.versionId === versionId())) return events;
      const { value, done } = await reader.read();
      if (done) throw new Error(`event stream ended: ${text}`);
      text += new TextDecoder().decode(value);
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

describe('Redis down at the intake', () => {
  let redis: PrivateRedis;
  let system: RunningSystem | undefined;

  beforeAll(async () => {
    // A private Redis on a port of its own, stopped: the system boots while it is down.
    redis = await startPrivateRedis({ persistence: 'none' });
    await redis.kill('SIGKILL');
  });
  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
  });

  it('boots and accepts stories with Redis down; events start when it comes up', async () => {
    // Redis is not running: the whole system boots against its (closed) port.
    system = await startSystem({ env: { REDIS_URL: redis.url } });
    const partner = await createPartner(system.db, 'redisdown');
    await createRoutedChannel(system.db, partner, 'feed', { title: 'redisdown' }, ['source']);
    const v1 = await pushStory(system.intakeUrl, partner.apiKey, story('urn:redisdown:1', 1, 'First headline'), 'application/json');
    expect(v1.status).toBe(202);
    const ready = await fetch(`${system.intakeUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', redis: 'down' });

    // Redis comes up: the outbox drains, the story is published.
    await redis.start();
    const storyId = v1.body['id'] as string;
    await waitSettled(system.intakeUrl, partner.apiKey, storyId, 40_000);

    // Live events flow (the intake subscribed once Redis answered).
    let v2Id: string | undefined;
    await publishEventOf(system, partner, storyId, () => v2Id, async () => {
      const v2 = await pushStory(system!.intakeUrl, partner.apiKey, story('urn:redisdown:1', 2, 'Second headline'), 'application/json');
      expect(v2.status).toBe(202);
      v2Id = v2.body['version_id'] as string;
    });

  }, 180_000);
});
