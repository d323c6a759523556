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

void bootstrap();
