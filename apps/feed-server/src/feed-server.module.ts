import { Module } from '@nestjs/common';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { FeedsController } from './feeds.controller';
import { FeedHealthController } from './health.controller';

@Module({ imports: [ConfigModule, DatabaseModule], controllers: [FeedsController, FeedHealthController] })
export class FeedServerModule {}
