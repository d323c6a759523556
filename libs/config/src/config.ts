/**
 * Environment, validated once at boot into a typed, frozen object split by concern
 * (STYLE.md #5). Every variable the system reads is declared here and documented in the README;
 * nothing else in the code reads process.env.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/syndication'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Redis key prefix for every BullMQ queue, so several installations (or the bench) share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('syn'),
  INTAKE_HOST: z.string().default('127.0.0.1'),
  INTAKE_PORT: port.default(3000),
  FEED_HOST: z.string().default('127.0.0.1'),
  FEED_PORT: port.default(3001),
  /** Base URL partners see in status links; defaults to the intake's own address. */
  PUBLIC_INTAKE_URL: z.string().url().optional(),
  PUBLIC_FEED_URL: z.string().url().optional(),
  /** Apertium APy base URL; empty means no offline translation provider is configured. */
  APERTIUM_URL: z.string().url().optional(),
  TRANSLATE_CONCURRENCY: positiveInt.default(4),
  TAG_CONCURRENCY: positiveInt.default(8),
  PUBLISH_CONCURRENCY: positiveInt.default(20),
  JOB_ATTEMPTS: positiveInt.default(8),
  JOB_BACKOFF_MS: positiveInt.default(1000),
  /** How often the outbox relay looks for new rows when idle. */
  RELAY_POLL_MS: positiveInt.default(100),
  RELAY_BATCH_SIZE: positiveInt.default(500),
  /** Work left unfinished in Postgres longer than this is re-enqueued by the reconciler. */
  RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  RECONCILE_STALE_AFTER_MS: positiveInt.default(60_000),
  SHUTDOWN_DEADLINE_MS: positiveInt.default(25_000),
  WEBHOOK_TIMEOUT_MS: positiveInt.max(30_000).default(30_000),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export type Env = z.infer<typeof schema>;

export interface AppConfig {
  database: { url: string; poolSize: number };
  redis: { url: string; prefix: string };
  intake: { host: string; port: number; publicUrl: string; maxBodyBytes: number };
  feeds: { host: string; port: number; publicUrl: string };
  translation: { apertiumUrl?: string };
  workers: {
    concurrency: { translate: number; tag: number; publish: number };
    attempts: number;
    backoffMs: number;
    shutdownDeadlineMs: number;
  };
  relay: { pollMs: number; batchSize: number; reconcileIntervalMs: number; staleAfterMs: number };
  channels: { webhookTimeoutMs: number };
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {}

/** Parse an environment (defaults to process.env). Throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings mean "unset", as in most twelve-factor tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const intakeUrl = e.PUBLIC_INTAKE_URL ?? `http://${e.INTAKE_HOST}:${e.INTAKE_PORT}`;
  const feedUrl = e.PUBLIC_FEED_URL ?? `http://${e.FEED_HOST}:${e.FEED_PORT}`;
  return Object.freeze({
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    redis: { url: e.REDIS_URL, prefix: e.QUEUE_PREFIX },
    intake: { host: e.INTAKE_HOST, port: e.INTAKE_PORT, publicUrl: intakeUrl.replace(/\/$/, ''), maxBodyBytes: e.MAX_BODY_BYTES },
    feeds: { host: e.FEED_HOST, port: e.FEED_PORT, publicUrl: feedUrl.replace(/\/$/, '') },
    translation: { apertiumUrl: e.APERTIUM_URL },
    workers: {
      concurrency: { translate: e.TRANSLATE_CONCURRENCY, tag: e.TAG_CONCURRENCY, publish: e.PUBLISH_CONCURRENCY },
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS,
    },
    relay: {
      pollMs: e.RELAY_POLL_MS,
      batchSize: e.RELAY_BATCH_SIZE,
      reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
      staleAfterMs: e.RECONCILE_STALE_AFTER_MS,
    },
    channels: { webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS },
    logLevel: e.LOG_LEVEL,
  });
}

/** Nest injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Nest logger levels at and above the configured one. */
export function nestLogLevels(level: Env['LOG_LEVEL']): Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
