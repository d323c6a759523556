/** Channel-publisher worker: no HTTP; consumes the `publish` queue, one job per delivery. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { PublisherWorkerModule } from './publisher-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(PublisherWorkerModule, { logger: bootObservability('publisher-worker', loadConfig()) });
  app.enableShutdownHooks();
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`publisher-worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
