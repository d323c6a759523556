/** Channel-publisher worker: no HTTP; consumes the `publish` queue, one job per delivery. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, nestLogLevels } from '@syndication/config';
import { PublisherWorkerModule } from './publisher-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(PublisherWorkerModule, { logger: nestLogLevels(loadConfig().logLevel) });
  app.enableShutdownHooks();
}

void bootstrap();
