import { Module } from '@nestjs/common';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule, LeaderLockModule } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
// The intake's own ingest service: a polled item takes exactly the path of a pushed one.
import { IntakeService } from '../../intake-api/src/stories/intake.service';
import { FeedPollService } from './feed-poll.service';
import { FeedPollWorker } from './feed-poll.worker';
import { FeedSchedulers } from './feed-schedulers';

@Module({
  imports: [ConfigModule, DatabaseModule, LeaderLockModule, ObservabilityModule.forRoot({ service: 'feed-poller', http: 'standalone' })],
  providers: [IntakeService, FeedPollService, FeedSchedulers, FeedPollWorker],
})
export class FeedPollerModule {}
