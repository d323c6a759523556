/**
 * Observability of the running pipeline: one trace from the intake's HTTP request through every
 * queue hop to each delivery (in-memory exporter), Prometheus metrics and terminus readiness on
 * every process, and JSON log lines stamped with the ids of the work they describe.
 */
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { generateWebhookSecret } from '@syndication/channels';
import { JsonLogger, ObservabilityService, inSpan, startTracing, withLogContext, type Tracing } from '@syndication/observability';
import { startWebhookReceiver } from '@syndication/testing';
import { SEED_FILE } from '../support/env';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled } from '../support/fixtures';

jest.setTimeout(60_000);

/** Sum of the samples of `name` whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string | RegExp>): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    const ok = Object.entries(labels).every(([k, v]) => (typeof v === 'string' ? got[k] === v : got[k] !== undefined && v.test(got[k]!)));
    if (ok) total = (total ?? 0) + Number(m[3]);
  }
  return total;
}

describe('observability', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let system: RunningSystem;

  beforeAll(async () => {
    tracing = startTracing({ service: 'test', exporter: 'none', spanProcessors: [new SimpleSpanProcessor(exporter)] });
    system = await startSystem();
  }, 60_000);
  afterAll(async () => {
    await system?.stop();
    await tracing?.shutdown();
  });

  it('traces the seed story from the HTTP push through every queue hop to each delivery', async () => {
    const partner = await createPartner(system.db, 'trace');
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    try {
      await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source', 'uk']);
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, readFileSync(SEED_FILE));
      expect(pushed.status).toBe(202);
      expect(pushed.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
      await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
      expect(receiver.received.length).toBe(2);

      const spans = exporter.getFinishedSpans();
      const root = spans.find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/stories');
      expect(root).toBeDefined();
      const trace = spans.filter((s) => s.spanContext().traceId === root!.spanContext().traceId);
      const consumers = (queue: string) => trace.filter((s) => s.kind === SpanKind.CONSUMER && s.name.includes(queue));
      expect(consumers('translate').length).toBeGreaterThanOrEqual(1);
      expect(consumers('tag').length).toBeGreaterThanOrEqual(1);
      // One publish job per delivery (source + uk), both in the push's trace.
      expect(consumers('publish').length).toBeGreaterThanOrEqual(2);
      // Every span of the trace hangs off the request: walk parents up to the root.
      const byId = new Map(trace.map((s) => [s.spanContext().spanId, s] as const));
      const reachesRoot = (s: ReadableSpan): boolean => {
        for (let cur: ReadableSpan | undefined = s, n = 0; cur && n < 50; n++) {
          if (cur === root) return true;
          const parent: string | undefined = cur.parentSpanContext?.spanId;
          cur = parent ? byId.get(parent) : undefined;
        }
        return false;
      };
      expect(consumers('publish').every(reachesRoot)).toBe(true);
    } finally {
      await receiver.stop();
    }
  });

  it('serves Prometheus metrics and terminus readiness on the intake and on every worker process', async () => {
    const intake = await (await fetch(`${system.intakeUrl}/metrics`)).text();
    expect(sample(intake, 'syndication_intake_stories_total', { partner: /^trace-/, result: 'accepted' })).toBe(1);
    expect(intake).toContain('nodejs_eventloop_lag_seconds');
    expect(sample(intake, 'syndication_db_pool_connections', { app: 'intake-api', state: 'total' })).toBeGreaterThan(0);

    const refused = await fetch(`${system.intakeUrl}/v1/stories`, { method: 'POST', body: 'x' });
    expect(refused.status).toBe(401);
    expect(sample(await (await fetch(`${system.intakeUrl}/metrics`)).text(), 'syndication_intake_rejections_total', { partner: 'unknown', status: '401' })).toBeGreaterThanOrEqual(1);

    const standalone = system.contexts
      .map((c) => c.get(ObservabilityService, { strict: false }).address())
      .filter((a): a is string => a !== undefined);
    // relay, translation, tagging, publisher, feed poller
    expect(standalone.length).toBe(5);
    const texts = await Promise.all(standalone.map(async (url) => (await fetch(`${url}/metrics`)).text()));
    const all = texts.join('\n');
    // One registry per process: the in-process test system shares it, so any server shows all apps' series.
    expect(sample(texts[0]!, 'syndication_stage_duration_seconds_count', { stage: 'publish', outcome: 'done' })).toBeGreaterThanOrEqual(2);
    expect(sample(all, 'syndication_deliveries_total', { channel: /^webhook-/, outcome: 'done' })).toBeGreaterThanOrEqual(2);
    expect(sample(all, 'syndication_queue_jobs', { queue: 'publish', state: 'completed' })).toBeGreaterThanOrEqual(2);
    // Sent to the engine or reused from the translation memory (earlier tests may have translated the seed).
    expect(sample(all, 'syndication_translation_characters_total', { provider: 'apertium', kind: /^(sent|reused)$/ })).toBeGreaterThan(100);
    for (const url of standalone) {
      const ready = await fetch(`${url}/health/ready`);
      const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
      expect([url, ready.status, body.status]).toEqual([url, 200, 'ok']);
      expect(body.info['postgres']?.status).toBe('up');
      expect(body.info['redis']?.status).toBe('up');
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
    }
    const feedReady = await fetch(`${system.feedUrl}/health/ready`);
    expect(feedReady.status).toBe(200);
  });

  it('writes one JSON object per log line with the ids of the work and the active trace', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = new JsonLogger('test-service', 'log', sink);
    await inSpan('unit of work', {}, async () => {
      withLogContext({ storyId: 's-1', versionId: 'v-1', jobId: 'publish.d-1', deliveryId: 'd-1' }, () => {
        logger.warn('delivery slow', 'PublishProcessor');
        logger.log({ msg: 'with fields', authorization: 'Bearer secret-value' });
      });
    });
    logger.debug('below the level: not written');
    await new Promise((r) => setImmediate(r));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({ level: 'warn', service: 'test-service', msg: 'delivery slow', context: 'PublishProcessor', storyId: 's-1', versionId: 'v-1', jobId: 'publish.d-1', deliveryId: 'd-1' });
    expect(parsed[0]!['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(parsed[1]!['authorization']).toBe('[redacted]');
  });
});
