/**
 * The Redis transport for pipeline events (@nestjs/microservices), derived from REDIS_URL.
 *
 * Nest's Redis transport gives up for good after a connection loss unless `retryAttempts` is set
 * (its retry strategy replaces ioredis's own), and its server rejects `listen` when Redis is down
 * at boot, which killed the intake. Events are best-effort notifications (Postgres holds the state),
 * so a Redis outage must neither stop the intake from starting nor end the live stream for good:
 * both sides retry forever at a fixed delay, and the server subscribes once Redis first answers
 * (ioredis re-subscribes by itself after every later reconnect).
 */
import { Logger } from '@nestjs/common';
import { ServerRedis, Transport, type CustomStrategy, type RedisOptions } from '@nestjs/microservices';

/** Delay between reconnection attempts, for as long as Redis stays away. */
const RECONNECT_DELAY_MS = 1_000;

type RedisConnectionOptions = Required<RedisOptions>['options'];

function connectionOptions(url: string): RedisConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    // Never give up reconnecting (Nest's strategy stops after retryAttempts).
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryDelay: RECONNECT_DELAY_MS,
    keepAlive: 10_000,
  };
}

/** Client side (emitters: relay and workers): a publish while Redis is away fails at once and is only logged. */
export function redisTransportOptions(url: string): RedisOptions {
  return {
    transport: Transport.REDIS,
    options: {
      ...connectionOptions(url),
      // Events are best-effort notifications; do not let a Redis outage stall the caller.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    },
  };
}

/**
 * The consuming server (the intake). `start` does not wait for Redis: it returns at once, and the
 * event subscriptions are made when the subscriber connection is first ready.
 */
export class ResilientRedisServer extends ServerRedis {
  private readonly log = new Logger('PipelineEventsTransport');
  private lastErrorLog = 0;

  override start(callback?: () => void): void {
    const sub = this.subClient as { on(e: string, f: () => void): void; connect(): Promise<void> };
    const pub = this.pubClient as { connect(): Promise<void> };
    let bound = false;
    sub.on('ready', () => {
      if (bound) return;
      bound = true;
      this.bindEvents(this.subClient, this.pubClient);
    });
    const report = (err: unknown) => this.log.warn(`Redis not reachable yet, pipeline events start when it is: ${(err as Error).message}`);
    sub.connect().catch(report);
    pub.connect().catch(() => undefined);
    callback?.();
  }

  /** One line per 30 s while Redis is away, not one per reconnection attempt. */
  override registerErrorListener(client: { on(e: string, f: (err: Error) => void): void }): void {
    client.on('error', (err: Error) => {
      if (Date.now() - this.lastErrorLog < 30_000) return;
      this.lastErrorLog = Date.now();
      this.log.warn(`redis: ${err.message}`);
    });
  }
}

export function resilientRedisServer(url: string): CustomStrategy {
  return { strategy: new ResilientRedisServer(connectionOptions(url)) };
}
