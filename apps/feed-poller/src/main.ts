/** Feed poller: polls the RSS/Atom feeds partners registered and ingests their items. No HTTP. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { FeedPollerModule } from './feed-poller.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(FeedPollerModule, { logger: bootObservability('feed-poller', loadConfig()) });
  app.enableShutdownHooks();
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`feed-poller failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
