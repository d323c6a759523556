/**
 * SIGTERM drains instead of resending: a publisher process (compiled, as deployed) that gets
 * SIGTERM while a send is in flight lets the send finish and records it before it exits, so the
 * worker started afterwards has nothing to resend. And the intake's readiness answers 503 before its HTTP server stops accepting.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { generateWebhookSecret } from '@syndication/channels';
import { startWebhookReceiver, type WebhookReceiver } from '@syndication/testing';
import { PipelineRelayModule } from '../../apps/pipeline-relay/src/pipeline-relay.module';
import { TranslationWorkerModule } from '../../apps/translation-worker/src/translation-worker.module';
import { TaggingWorkerModule } from '../../apps/tagging-worker/src/tagging-worker.module';
import { PublisherWorkerModule } from '../../apps/publisher-worker/src/publisher-worker.module';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled } from '../support/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = ['error'] as Array<'error'>;
const publisherJs = join(__dirname, '..', '..', 'dist', 'apps', 'publisher-worker', 'src', 'main.js');

describe('graceful shutdown of a publisher with a send in flight', () => {
  let system: RunningSystem;
  let receiver: WebhookReceiver;
  const apps: INestApplicationContext[] = [];
  const arrivals: number[] = [];
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    // A drain budget shorter than one send, as main had (25 s vs a 30 s webhook timeout), scaled
    // down: the drain must still wait for the send instead of force-closing mid-send.
    system = await startSystem({ intakeOnly: true, env: { SHUTDOWN_DEADLINE_MS: '1000', WEBHOOK_TIMEOUT_MS: '8000' } });
    // A slow partner endpoint: answers 3 s after the request arrives.
    receiver = await startWebhookReceiver({
      secret,
      respond: async () => {
        arrivals.push(Date.now());
        await sleep(3_000);
        return { status: 204 };
      },
    });
    for (const mod of [PipelineRelayModule, TranslationWorkerModule, TaggingWorkerModule]) {
      apps.push(await NestFactory.createApplicationContext(mod, { logger }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await receiver?.stop();
    await system?.stop();
  });

  it('SIGTERM: finishes the in-flight send, records it once, exits, and nothing is sent again', async () => {
    if (!existsSync(publisherJs)) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    const partner = await createPartner(system.db, 'drain');
    await createRoutedChannel(system.db, partner, 'webhook', { url: receiver.url, secret }, ['source']);
    // The publisher as deployed: its own process, from the build, same database, Redis and prefix.
    let output = '';
    const child = spawn(process.execPath, [publisherJs], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      const pushed = await pushStory(system.intakeUrl, partner.apiKey, JSON.stringify({
        uri: 'urn:drain:1',
        version: '1',
        headline: 'Mongolia signs a minerals deal in Washington',
        body_text: 'The foreign minister of Mongolia met the US Secretary of State in Washington.',
        language: 'en',
      }), 'application/json');
      expect(pushed.status).toBe(202);
      while (arrivals.length === 0) await sleep(50);

      // SIGTERM while the endpoint is still answering.
      const started = Date.now();
      child.kill('SIGTERM');
      const exit = await exited;
      const exitedAfterMs = Date.now() - started;
      expect(exitedAfterMs).toBeLessThan(13_000); // within the drain budget (8 s send timeout + 5 s)
      expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);

      // A fresh worker (the restarted container): anything left open is claimed again once its lease runs out.
      apps.push(await NestFactory.createApplicationContext(PublisherWorkerModule, { logger }));
      const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string, 40_000);
      await sleep(2_000);
      expect(view.versions[0]!.deliveries.map((d) => ({ status: d.status, attempts: d.attempts }))).toEqual([{ status: 'delivered', attempts: 1 }]);
      expect(arrivals).toHaveLength(1);
      expect(receiver.received).toHaveLength(1);
    } catch (err) {
      process.stderr.write(`publisher output:\n${output}\n`);
      throw err;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('intake readiness during shutdown', () => {
  it('answers /health/ready 503 before the HTTP server stops accepting', async () => {
    const system = await startSystem({ intakeOnly: true, env: { SHUTDOWN_READY_DELAY_MS: '1500' } });
    let closed = false;
    try {
      expect((await fetch(`${system.intakeUrl}/health/ready`)).status).toBe(200);
      const closing = system.intake.close().then(() => {
        closed = true;
      });
      await sleep(300);
      const during = await fetch(`${system.intakeUrl}/health/ready`);
      expect(during.status).toBe(503);
      // Other requests are still served while the load balancer takes the instance out.
      expect((await fetch(`${system.intakeUrl}/health/live`)).status).toBe(200);
      await closing;
      await expect(fetch(`${system.intakeUrl}/health/live`)).rejects.toThrow();
    } finally {
      if (!closed) await system.intake.close().catch(() => undefined);
      await system.stop().catch(() => undefined);
    }
  }, 60_000);
});
