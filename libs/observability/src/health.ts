/**
 * Readiness checks shared by every process, as @nestjs/terminus indicators: Postgres answers a
 * query, Redis answers PING, and (where the process can see the queues) the oldest waiting job is
 * younger than the lag limit. Each check is bounded in time so a hung dependency makes the probe
 * answer "down" quickly instead of hanging the probe.
 */
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';

export interface QueueLagSource {
  /** Seconds the oldest waiting job has waited, per queue. */
  oldestWaitingSeconds(): Promise<Record<string, number>>;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]);
}

@Injectable()
export class ReadinessIndicators {
  constructor(private readonly health: HealthIndicatorService) {}

  async postgres(db: DataSource, timeoutMs = 1_000): Promise<HealthIndicatorResult> {
    const check = this.health.check('postgres');
    try {
      await within(db.query('SELECT 1'), timeoutMs, 'postgres');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  async redis(url: string, timeoutMs = 1_000): Promise<HealthIndicatorResult> {
    const check = this.health.check('redis');
    const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false });
    client.on('error', () => undefined);
    try {
      await within(client.connect().then(() => client.ping()), timeoutMs, 'redis');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    } finally {
      client.disconnect();
    }
  }

  async queueLag(source: QueueLagSource, maxSeconds: number, timeoutMs = 1_000): Promise<HealthIndicatorResult> {
    const check = this.health.check('queues');
    try {
      const lag = await within(source.oldestWaitingSeconds(), timeoutMs, 'queue lag');
      const worst = Math.max(0, ...Object.values(lag));
      return worst <= maxSeconds ? check.up({ oldestWaitingSeconds: lag }) : check.down({ oldestWaitingSeconds: lag, limitSeconds: maxSeconds });
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }
}
