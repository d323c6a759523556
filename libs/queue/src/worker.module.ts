/**
 * Nest wiring for worker processes: `WorkerModule.forHandlers([...])` starts one BullMQ Worker per
 * handler once the app has booted and drains them on shutdown. Only worker apps import it; the
 * intake API never starts a Worker (STYLE.md #4).
 *
 * The drain runs in `beforeApplicationShutdown`, which Nest calls before any `onApplicationShutdown`:
 * the workers stop fetching and finish their active jobs while the database pool and the event
 * client are still open (closing them first made an in-flight job fail its ledger write after a
 * successful send, and the row was sent again).
 */
import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import type { JobName } from '@syndication/contracts';
import { bullmqTelemetry } from '@syndication/observability';
import { createRedis } from './connection';
import { StageWorkers, type StageHandler } from './stage-worker';

export const STAGE_HANDLERS = Symbol('STAGE_HANDLERS');

@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private connection?: Redis;
  private workers?: StageWorkers;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STAGE_HANDLERS) private readonly handlers: StageHandler<JobName>[],
  ) {}

  onApplicationBootstrap(): void {
    this.connection = createRedis(this.config.redis.url, 'worker', { keepAliveMs: this.config.redis.keepAliveMs });
    this.connection.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    this.workers = new StageWorkers({
      connection: this.connection,
      prefix: this.config.redis.prefix,
      shutdownDeadlineMs: this.config.workers.shutdownDeadlineMs,
      outageBackoffMs: this.config.workers.outageBackoffMs,
      logger: this.logger,
      telemetry: bullmqTelemetry(),
    });
    for (const h of this.handlers) this.workers.start(h);
    this.logger.log(`processing ${this.workers.handledJobs().join(', ')}`);
  }

  /** Job names this process consumes (empty before bootstrap). */
  handledJobs(): JobName[] {
    return this.workers?.handledJobs() ?? [];
  }

  /** Stop fetching, finish active jobs (up to SHUTDOWN_DEADLINE_MS), then force-close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.workers?.close();
  }

  onApplicationShutdown(): void {
    this.connection?.disconnect();
  }
}

@Module({})
export class WorkerModule {
  /** `imports` are the modules the handlers depend on (their providers become injectable here). */
  static forHandlers(handlers: Type<StageHandler<JobName>>[], imports: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: WorkerModule,
      imports,
      providers: [
        ...handlers,
        { provide: STAGE_HANDLERS, useFactory: (...hs: StageHandler<JobName>[]) => hs, inject: handlers },
        WorkerRunner,
      ],
    };
  }
}
