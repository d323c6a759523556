/** Translation worker: no HTTP; consumes the `translate` queue. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { TranslationWorkerModule } from './translation-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(TranslationWorkerModule, { logger: bootObservability('translation-worker', loadConfig()) });
  app.enableShutdownHooks();
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`translation-worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
