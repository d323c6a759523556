/**
 * Emits pipeline events (stage done / failed) on the Redis transport after each stage commits.
 * Emission is fire-and-forget: Postgres already holds the state, and a live view that misses an
 * event catches up from the timeline.
 */
import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientsModule } from '@nestjs/microservices';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { PIPELINE_EVENT_PATTERN, type PipelineEvent } from '@syndication/contracts';
import { deliveries, pipelineEvents } from '@syndication/observability';
import { redisTransportOptions } from './redis-transport';

export const PIPELINE_EVENTS_CLIENT = 'PIPELINE_EVENTS_CLIENT';

@Injectable()
export class PipelineEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(PipelineEvents.name);

  constructor(
    @Inject(PIPELINE_EVENTS_CLIENT) private readonly client: ClientProxy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  emit(event: Omit<PipelineEvent, 'at' | 'installation'>): void {
    const full: PipelineEvent = { ...event, installation: this.config.redis.prefix, at: new Date().toISOString() };
    pipelineEvents.inc({ stage: event.stage, status: event.status });
    const channel = event.detail?.['channel'];
    if (event.stage === 'publish' && typeof channel === 'string') deliveries.inc({ channel, outcome: event.status });
    this.client.emit(PIPELINE_EVENT_PATTERN, full).subscribe({
      error: (err: Error) => this.logger.warn(`pipeline event not emitted: ${err.message}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // A client that never reached Redis (or lost it) cannot QUIT; shutdown goes on regardless.
    await this.client.close().catch((err: Error) => this.logger.warn(`pipeline events client: ${err.message}`));
  }
}

@Module({
  imports: [
    ClientsModule.registerAsync([
      {
        name: PIPELINE_EVENTS_CLIENT,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig) => redisTransportOptions(config.redis.url),
      },
    ]),
  ],
  providers: [PipelineEvents],
  exports: [PipelineEvents],
})
export class PipelineEventsModule {}
