import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
import { LoginController } from './auth/login.controller';
import { OpsAuth } from './auth/ops-auth';
import { OpsAuthGuard } from './auth/ops-auth.guard';
import { LiveChanges, LiveController } from './live/live';
import { OpsApiController } from './ops/ops-api.controller';
import { OpsService } from './ops/ops.service';
import { PagesController } from './pages/pages.controller';

@Module({
  imports: [ConfigModule, DatabaseModule, ObservabilityModule.forRoot({ service: 'ops-dashboard', http: 'app' })],
  controllers: [LoginController, OpsApiController, PagesController, LiveController],
  providers: [OpsAuth, OpsService, LiveChanges, { provide: APP_GUARD, useClass: OpsAuthGuard }],
})
export class OpsDashboardModule {}
