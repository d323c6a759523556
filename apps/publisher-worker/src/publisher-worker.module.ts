import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@syndication/config';
import { CHANNEL_GATE, ChannelConfigError, ChannelRegistry, createChannelRegistry, RedisChannelGate, RedisCooldownStore } from '@syndication/channels';
import { DatabaseModule, openChannelConfig } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
import { PipelineEventsModule } from '@syndication/events';
import { createRedis, WorkerModule } from '@syndication/queue';
import { PublishProcessor } from './publish.processor';

const CHANNELS_REDIS = Symbol('CHANNELS_REDIS');

/**
 * Every channel kind the publisher can deliver to; a new kind is registered here. Sealed
 * credentials are opened per send; Telegram's bot-wide 429 quiet time is shared through Redis.
 */
@Module({
  providers: [
    { provide: CHANNELS_REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createRedis(config.redis.url, 'worker') },
    {
      provide: ChannelRegistry,
      inject: [APP_CONFIG, CHANNELS_REDIS],
      useFactory: (config: AppConfig, redis: Redis) =>
        createChannelRegistry({
          timeoutMs: config.channels.webhookTimeoutMs,
          outbound: config.outbound,
          cooldown: new RedisCooldownStore(redis, config.redis.prefix),
          open: (kind, raw) => {
            try {
              return openChannelConfig(config.auth.secretsKeys, kind, raw);
            } catch (err) {
              throw new ChannelConfigError('config', `a credential does not open with SECRETS_KEY: ${(err as Error).message}`);
            }
          },
        }),
    },
    {
      provide: CHANNEL_GATE,
      inject: [APP_CONFIG, CHANNELS_REDIS],
      // The lease outlives the longest send (timeout + the publisher's 15 s margin).
      useFactory: (config: AppConfig, redis: Redis) =>
        new RedisChannelGate(redis, config.redis.prefix, config.channels.concurrency, config.channels.webhookTimeoutMs + 30_000),
    },
  ],
  exports: [ChannelRegistry, CHANNEL_GATE],
})
class ChannelsModule implements OnApplicationShutdown {
  constructor(@Inject(CHANNELS_REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Module({
  imports: [ConfigModule, DatabaseModule, ObservabilityModule.forRoot({ service: 'publisher-worker', http: 'standalone' }), WorkerModule.forHandlers([PublishProcessor], [ChannelsModule, PipelineEventsModule])],
})
export class PublisherWorkerModule {}
