/**
 * Liveness and readiness. Intake is ready while Postgres answers: a Redis outage only degrades it
 * (the outbox keeps accepted work), so readiness reports it without failing.
 *
 * On SIGTERM readiness answers 503 first (beforeApplicationShutdown, for SHUTDOWN_READY_DELAY_MS,
 * so a load balancer stops sending new requests), and only then does Nest close the HTTP server,
 * which lets in-flight requests finish before the database pool closes.
 */
import { type BeforeApplicationShutdown, Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import IORedis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@syndication/config';

@Controller('health')
export class HealthController implements BeforeApplicationShutdown {
  private draining = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  async ready() {
    if (this.draining) throw new ServiceUnavailableException({ status: 'draining' });
    const postgres = await this.db.query('SELECT 1').then(
      () => 'up',
      () => 'down',
    );
    if (postgres !== 'up') throw new ServiceUnavailableException({ status: 'down', postgres });
    const redis = await this.pingRedis();
    return { status: redis === 'up' ? 'ok' : 'degraded', postgres, redis };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const delay = this.config.shutdown.readyDelayMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  }

  private async pingRedis(): Promise<'up' | 'down'> {
    const client = new IORedis(this.config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, enableOfflineQueue: false });
    try {
      await client.connect();
      await client.ping();
      return 'up';
    } catch {
      return 'down';
    } finally {
      client.disconnect();
    }
  }
}
