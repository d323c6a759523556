import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@syndication/config';
import { ChannelConfigError, ChannelRegistry, createChannelRegistry, RedisCooldownStore } from '@syndication/channels';
import { DatabaseModule, openChannelConfig } from '@syndication/database';
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
              return openChannelConfig(config.auth.secretsKey, kind, raw);
            } catch (err) {
              throw new ChannelConfigError('config', `a credential does not open with SECRETS_KEY: ${(err as Error).message}`);
            }
          },
        }),
    },
  ],
  exports: [ChannelRegistry],
})
class ChannelsModule implements OnApplicationShutdown {
  constructor(@Inject(CHANNELS_REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Module({
  imports: [ConfigModule, DatabaseModule, WorkerModule.forHandlers([PublishProcessor], [ChannelsModule, PipelineEventsModule])],
})
export class PublisherWorkerModule {}
