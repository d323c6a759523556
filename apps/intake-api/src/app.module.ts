import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { PartnerAuthGuard } from './auth/partner-auth.guard';
import { DeliveriesAdminController, DeliveriesAdminService } from './admin/deliveries-admin.controller';
import { PartnersAdminController } from './admin/partners-admin.controller';
import { PartnersAdminService } from './admin/partners-admin.service';
import { OpenApiController } from './openapi/openapi.controller';
import { CleanupRulesController, CleanupRulesService } from './cleanup-rules/cleanup-rules.controller';
import { StoryWithdrawController, StoryWithdrawService } from './stories/story-withdraw.controller';
import { FeedsController } from './feeds/feeds.controller';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { RoutePreviewController, RoutePreviewService } from './routes/route-preview.controller';
import { IntakeService } from './stories/intake.service';
import { StoriesController } from './stories/stories.controller';
import { StoryEventsConsumer, StoryEventsHub } from './stories/story-events';
import { StoryReceiptsController, StoryReceiptsService } from './stories/story-receipts.controller';
import { StoryStatusService } from './stories/story-status.service';
import { GlossaryController } from './translation/glossary.controller';
import { TranslationProvidersController } from './translation/translation-providers.controller';

@Module({
  imports: [ConfigModule, DatabaseModule, ObservabilityModule.forRoot({ service: 'intake-api', http: 'app', ownHealthRoutes: true })],
  controllers: [
    StoriesController,
    StoryWithdrawController,
    CleanupRulesController,
    StoryReceiptsController,
    RoutePreviewController,
    FeedsController,
    GlossaryController,
    TranslationProvidersController,
    PartnersAdminController,
    DeliveriesAdminController,
    HealthController,
    OpenApiController,
    StoryEventsConsumer,
  ],
  providers: [
    IntakeService,
    RoutePreviewService,
    StoryStatusService,
    StoryReceiptsService,
    PartnersAdminService,
    DeliveriesAdminService,
    AdminTokenGuard,
    StoryEventsHub,
    StoryWithdrawService,
    CleanupRulesService,
    PartnerAuthGuard,
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class IntakeApiModule {}
