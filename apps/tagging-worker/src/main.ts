/** Tagging worker: no HTTP; consumes the `tag` queue. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, nestLogLevels } from '@syndication/config';
import { TaggingWorkerModule } from './tagging-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(TaggingWorkerModule, { logger: nestLogLevels(loadConfig().logLevel) });
  app.enableShutdownHooks();
}

void bootstrap();
