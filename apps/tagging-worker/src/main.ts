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

void bootstrap();
