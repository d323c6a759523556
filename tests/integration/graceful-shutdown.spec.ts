/**
 * SIGTERM drains instead of resending: a publisher process (compiled, as deployed) that gets
 * SIGTERM while a send is in flight lets the send finish and records it before it exits, so the
 * worker started afterwards has nothing to resend. And the intake's readiness answers 503 before its HTTP server stops accepting.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
const root = join(__dirname, '..', '..');
const publisherJs = join(root, 'dist', 'apps', 'publisher-worker', 'src', 'main.js');
const SLOW_SEND_MS = 12_000;

/** What docker compose gives the app between SIGTERM and SIGKILL (Docker's default is 10 s). */
function composeGraceMs(): number {
  const m = /^\s*stop_grace_period:\s*(\d+)s\s*$/m.exec(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
  return m ? Number(m[1]) * 1000 : 10_000;
}

describe('graceful shutdown of a publisher with a send in flight', () => {
  let system: RunningSystem;
  let receiver: WebhookReceiver;
  const apps: INestApplicationContext[] = [];
  const arrivals: number[] = [];
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    // Deployed defaults for the drain budget and the webhook timeout.
    system = await startSystem({ intakeOnly: true });
    // A slow partner endpoint: answers SLOW_SEND_MS after the request arrives (longer than Docker's
    // default 10 s grace, well inside the 30 s webhook timeout).
    receiver = await startWebhookReceiver({
      secret,
      respond: async () => {
        arrivals.push(Date.now());
        await sleep(SLOW_SEND_MS);
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

      // SIGTERM while the endpoint is still answering; SIGKILL if the process outlives the grace
      // period, as docker compose would.
      child.kill('SIGTERM');
      let killed = false;
      const grace = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, composeGraceMs());
      const exit = await exited;
      clearTimeout(grace);
      // It left on its own, inside the grace period (not SIGKILLed mid-send).
      expect(killed).toBe(false);
      expect(exit.signal).not.toBe('SIGKILL');

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
  }, 120_000);
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
