/** ioredis connections for BullMQ. Workers need `maxRetriesPerRequest: null` so blocking calls survive Redis restarts. */
import IORedis, { type Redis } from 'ioredis';

export function createRedis(url: string, purpose: 'queue' | 'worker'): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 3,
    enableReadyCheck: true,
    // Producers (the relay) should fail fast while Redis is away: the outbox keeps the work.
    enableOfflineQueue: purpose === 'worker',
    lazyConnect: false,
  });
}
