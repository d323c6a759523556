/** Feed poller: polls the RSS/Atom feeds partners registered and ingests their items. No HTTP. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, nestLogLevels } from '@syndication/config';
import { FeedPollerModule } from './feed-poller.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(FeedPollerModule, { logger: nestLogLevels(loadConfig().logLevel) });
  app.enableShutdownHooks();
}

void bootstrap();
