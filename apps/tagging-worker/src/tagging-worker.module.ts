import { Module } from '@nestjs/common';
import { ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
import { PipelineEventsModule } from '@syndication/events';
import { WorkerModule } from '@syndication/queue';
import { TagProcessor } from './tag.processor';

@Module({
  imports: [ConfigModule, DatabaseModule, ObservabilityModule.forRoot({ service: 'tagging-worker', http: 'standalone' }), WorkerModule.forHandlers([TagProcessor], [PipelineEventsModule])],
})
export class TaggingWorkerModule {}
