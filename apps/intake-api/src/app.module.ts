import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { PartnerAuthGuard } from './auth/partner-auth.guard';
import { FeedsController } from './feeds/feeds.controller';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { RoutePreviewController, RoutePreviewService } from './routes/route-preview.controller';
import { IntakeService } from './stories/intake.service';
import { StoriesController } from './stories/stories.controller';
import { StoryEventsConsumer, StoryEventsHub } from './stories/story-events';
import { StoryStatusService } from './stories/story-status.service';

@Module({
  imports: [ConfigModule, DatabaseModule],
  controllers: [StoriesController, RoutePreviewController, FeedsController, HealthController, StoryEventsConsumer],
  providers: [
    IntakeService,
    RoutePreviewService,
    StoryStatusService,
    StoryEventsHub,
    PartnerAuthGuard,
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class IntakeApiModule {}
