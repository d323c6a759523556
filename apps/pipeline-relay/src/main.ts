/** Pipeline relay: moves outbox rows onto BullMQ and reconciles Postgres with Redis. No HTTP. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { PipelineRelayModule } from './pipeline-relay.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(PipelineRelayModule, { logger: bootObservability('pipeline-relay', loadConfig()) });
  app.enableShutdownHooks();
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`pipeline-relay failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
