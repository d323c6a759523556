/**
 * One place that knows the entities, the migrations and the pool settings. Timeouts are set so
 * that a hung Postgres fails a request or a job quickly instead of waiting forever
 * (node-postgres waits indefinitely for a connection unless told otherwise).
 */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PartnerEntity, PartnerKeyEntity } from './entities/partner.entity';
import { StageEventEntity, StoryEntity, StoryVersionEntity } from './entities/story.entity';
import {
  GlossaryTermEntity,
  TagEntity,
  TranslationEntity,
  TranslationMemoryEntity,
  TranslationProviderStatusEntity,
} from './entities/enrichment.entity';
import { ChannelEntity, DeliveryEntity, OutboxEntity, RouteEntity } from './entities/delivery.entity';
import { InitialSchema1764280000000 } from './migrations/1764280000000-initial-schema';
import { TranslationMemory1764290000001 } from './migrations/1764290000001-translation-memory';
import { CanonicalStory1764300000001 } from './migrations/1764300000001-canonical-story';
import { IdempotencyKey1764300000010 } from './migrations/1764300000010-idempotency-key';
import { RouteTagCriteria1764310000001 } from './migrations/1764310000001-route-tag-criteria';
import { PolledFeed1764340000000 } from './migrations/1764340000000-polled-feed';

export const ENTITIES = [
  PartnerEntity,
  PartnerKeyEntity,
  StoryEntity,
  StoryVersionEntity,
  StageEventEntity,
  TranslationEntity,
  TranslationMemoryEntity,
  GlossaryTermEntity,
  TranslationProviderStatusEntity,
  TagEntity,
  ChannelEntity,
  RouteEntity,
  DeliveryEntity,
  OutboxEntity,
];

export const MIGRATIONS = [
  InitialSchema1764280000000,
  TranslationMemory1764290000001,
  CanonicalStory1764300000001,
  IdempotencyKey1764300000010,
  RouteTagCriteria1764310000001,
  PolledFeed1764340000000,
];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 15_000,
      idle_in_transaction_session_timeout: 30_000,
    },
  };
}

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
