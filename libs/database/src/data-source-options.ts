/**
 * One place that knows the entities, the migrations and the pool settings. Timeouts are set so
 * that a hung Postgres fails a request or a job quickly instead of waiting forever
 * (node-postgres waits indefinitely for a connection unless told otherwise).
 */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PartnerEntity, PartnerKeyEntity, RequestNonceEntity } from './entities/partner.entity';
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
import { TranslationPolicy1764290000100 } from './migrations/1764290000100-translation-policy';
import { CanonicalStory1764300000001 } from './migrations/1764300000001-canonical-story';
import { IdempotencyKey1764300000010 } from './migrations/1764300000010-idempotency-key';
import { RouteTagCriteria1764310000001 } from './migrations/1764310000001-route-tag-criteria';
import { SignedRequests1764320000001 } from './migrations/1764320000001-signed-requests';
import { StoryLifecycle1764330000001 } from './migrations/1764330000001-story-lifecycle';
import { NearDuplicate1764330000002 } from './migrations/1764330000002-near-duplicate';
import { PartnerCleanupRule1764330000003 } from './migrations/1764330000003-partner-cleanup-rule';
import { DeliveryStatusWaitingCanceled1764350000001 } from './migrations/1764350000001-delivery-status-waiting-canceled';
import { PolledFeed1764340000000 } from './migrations/1764340000000-polled-feed';
import { AuditEvent1764360000000 } from './migrations/1764360000000-audit-event';
import { OutboxGeneration1764360000001 } from './migrations/1764360000001-outbox-generation';
import { IntakeDocument1764370000200 } from './migrations/1764370000200-intake-document';
import { ChannelState1764360000002 } from './migrations/1764360000002-channel-state';
import { OutboxTrace1764370000700 } from './migrations/1764370000700-outbox-trace';
import { TagRoutable1764370000400 } from './migrations/1764370000400-tag-routable';
import { DeliveryClaimFence1764370000000 } from './migrations/1764370000000-delivery-claim-fence';
import { FormatDialects1764370000300 } from './migrations/1764370000300-format-dialects';
import { OpsAccounts1764370000600 } from './migrations/1764370000600-ops-accounts';
import { RouteUrgencyChannelLanguages1764370000500 } from './migrations/1764370000500-route-urgency-channel-languages';
import { OutboxError1764370000100 } from './migrations/1764370000100-outbox-error';

export const ENTITIES = [
  PartnerEntity,
  PartnerKeyEntity,
  RequestNonceEntity,
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
  TranslationPolicy1764290000100,
  CanonicalStory1764300000001,
  IdempotencyKey1764300000010,
  RouteTagCriteria1764310000001,
  SignedRequests1764320000001,
  StoryLifecycle1764330000001,
  NearDuplicate1764330000002,
  PartnerCleanupRule1764330000003,
  PolledFeed1764340000000,
  DeliveryStatusWaitingCanceled1764350000001,
  AuditEvent1764360000000,
  OutboxGeneration1764360000001,
  ChannelState1764360000002,
  OutboxTrace1764370000700,
  TagRoutable1764370000400,
  DeliveryClaimFence1764370000000,
  FormatDialects1764370000300,
  OpsAccounts1764370000600,
  RouteUrgencyChannelLanguages1764370000500,
  IntakeDocument1764370000200,
  OutboxError1764370000100,
];

/**
 * How long the pool and the server may take before a call fails (0 turns a limit off). A dead or
 * silent database must fail a request fast (the intake answers 503) instead of holding it:
 * node-postgres waits forever for a connection, a reply or a half-open socket unless told otherwise.
 */
export interface DatabaseTimeouts {
  /** Acquiring a connection (new TCP connection and startup included): pool `connectionTimeoutMillis`. */
  connectMs: number;
  /** Server-side `statement_timeout`: a statement running longer is cancelled by Postgres (57014). */
  statementMs: number;
  /** Client-side `query_timeout`: bounds a query on a server that stopped answering (no reply at all). */
  queryMs: number;
  /** TCP keepalive initial delay, so a vanished host is noticed on idle pooled connections. */
  keepAliveMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: Readonly<DatabaseTimeouts> = { connectMs: 1_000, statementMs: 5_000, queryMs: 6_000, keepAliveMs: 10_000 };

export function dataSourceOptions(url: string, poolSize = 10, timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS): DataSourceOptions {
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
      connectionTimeoutMillis: timeouts.connectMs,
      ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
      ...(timeouts.queryMs > 0 ? { query_timeout: timeouts.queryMs } : {}),
      keepAlive: timeouts.keepAliveMs > 0,
      keepAliveInitialDelayMillis: timeouts.keepAliveMs,
      idle_in_transaction_session_timeout: 30_000,
    },
  };
}

export function createDataSource(url: string, poolSize = 10, timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize, timeouts));
}
