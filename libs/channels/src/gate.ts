/**
 * Per-channel isolation shared by every publisher process, in Redis: a concurrency semaphore (a
 * sorted set of leases, so a crashed holder frees its slot when its lease runs out) and a
 * consecutive-failure counter for the circuit breaker. BullMQ's open-source edition has no
 * per-group limits, and one `publish` queue serves every channel: without this, an endpoint that
 * hangs for 30 s could hold every worker slot and stall every other channel. A job that finds its
 * channel's slots taken is put back (delayed, no attempt spent) before it claims its row.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Nest injection token of the ChannelGate the publisher uses. */
export const CHANNEL_GATE = 'CHANNEL_GATE';

export interface ChannelGate {
  /** A slot for one send on `channelId`, or null when the channel's slots are all in use. */
  enter(channelId: string): Promise<{ leave(): Promise<void> } | null>;
  /** Records a send's outcome; returns the consecutive failures so far (0 after a success). */
  record(channelId: string, ok: boolean): Promise<number>;
}

// KEYS[1] = the channel's lease set. ARGV: token, limit, lease ms. 1 = taken, 0 = full.
const ENTER = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
`;

export class RedisChannelGate implements ChannelGate {
  constructor(
    private readonly redis: Redis,
    /** The installation's key prefix (QUEUE_PREFIX). */
    private readonly prefix: string,
    /** Sends in flight per channel, across every process (CHANNEL_CONCURRENCY). */
    private readonly limit: number,
    /** Longer than any send may take (the publish lease), so a live send keeps its slot. */
    private readonly leaseMs: number,
  ) {}

  async enter(channelId: string): Promise<{ leave(): Promise<void> } | null> {
    const key = `${this.prefix}:channel-slots:${channelId}`;
    const token = randomUUID();
    const taken = Number(await this.redis.eval(ENTER, 1, key, token, String(this.limit), String(this.leaseMs)));
    if (taken !== 1) return null;
    return { leave: async () => void (await this.redis.zrem(key, token)) };
  }

  async record(channelId: string, ok: boolean): Promise<number> {
    const key = `${this.prefix}:channel-failures:${channelId}`;
    if (ok) {
      await this.redis.del(key);
      return 0;
    }
    const n = await this.redis.incr(key);
    // A channel that fails once a day is not "consecutively" failing.
    await this.redis.pexpire(key, 3_600_000);
    return n;
  }
}

/** No limits: for tests that exercise other parts and single-process tools. */
export const OPEN_GATE: ChannelGate = {
  enter: async () => ({ leave: async () => undefined }),
  record: async () => 0,
};
