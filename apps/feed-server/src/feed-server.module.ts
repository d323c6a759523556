import { Module } from '@nestjs/common';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { FeedsController } from './feeds.controller';
import { ObservabilityModule } from '@syndication/observability';

@Module({
  imports: [ConfigModule, DatabaseModule, ObservabilityModule.forRoot({ service: 'feed-server', http: 'app' })],
  controllers: [FeedsController],
})
export class FeedServerModule {}
