/** Redis transport options for @nestjs/microservices, derived from REDIS_URL. */
import { Transport, type RedisOptions } from '@nestjs/microservices';

export function redisTransportOptions(url: string): RedisOptions {
  const u = new URL(url);
  return {
    transport: Transport.REDIS,
    options: {
      host: u.hostname,
      port: Number(u.port || 6379),
      password: u.password ? decodeURIComponent(u.password) : undefined,
      db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
      // Events are best-effort notifications; do not let a Redis outage stall the caller.
      maxRetriesPerRequest: 1,
    },
  };
}
