/**
 * Shared quiet time for an upstream that rate-limits a credential rather than a channel: a
 * Telegram 429 applies to the whole bot, whichever chat (channel row) or worker process hit it.
 * The Redis store makes one process's 429 stop every process; the memory store is for unit tests
 * and single-process tools.
 */
import type { Redis } from 'ioredis';

export interface CooldownStore {
  /** Milliseconds of quiet time left for `key`; 0 when calls may go. */
  left(key: string): Promise<number>;
  /** No call for `key` for `ms` (never shortens a longer quiet time already set). */
  hold(key: string, ms: number): Promise<void>;
}

export class MemoryCooldownStore implements CooldownStore {
  private readonly until = new Map<string, number>();

  async left(key: string): Promise<number> {
    return Math.max(0, (this.until.get(key) ?? 0) - Date.now());
  }

  async hold(key: string, ms: number): Promise<void> {
    this.until.set(key, Math.max(this.until.get(key) ?? 0, Date.now() + ms));
  }
}

export class RedisCooldownStore implements CooldownStore {
  constructor(
    private readonly redis: Redis,
    /** The installation's key prefix (QUEUE_PREFIX). */
    private readonly prefix: string,
  ) {}

  async left(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${this.prefix}:cooldown:${key}`));
  }

  async hold(key: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    const full = `${this.prefix}:cooldown:${key}`;
    if ((await this.redis.pttl(full)) < ms) await this.redis.set(full, '1', 'PX', Math.ceil(ms));
  }
}
