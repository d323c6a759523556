/** Tagging worker: no HTTP; consumes the `tag` queue. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { TaggingWorkerModule } from './tagging-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(TaggingWorkerModule, { logger: bootObservability('tagging-worker', loadConfig()) });
  app.enableShutdownHooks();
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`tagging-worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
