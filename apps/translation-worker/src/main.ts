/** Translation worker: no HTTP; consumes the `translate` queue. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, nestLogLevels } from '@syndication/config';
import { TranslationWorkerModule } from './translation-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(TranslationWorkerModule, { logger: nestLogLevels(loadConfig().logLevel) });
  app.enableShutdownHooks();
}

void bootstrap();
