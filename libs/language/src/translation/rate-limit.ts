/**
 * Per-provider concurrency and rate limits shared by every translation-worker process, kept in
 * Redis. BullMQ's own limiter is per queue (its per-group limiter left the open-source edition in
 * 3.0), and one translate job may call several providers (a chain, several targets), so the limit
 * sits on the provider call instead: one Lua script checks and takes, atomically,
 *  - a cool-down set from an engine's 429 Retry-After, so one process's 429 stops them all;
 *  - a concurrency semaphore (a sorted set of leases, so a crashed holder frees its slot);
 *  - token buckets for calls per second and characters per minute.
 * `LimitedProvider` wraps an adapter with it; an over-long wait becomes a retryable
 * TranslationProviderError with `retryAfterMs`, which the stage treats exactly like an engine's 429.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LanguageCode } from '@syndication/contracts';
import {
  TranslationProviderError,
  batchByLimits,
  type ProviderLimits,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationResponse,
} from './provider';

export interface ProviderRateLimits {
  concurrency?: number;
  requestsPerSecond?: number;
  charsPerMinute?: number;
}

export type Admission = { ok: true; release: () => Promise<void> } | { ok: false; waitMs: number };

/** What LimitedProvider needs; RedisProviderLimiter is the real one. */
export interface ProviderGate {
  /** Takes a slot for one call of `chars` characters, waiting in-process up to `maxWaitMs`. */
  acquire(provider: string, chars: number, maxWaitMs: number): Promise<Admission>;
  /** No call to the provider starts for `ms` (an engine's Retry-After, shared by every process). */
  block(provider: string, ms: number): Promise<void>;
}

// Returns 0 (taken), -1 (every concurrency slot busy) or the milliseconds to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cool = redis.call('PTTL', KEYS[3])
if cool > 0 then return cool end
local conc = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
if conc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= conc then return -1 end
end
local rps = tonumber(ARGV[4])
local cpm = tonumber(ARGV[5])
local cost = math.min(tonumber(ARGV[6]), cpm)
local h = redis.call('HMGET', KEYS[2], 'r', 'c', 'ts')
local elapsed = math.max(0, now - (tonumber(h[3]) or now))
local r = 0
local c = 0
local wait = 0
if rps > 0 then
  r = math.min(rps, (tonumber(h[1]) or rps) + elapsed * rps / 1000)
  if r < 1 then wait = math.max(wait, math.ceil((1 - r) * 1000 / rps)) end
end
if cpm > 0 then
  c = math.min(cpm, (tonumber(h[2]) or cpm) + elapsed * cpm / 60000)
  if c < cost then wait = math.max(wait, math.ceil((cost - c) * 60000 / cpm)) end
end
if wait > 0 then return wait end
if rps > 0 or cpm > 0 then
  if rps > 0 then r = r - 1 end
  if cpm > 0 then c = c - cost end
  redis.call('HSET', KEYS[2], 'r', tostring(r), 'c', tostring(c), 'ts', now)
  redis.call('PEXPIRE', KEYS[2], 120000)
end
if conc > 0 then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
end
return 0
`;

const BUSY_POLL_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RedisProviderLimiter implements ProviderGate {
  constructor(
    private readonly redis: Redis,
    /** Key prefix, e.g. the installation's QUEUE_PREFIX. */
    private readonly prefix: string,
    private readonly limits: Readonly<Record<string, ProviderRateLimits | undefined>>,
    /** How long a slot is held at most (longer than any provider call may take). */
    private readonly leaseMs = 150_000,
  ) {}

  private keys(provider: string): string[] {
    const base = `${this.prefix}:translation-limit:${provider}`;
    return [`${base}:inflight`, `${base}:bucket`, `${base}:cooldown`];
  }

  async acquire(provider: string, chars: number, maxWaitMs: number): Promise<Admission> {
    const l = this.limits[provider] ?? {};
    const token = randomUUID();
    const keys = this.keys(provider);
    const started = Date.now();
    for (;;) {
      const result = Number(
        await this.redis.eval(
          ACQUIRE,
          3,
          ...keys,
          token,
          String(l.concurrency ?? 0),
          String(this.leaseMs),
          String(l.requestsPerSecond ?? 0),
          String(l.charsPerMinute ?? 0),
          String(Math.max(0, chars)),
        ),
      );
      if (result === 0) {
        return { ok: true, release: async () => void (l.concurrency ? await this.redis.zrem(keys[0]!, token) : undefined) };
      }
      const waited = Date.now() - started;
      // A busy semaphore has no known end: poll it; a bucket or cool-down says how long.
      const wait = result < 0 ? BUSY_POLL_MS : result;
      if (waited + wait > maxWaitMs) return { ok: false, waitMs: Math.max(wait, result < 0 ? 1_000 : 0) };
      await sleep(wait);
    }
  }

  async block(provider: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    const key = this.keys(provider)[2]!;
    // Never shortens a longer cool-down another process set.
    const current = await this.redis.pttl(key);
    if (current < ms) await this.redis.set(key, '1', 'PX', Math.ceil(ms));
  }
}

/** A provider that can translate into several targets in one call (Azure). */
export interface MultiTargetProvider extends TranslationProvider {
  translateMany(source: LanguageCode, targets: readonly LanguageCode[], segments: readonly string[]): Promise<Record<string, TranslationResponse>>;
}

export function isMultiTarget(p: TranslationProvider): p is MultiTargetProvider {
  return p.limits.multiTarget && typeof (p as Partial<MultiTargetProvider>).translateMany === 'function';
}

/**
 * An adapter behind the gate: each engine call (one batch within the engine's limits) takes a
 * slot first, and a 429 with Retry-After closes the gate for every process until it passes.
 */
export class LimitedProvider implements MultiTargetProvider {
  readonly name: string;
  readonly limits: ProviderLimits;

  constructor(
    private readonly inner: TranslationProvider,
    private readonly gate: ProviderGate,
    /** In-process wait for a slot before the call counts as rate-limited. */
    private readonly maxWaitMs: number,
  ) {
    this.name = inner.name;
    this.limits = inner.limits;
  }

  get unwrapped(): TranslationProvider {
    return this.inner;
  }

  supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    return this.inner.supports(source, target);
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const out: string[] = [];
    let unknown = 0;
    let weight = 0;
    for (const batch of batchByLimits(req.segments, this.limits)) {
      const segments = batch.map((i) => req.segments[i] ?? '');
      const chars = segments.reduce((n, s) => n + s.length, 0);
      const res = await this.gated(chars, () => this.inner.translate({ ...req, segments }));
      out.push(...res.segments);
      if (res.unknownWordRatio !== undefined) {
        unknown += res.unknownWordRatio * chars;
        weight += chars;
      }
    }
    return weight > 0 ? { segments: out, unknownWordRatio: unknown / weight } : { segments: out };
  }

  async translateMany(source: LanguageCode, targets: readonly LanguageCode[], segments: readonly string[]): Promise<Record<string, TranslationResponse>> {
    const inner = this.inner;
    if (!isMultiTarget(inner)) throw new Error(`${this.name} cannot translate into several targets in one call`);
    const out: Record<string, string[]> = Object.fromEntries(targets.map((t) => [t, []]));
    const perCall = { maxSegments: this.limits.maxSegments, maxCharsPerCall: Math.floor(this.limits.maxCharsPerCall / Math.max(1, targets.length)) };
    for (const batch of batchByLimits(segments, perCall)) {
      const texts = batch.map((i) => segments[i] ?? '');
      // Engines bill every target: the characters count once per target.
      const chars = texts.reduce((n, s) => n + s.length, 0) * targets.length;
      const res = await this.gated(chars, () => inner.translateMany(source, targets, texts));
      for (const t of targets) out[t]!.push(...(res[t]?.segments ?? []));
    }
    return Object.fromEntries(Object.entries(out).map(([t, s]) => [t, { segments: s }]));
  }

  private async gated<T>(chars: number, call: () => Promise<T>): Promise<T> {
    const admission = await this.gate.acquire(this.name, chars, this.maxWaitMs);
    if (!admission.ok) {
      throw new TranslationProviderError(this.name, `rate limit: next call allowed in ${Math.ceil(admission.waitMs / 1000)} s`, {
        retryable: true,
        retryAfterMs: admission.waitMs,
      });
    }
    try {
      return await call();
    } catch (err) {
      if (err instanceof TranslationProviderError && err.retryable && err.retryAfterMs) await this.gate.block(this.name, err.retryAfterMs);
      throw err;
    } finally {
      await admission.release();
    }
  }
}
