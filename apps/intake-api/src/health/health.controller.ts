/**
 * Liveness and readiness. Intake is ready while Postgres answers: a Redis outage only degrades it
 * (the outbox keeps accepted work), so readiness reports it without failing.
 */
import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import IORedis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@syndication/config';

@Controller('health')
export class HealthController {
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
    const postgres = await this.db.query('SELECT 1').then(
      () => 'up',
      () => 'down',
    );
    if (postgres !== 'up') throw new ServiceUnavailableException({ status: 'down', postgres });
    const redis = await this.pingRedis();
    return { status: redis === 'up' ? 'ok' : 'degraded', postgres, redis };
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
