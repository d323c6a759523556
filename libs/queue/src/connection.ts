/**
 * ioredis connections for BullMQ. Workers need `maxRetriesPerRequest: null` so blocking calls
 * survive Redis restarts. Producers (relay, reconciler, scheduler sync) fail fast instead: no
 * offline queue, and a command timeout, because a half-open Redis (host gone, socket still open)
 * otherwise hangs a command forever, and the relay would hold its outbox row locks meanwhile.
 */
import IORedis, { type Redis } from 'ioredis';

export interface RedisTuning {
  /** Producer connections only (a worker's blocking fetch legitimately waits). Default 5 s. */
  commandTimeoutMs?: number;
  /** TCP keepalive initial delay, so a vanished peer is noticed on an idle connection. Default 10 s. */
  keepAliveMs?: number;
}

export function createRedis(url: string, purpose: 'queue' | 'worker', tuning: RedisTuning = {}): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 3,
    enableReadyCheck: true,
    // Producers (the relay) should fail fast while Redis is away: the outbox keeps the work.
    enableOfflineQueue: purpose === 'worker',
    lazyConnect: false,
    keepAlive: tuning.keepAliveMs ?? 10_000,
    ...(purpose === 'queue' ? { commandTimeout: tuning.commandTimeoutMs ?? 5_000 } : {}),
  });
}
