/** Pipeline relay: moves outbox rows onto BullMQ and reconciles Postgres with Redis. No HTTP. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, nestLogLevels } from '@syndication/config';
import { PipelineRelayModule } from './pipeline-relay.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(PipelineRelayModule, { logger: nestLogLevels(loadConfig().logLevel) });
  app.enableShutdownHooks();
}

void bootstrap();
