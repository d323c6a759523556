import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@syndication/config';
import { DatabaseModule, LeaderLockModule } from '@syndication/database';
import { PipelineEventsModule } from '@syndication/events';
import { ObservabilityModule, bullmqTelemetry } from '@syndication/observability';
import { JobProducer, createRedis } from '@syndication/queue';
import { OutboxRelay } from './outbox.relay';
import { Reconciler } from './reconciler';
import { RouteDeadlines } from './route-deadlines';

@Module({
  imports: [ConfigModule, DatabaseModule, LeaderLockModule, PipelineEventsModule, ObservabilityModule.forRoot({ service: 'pipeline-relay', http: 'standalone', queues: true })],
  providers: [
    {
      provide: JobProducer,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const connection = createRedis(config.redis.url, 'queue', { commandTimeoutMs: config.redis.commandTimeoutMs, keepAliveMs: config.redis.keepAliveMs });
        // Redis outages are expected and handled by the relay's retry loop.
        connection.on('error', () => undefined);
        return new JobProducer({
          connection,
          prefix: config.redis.prefix,
          attempts: config.workers.attempts,
          backoffMs: config.workers.backoffMs,
          telemetry: bullmqTelemetry(),
        });
      },
    },
    OutboxRelay,
    Reconciler,
    RouteDeadlines,
  ],
})
export class PipelineRelayModule implements OnApplicationShutdown {
  constructor(private readonly producer: JobProducer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
  }
}
