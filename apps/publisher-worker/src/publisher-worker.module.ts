import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@syndication/config';
import { ChannelRegistry, FeedChannel, WebhookChannel } from '@syndication/channels';
import { DatabaseModule } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
import { PipelineEventsModule } from '@syndication/events';
import { WorkerModule } from '@syndication/queue';
import { PublishProcessor } from './publish.processor';

/** Every channel kind the publisher can deliver to; a new kind is registered here. */
@Module({
  providers: [
    {
      provide: ChannelRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ChannelRegistry([new FeedChannel(), new WebhookChannel(config.channels.webhookTimeoutMs, config.outbound)]),
    },
  ],
  exports: [ChannelRegistry],
})
class ChannelsModule {}

@Module({
  imports: [ConfigModule, DatabaseModule, ObservabilityModule.forRoot({ service: 'publisher-worker', http: 'standalone' }), WorkerModule.forHandlers([PublishProcessor], [ChannelsModule, PipelineEventsModule])],
})
export class PublisherWorkerModule {}
