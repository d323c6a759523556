/**
 * Environment, validated once at boot into a typed, frozen object split by concern
 * (STYLE.md #5). Every variable the system reads is declared here and documented in the README;
 * nothing else in the code reads process.env.
 */
import { z } from 'zod';
import { DEFAULT_TOPIC_ROUTING_THRESHOLD } from '@syndication/contracts';
import { type OutboundPolicy, OutboundPolicyError, outboundPolicy } from '@syndication/net';

/** Public on purpose: `npm start` and the tests use it; production sets SECRETS_KEY (README). */
export const DEV_SECRETS_KEY = 'c3luZGljYXRpb24tZGV2LXNlY3JldHMta2V5LTMyYiE=';

/** What a drain adds to the longest send (WEBHOOK_TIMEOUT_MS) to record its outcome. */
const SHUTDOWN_MARGIN_MS = 5_000;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const secretsKey = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes');

const schema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/syndication'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  /** Longest wait for a pooled connection (a new one includes TCP connect + startup). */
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(1_000),
  /** Server-side statement_timeout; 0 turns it off. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  /** Client-side limit on one query against a server that stopped answering; default: statement timeout + 1 s. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  /** TCP keepalive initial delay on database connections; 0 turns keepalive off. */
  DATABASE_KEEPALIVE_MS: z.coerce.number().int().min(0).default(10_000),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Producer connections (relay, reconciler, scheduler sync): a command unanswered this long fails. */
  REDIS_COMMAND_TIMEOUT_MS: positiveInt.default(5_000),
  /** TCP keepalive initial delay on every Redis connection. */
  REDIS_KEEPALIVE_MS: positiveInt.default(10_000),
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
  /**
   * Translation providers in preference order (comma-separated). Default: every configured one,
   * hosted engines first, Apertium last as the offline fallback.
   */
  TRANSLATION_PROVIDERS: z
    .string()
    .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['deepl', 'azure', 'google', 'libretranslate', 'openai', 'apertium'])).min(1))
    .optional(),
  /** DeepL auth key; DEEPL_URL overrides the endpoint (self-hosted proxy, api-free, a fake). */
  DEEPL_API_KEY: z.string().optional(),
  DEEPL_URL: z.string().url().optional(),
  LIBRETRANSLATE_URL: z.string().url().optional(),
  LIBRETRANSLATE_API_KEY: z.string().optional(),
  GOOGLE_TRANSLATE_URL: z.string().url().optional(),
  GOOGLE_TRANSLATE_PROJECT: z.string().optional(),
  GOOGLE_TRANSLATE_LOCATION: z.string().default('global'),
  /** An OAuth access token (minted outside the platform, e.g. by a token broker). */
  GOOGLE_TRANSLATE_TOKEN: z.string().optional(),
  /**
   * A token endpoint speaking the GCE metadata server protocol (`Metadata-Flavor: Google`, answers
   * `{access_token, expires_in}`): tokens are fetched, cached until shortly before expiry and
   * refreshed on a 401. E.g. http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token
   */
  GOOGLE_TRANSLATE_TOKEN_URL: z.string().url().optional(),
  AZURE_TRANSLATOR_URL: z.string().url().optional(),
  AZURE_TRANSLATOR_KEY: z.string().optional(),
  AZURE_TRANSLATOR_REGION: z.string().optional(),
  /** Any OpenAI-compatible API base including its version prefix, e.g. https://api.openai.com/v1 */
  OPENAI_TRANSLATE_URL: z.string().url().optional(),
  OPENAI_TRANSLATE_KEY: z.string().optional(),
  OPENAI_TRANSLATE_MODEL: z.string().optional(),
  /** How long a provider whose quota is spent is left out of every chain. */
  TRANSLATION_QUOTA_PAUSE_MS: positiveInt.default(3_600_000),
  /** Above this share of unknown words a translation counts as failed when a fallback exists. */
  TRANSLATION_MAX_UNKNOWN_RATIO: z.coerce.number().min(0).max(1).default(0.6),
  /**
   * External tagger: any OpenAI-compatible API base including its version prefix. Off unless both
   * the URL and the model are set; its tags are merged with the offline ones.
   */
  TAGGER_LLM_URL: z.string().url().optional(),
  TAGGER_LLM_KEY: z.string().optional(),
  TAGGER_LLM_MODEL: z.string().optional(),
  /** Budget of one external tagging call, retries included; past it the offline tags stand alone. */
  TAGGER_LLM_TIMEOUT_MS: positiveInt.max(120_000).default(15_000),
  /** Relevance a topic tag needs before routes match it (the curve of `eval topics` chose the default). */
  TOPIC_ROUTING_THRESHOLD: z.coerce.number().min(0).max(1).default(DEFAULT_TOPIC_ROUTING_THRESHOLD),
  /**
   * Per-provider limits shared by every worker process (Redis), e.g.
   * `deepl:concurrency=2,rps=5,cpm=500000,wait=10;apertium:concurrency=2`.
   */
  TRANSLATION_LIMITS: z.string().optional(),
  /** A rate-limit wait (429 Retry-After or our own limiter) longer than this falls through to the next provider, when there is one. */
  TRANSLATION_MAX_WAIT_SECONDS: z.coerce.number().min(0).default(10),
  /** Default wait of routes with translation_policy 'wait' and no translation_wait_seconds of their own. */
  TRANSLATION_WAIT_SECONDS: z.coerce.number().int().min(0).default(300),
  /** How often the relay releases routes whose translation wait has run out. */
  ROUTE_DEADLINE_POLL_MS: positiveInt.default(1000),
  TRANSLATE_CONCURRENCY: positiveInt.default(4),
  TAG_CONCURRENCY: positiveInt.default(8),
  PUBLISH_CONCURRENCY: positiveInt.default(20),
  /** Sends in flight per channel across every publisher process: a hanging endpoint holds at most this many slots. */
  CHANNEL_CONCURRENCY: positiveInt.default(4),
  /** Consecutive failed sends that open a channel's circuit, and for how long it stays open. */
  CHANNEL_CIRCUIT_FAILURES: positiveInt.default(10),
  CHANNEL_CIRCUIT_OPEN_MS: positiveInt.default(60_000),
  /** Multiplies the per-kind retry schedules (webhooks: ~3 days); tests shrink them. */
  CHANNEL_RETRY_SCALE: z.coerce.number().positive().max(1).default(1),
  JOB_ATTEMPTS: positiveInt.default(8),
  JOB_BACKOFF_MS: positiveInt.default(1000),
  /** How often the outbox relay looks for new rows when idle. */
  RELAY_POLL_MS: positiveInt.default(100),
  RELAY_BATCH_SIZE: positiveInt.default(500),
  /** Work left unfinished in Postgres longer than this is re-enqueued by the reconciler. */
  RECONCILE_INTERVAL_MS: positiveInt.default(30_000),
  RECONCILE_STALE_AFTER_MS: positiveInt.default(60_000),
  /** The relay gives up one batch's enqueue (and rolls back, releasing the rows) after this long. */
  RELAY_ENQUEUE_TIMEOUT_MS: positiveInt.default(10_000),
  /** Drain budget on SIGTERM; raised to WEBHOOK_TIMEOUT_MS + 5 s when shorter, so an in-flight send can finish. */
  SHUTDOWN_DEADLINE_MS: positiveInt.default(35_000),
  /** How long the intake answers /health/ready 503 before it stops accepting connections on SIGTERM. */
  SHUTDOWN_READY_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** A worker that cannot reach Postgres or Redis pauses its queue this long instead of spending an attempt. */
  WORKER_OUTAGE_BACKOFF_MS: positiveInt.default(5_000),
  WEBHOOK_TIMEOUT_MS: positiveInt.max(30_000).default(30_000),
  /** Added to a channel's own send timeout to make the publisher's claim lease on its rows. */
  PUBLISH_LEASE_MARGIN_MS: positiveInt.default(15_000),
  /**
   * TEST ONLY (fault harness): the publisher SIGKILLs itself at this point of a delivery. With
   * FAULT_POINT_ONCE_FILE it fires once per run: it creates the file when firing, skips if it exists.
   */
  FAULT_POINT: z.enum(['after_claim', 'after_send', 'before_ledger_commit']).optional(),
  FAULT_POINT_ONCE_FILE: z.string().optional(),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  /** Parse + clean-up + language detection time a pushed document may use before it is refused. */
  INTAKE_PARSE_BUDGET_MS: positiveInt.default(2_000),
  /** Requests per second per partner at each intake process (token bucket); 0 turns the limit off. */
  PARTNER_RATE_LIMIT_RPS: z.coerce.number().min(0).default(50),
  /** Bucket size: how many requests a partner may send at once before the rate applies. */
  PARTNER_RATE_LIMIT_BURST: positiveInt.default(200),
  /** SSRF guard for outbound requests (polled feeds, webhooks): both default to refusing non-public addresses. */
  OUTBOUND_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  OUTBOUND_ALLOWLIST: z
    .string()
    .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .default([]),
  /** Smallest polling interval a partner may register (seconds). */
  FEED_MIN_INTERVAL_SECONDS: positiveInt.max(86_400).default(60),
  FEED_FETCH_TIMEOUT_MS: positiveInt.max(120_000).default(20_000),
  /** How often the poller reconciles its BullMQ job schedulers with the polled_feed rows. */
  FEED_SYNC_INTERVAL_MS: positiveInt.default(10_000),
  FEED_POLL_CONCURRENCY: positiveInt.default(4),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** `json`: one JSON object per line with service, request/story/job ids and trace ids; `pretty`: Nest's text logger. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** Where processes without HTTP of their own (workers, relay, poller) serve /metrics and /health/*; port 0 picks a free one. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: port.default(0),
  /** The relay reports not-ready while the oldest waiting job of any queue is older than this. */
  QUEUE_LAG_READY_SECONDS: positiveInt.default(300),
  /** OpenTelemetry trace export (standard variable names): none, console, or otlp to OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_TRACES_EXPORTER: z.enum(['none', 'console', 'otlp']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** How far a signed request's timestamp may be from the server's clock, either way. */
  SIGNATURE_WINDOW_SECONDS: positiveInt.max(3600).default(300),
  /**
   * AES-256-GCM key for secrets the server must be able to read back (HMAC signing secrets):
   * base64 of exactly 32 bytes. Unset, the public development key is used, except under
   * NODE_ENV=production, where it must be set.
   */
  SECRETS_KEY: secretsKey.optional(),
  /**
   * Keys SECRETS_KEY replaced, comma-separated, newest first: sealed values still open under them
   * while new seals always use SECRETS_KEY (rotation without re-issuing every partner secret).
   */
  SECRETS_KEY_PREVIOUS: z
    .string()
    .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(secretsKey).max(8))
    .default([]),
  /** `production` makes a missing SECRETS_KEY (or the public development one) a boot error. */
  NODE_ENV: z.string().optional(),
  /** Refused credentials per client address and key id per minute before 429 (checked before any key lookup); 0 turns it off. */
  AUTH_FAILURE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** Bearer token for the operators' /v1/admin API; unset disables that API. */
  ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  /** Ops dashboard listen address and the base URL printed and used in links. */
  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  DASHBOARD_PORT: port.default(3002),
  PUBLIC_DASHBOARD_URL: z.string().url().optional(),
  /** Bearer token for automation against the ops API (acts as an operator); unset: sessions only. */
  OPS_API_TOKEN: z.string().min(24, 'must be at least 24 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  /** How long a dashboard login lasts. */
  OPS_SESSION_HOURS: z.coerce.number().positive().max(720).default(12),
  /** Mark the session cookie Secure (set when the dashboard is served over HTTPS). */
  OPS_COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  /** Failed logins allowed per client address and per user name within the window, then 429. */
  OPS_LOGIN_MAX_FAILURES: positiveInt.default(10),
  OPS_LOGIN_WINDOW_SECONDS: positiveInt.default(900),
});

export type Env = z.infer<typeof schema>;

/** Named places in a delivery where the fault harness may SIGKILL the publisher. */
export type FaultPoint = NonNullable<Env['FAULT_POINT']>;

export interface AppConfig {
  database: { url: string; poolSize: number; timeouts: { connectMs: number; statementMs: number; queryMs: number; keepAliveMs: number } };
  redis: { url: string; prefix: string; commandTimeoutMs: number; keepAliveMs: number };
  intake: { host: string; port: number; publicUrl: string; maxBodyBytes: number; parseBudgetMs: number; partnerRateLimit: { rps: number; burst: number } };
  feeds: { host: string; port: number; publicUrl: string };
  translation: TranslationConfig;
  tagging: TaggingConfig;
  workers: {
    concurrency: { translate: number; tag: number; publish: number };
    attempts: number;
    backoffMs: number;
    shutdownDeadlineMs: number;
    outageBackoffMs: number;
  };
  /** SIGTERM: the intake's readiness answers 503 this long before HTTP stops accepting. */
  shutdown: { readyDelayMs: number };
  relay: { pollMs: number; batchSize: number; reconcileIntervalMs: number; staleAfterMs: number; routeDeadlinePollMs: number; enqueueTimeoutMs: number };
  channels: { webhookTimeoutMs: number; concurrency: number; circuitFailures: number; circuitOpenMs: number; retryScale: number };
  publisher: { leaseMarginMs: number };
  /** Test-only fault injection (FAULT_POINT); absent in every real deployment. */
  faults: { point?: FaultPoint; onceFile?: string };
  auth: AuthConfig;
  /** The SSRF policy every outbound request (feed polls, webhooks) is checked against. */
  outbound: OutboundPolicy;
  poller: { minIntervalSeconds: number; fetchTimeoutMs: number; syncIntervalMs: number; concurrency: number };
  dashboard: DashboardConfig;
  logLevel: Env['LOG_LEVEL'];
  observability: ObservabilityConfig;
}

export interface ObservabilityConfig {
  logFormat: 'json' | 'pretty';
  metricsHost: string;
  metricsPort: number;
  queueLagReadySeconds: number;
  tracesExporter: 'none' | 'console' | 'otlp';
  otlpEndpoint?: string;
}

export interface DashboardConfig {
  host: string;
  port: number;
  publicUrl: string;
  /** Absent: the ops API takes sessions only. */
  apiToken?: string;
  sessionTtlMs: number;
  cookieSecure: boolean;
  loginMaxFailures: number;
  loginWindowMs: number;
}

export interface AuthConfig {
  signatureWindowSeconds: number;
  /** 32 bytes; seals the partner secrets the server needs in clear (HMAC). */
  secretsKey: Buffer;
  /**
   * Every key a sealed value may be opened with: SECRETS_KEY first, then SECRETS_KEY_PREVIOUS in
   * order. Pass this (not `secretsKey`) to `openSecret`, so values sealed before a rotation open.
   */
  secretsKeys: readonly Buffer[];
  /** True while SECRETS_KEY is the public development default (the intake warns at boot). */
  secretsKeyIsDevDefault: boolean;
  /** Refused credentials per (client address, key id) per minute; past it 429 auth_rate_limited. 0: off. */
  failureLimitPerMinute: number;
  /** Absent: the admin API answers 403 admin_api_disabled. */
  adminToken?: string;
}


export const TRANSLATION_PROVIDER_NAMES = ['deepl', 'azure', 'google', 'libretranslate', 'openai', 'apertium'] as const;
export type TranslationProviderName = (typeof TRANSLATION_PROVIDER_NAMES)[number];

/** One provider's limits; every field optional (absent: not limited on that axis). */
export interface ProviderLimitConfig {
  /** Calls in flight at once, over every worker process. */
  concurrency?: number;
  /** Calls per second (token bucket, burst = one second's worth). */
  requestsPerSecond?: number;
  /** Characters sent per minute (token bucket, burst = one minute's worth). */
  charsPerMinute?: number;
  /** Longest rate-limit wait (seconds) before falling through to the next provider. */
  maxWaitSeconds?: number;
}

export interface TranslationConfig {
  apertiumUrl?: string;
  /** Configured providers in preference order. */
  order: TranslationProviderName[];
  deepl?: { authKey: string; url?: string };
  libretranslate?: { url: string; apiKey?: string };
  google?: { url?: string; project: string; location: string; token?: string; tokenUrl?: string };
  azure?: { url?: string; key: string; region?: string };
  openai?: { url: string; key?: string; model: string };
  quotaPauseMs: number;
  maxUnknownRatio: number;
  /** Chains per language pair (`ru-uk` -> providers), from TRANSLATION_CHAIN_ru_uk. */
  pairChains: Record<string, TranslationProviderName[]>;
  limits: Partial<Record<TranslationProviderName, ProviderLimitConfig>>;
  maxWaitSeconds: number;
  /** Default wait of 'wait' routes without a translation_wait_seconds. */
  waitSeconds: number;
}

export interface TaggingConfig {
  /** The external OpenAI-compatible tagger, when configured. */
  llm?: { url: string; key?: string; model: string; timeoutMs: number };
  /** Topic tags scoring below this are stored but never route (TOPIC_ROUTING_THRESHOLD). */
  topicRoutingThreshold: number;
}

export class ConfigError extends Error {}

function taggingConfig(e: Env): TaggingConfig {
  const topicRoutingThreshold = e.TOPIC_ROUTING_THRESHOLD;
  if (!e.TAGGER_LLM_URL && !e.TAGGER_LLM_MODEL) return { topicRoutingThreshold };
  if (!e.TAGGER_LLM_URL || !e.TAGGER_LLM_MODEL) {
    throw new ConfigError('Invalid environment:\n  TAGGER_LLM_URL and TAGGER_LLM_MODEL: set both or neither (see README, Configuration)');
  }
  return {
    topicRoutingThreshold,
    llm: {
      url: e.TAGGER_LLM_URL,
      model: e.TAGGER_LLM_MODEL,
      timeoutMs: e.TAGGER_LLM_TIMEOUT_MS,
      ...(e.TAGGER_LLM_KEY ? { key: e.TAGGER_LLM_KEY } : {}),
    },
  };
}

const DEFAULT_PROVIDER_ORDER: TranslationProviderName[] = ['deepl', 'azure', 'google', 'openai', 'libretranslate', 'apertium'];

/** Which providers the environment configures; a provider named in the order but not configured is an error. */
function translationConfig(e: Env, raw: Record<string, string | undefined>): TranslationConfig {
  const t: TranslationConfig = {
    order: [],
    quotaPauseMs: e.TRANSLATION_QUOTA_PAUSE_MS,
    maxUnknownRatio: e.TRANSLATION_MAX_UNKNOWN_RATIO,
    pairChains: {},
    limits: {},
    maxWaitSeconds: e.TRANSLATION_MAX_WAIT_SECONDS,
    waitSeconds: e.TRANSLATION_WAIT_SECONDS,
  };
  if (e.APERTIUM_URL) t.apertiumUrl = e.APERTIUM_URL;
  if (e.DEEPL_API_KEY) t.deepl = { authKey: e.DEEPL_API_KEY, ...(e.DEEPL_URL ? { url: e.DEEPL_URL } : {}) };
  if (e.LIBRETRANSLATE_URL) t.libretranslate = { url: e.LIBRETRANSLATE_URL, ...(e.LIBRETRANSLATE_API_KEY ? { apiKey: e.LIBRETRANSLATE_API_KEY } : {}) };
  if (e.GOOGLE_TRANSLATE_PROJECT && (e.GOOGLE_TRANSLATE_TOKEN || e.GOOGLE_TRANSLATE_TOKEN_URL)) {
    t.google = {
      project: e.GOOGLE_TRANSLATE_PROJECT,
      location: e.GOOGLE_TRANSLATE_LOCATION,
      ...(e.GOOGLE_TRANSLATE_TOKEN ? { token: e.GOOGLE_TRANSLATE_TOKEN } : {}),
      ...(e.GOOGLE_TRANSLATE_TOKEN_URL ? { tokenUrl: e.GOOGLE_TRANSLATE_TOKEN_URL } : {}),
      ...(e.GOOGLE_TRANSLATE_URL ? { url: e.GOOGLE_TRANSLATE_URL } : {}),
    };
  }
  if (e.AZURE_TRANSLATOR_KEY) {
    t.azure = {
      key: e.AZURE_TRANSLATOR_KEY,
      ...(e.AZURE_TRANSLATOR_URL ? { url: e.AZURE_TRANSLATOR_URL } : {}),
      ...(e.AZURE_TRANSLATOR_REGION ? { region: e.AZURE_TRANSLATOR_REGION } : {}),
    };
  }
  if (e.OPENAI_TRANSLATE_URL && e.OPENAI_TRANSLATE_MODEL) {
    t.openai = { url: e.OPENAI_TRANSLATE_URL, model: e.OPENAI_TRANSLATE_MODEL, ...(e.OPENAI_TRANSLATE_KEY ? { key: e.OPENAI_TRANSLATE_KEY } : {}) };
  }
  const configured = (name: TranslationProviderName) => (name === 'apertium' ? t.apertiumUrl !== undefined : t[name] !== undefined);
  if (e.TRANSLATION_PROVIDERS) {
    const missing = e.TRANSLATION_PROVIDERS.filter((n) => !configured(n));
    if (missing.length) {
      throw new ConfigError(`Invalid environment:\n  TRANSLATION_PROVIDERS: ${missing.join(', ')} named but not configured (see README, Configuration)`);
    }
    t.order = [...new Set(e.TRANSLATION_PROVIDERS)];
  } else {
    t.order = DEFAULT_PROVIDER_ORDER.filter(configured);
  }
  const problems: string[] = [];
  // TRANSLATION_CHAIN_ru_uk=apertium,deepl: the chain for one pair (names must be configured).
  for (const [key, value] of Object.entries(raw)) {
    const m = /^TRANSLATION_CHAIN_([a-z]{2,3})_([a-z]{2,3})$/u.exec(key);
    if (!m || value === undefined) continue;
    const names = value.split(',').map((x) => x.trim()).filter(Boolean);
    // A pair chain reorders (or narrows) the providers in use; it cannot bring in one left out.
    const bad = names.filter((n) => !isProviderName(n) || !t.order.includes(n));
    if (!names.length || bad.length) problems.push(`  ${key}: ${bad.length ? `${bad.join(', ')} not among the providers in use (${t.order.join(', ')})` : 'empty'}`);
    else t.pairChains[`${m[1]}-${m[2]}`] = [...new Set(names as TranslationProviderName[])];
  }
  if (e.TRANSLATION_LIMITS) {
    const parsed = parseLimits(e.TRANSLATION_LIMITS);
    if (typeof parsed === 'string') problems.push(`  TRANSLATION_LIMITS: ${parsed}`);
    else t.limits = parsed;
  }
  if (problems.length) throw new ConfigError(`Invalid environment:\n${problems.join('\n')}`);
  return t;
}

function isProviderName(n: string): n is TranslationProviderName {
  return (TRANSLATION_PROVIDER_NAMES as readonly string[]).includes(n);
}

const LIMIT_KEYS: Record<string, keyof ProviderLimitConfig> = {
  concurrency: 'concurrency',
  rps: 'requestsPerSecond',
  cpm: 'charsPerMinute',
  wait: 'maxWaitSeconds',
};

/** `deepl:concurrency=2,rps=5;apertium:concurrency=1` -> limits per provider, or the problem. */
export function parseLimits(text: string): Partial<Record<TranslationProviderName, ProviderLimitConfig>> | string {
  const out: Partial<Record<TranslationProviderName, ProviderLimitConfig>> = {};
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, spec] = part.split(':', 2).map((x) => x.trim());
    if (!name || !isProviderName(name)) return `unknown provider "${name ?? ''}" (one of ${TRANSLATION_PROVIDER_NAMES.join(', ')})`;
    const limits: ProviderLimitConfig = {};
    for (const pair of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const [k, v] = pair.split('=').map((x) => x.trim());
      const field = LIMIT_KEYS[k ?? ''];
      const n = Number(v);
      if (!field) return `${name}: unknown limit "${k ?? ''}" (one of ${Object.keys(LIMIT_KEYS).join(', ')})`;
      if (!Number.isFinite(n) || n < 0 || (field !== 'maxWaitSeconds' && n <= 0)) return `${name}: ${k} must be a positive number`;
      if (field === 'concurrency' && !Number.isInteger(n)) return `${name}: concurrency must be an integer`;
      limits[field] = n;
    }
    out[name] = limits;
  }
  return out;
}

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
  let outbound: OutboundPolicy;
  try {
    outbound = outboundPolicy({ allowPrivate: e.OUTBOUND_ALLOW_PRIVATE === 'true', allowlist: e.OUTBOUND_ALLOWLIST });
  } catch (err) {
    if (!(err instanceof OutboundPolicyError)) throw err;
    throw new ConfigError(`Invalid environment:\n  OUTBOUND_ALLOWLIST: ${err.message}`);
  }
  // A production deployment holding partner secrets under a key printed in the README would
  // protect nothing: refuse to start rather than warn.
  if (e.NODE_ENV === 'production' && (e.SECRETS_KEY === undefined || e.SECRETS_KEY === DEV_SECRETS_KEY)) {
    throw new ConfigError(
      `Invalid environment:\n  SECRETS_KEY: required when NODE_ENV=production (${e.SECRETS_KEY ? 'the public development key is not allowed' : 'unset'}); generate one with \`openssl rand -base64 32\` (see README, Security)`,
    );
  }
  const secrets = e.SECRETS_KEY ?? DEV_SECRETS_KEY;
  const intakeUrl = e.PUBLIC_INTAKE_URL ?? `http://${e.INTAKE_HOST}:${e.INTAKE_PORT}`;
  const feedUrl = e.PUBLIC_FEED_URL ?? `http://${e.FEED_HOST}:${e.FEED_PORT}`;
  return Object.freeze({
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      timeouts: {
        connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
        statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
        queryMs: e.DATABASE_QUERY_TIMEOUT_MS ?? (e.DATABASE_STATEMENT_TIMEOUT_MS > 0 ? e.DATABASE_STATEMENT_TIMEOUT_MS + 1_000 : 0),
        keepAliveMs: e.DATABASE_KEEPALIVE_MS,
      },
    },
    redis: { url: e.REDIS_URL, prefix: e.QUEUE_PREFIX, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS, keepAliveMs: e.REDIS_KEEPALIVE_MS },
    intake: { host: e.INTAKE_HOST, port: e.INTAKE_PORT, publicUrl: intakeUrl.replace(/\/$/, ''), maxBodyBytes: e.MAX_BODY_BYTES, parseBudgetMs: e.INTAKE_PARSE_BUDGET_MS,
      partnerRateLimit: { rps: e.PARTNER_RATE_LIMIT_RPS, burst: e.PARTNER_RATE_LIMIT_BURST } },
    feeds: { host: e.FEED_HOST, port: e.FEED_PORT, publicUrl: feedUrl.replace(/\/$/, '') },
    translation: translationConfig(e, cleaned),
    tagging: taggingConfig(e),
    workers: {
      concurrency: { translate: e.TRANSLATE_CONCURRENCY, tag: e.TAG_CONCURRENCY, publish: e.PUBLISH_CONCURRENCY },
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      // Never shorter than one send plus a margin: a worker force-closed mid-send leaves its row to
      // be sent again once the lease runs out.
      shutdownDeadlineMs: Math.max(e.SHUTDOWN_DEADLINE_MS, e.WEBHOOK_TIMEOUT_MS + SHUTDOWN_MARGIN_MS),
      outageBackoffMs: e.WORKER_OUTAGE_BACKOFF_MS,
    },
    shutdown: { readyDelayMs: e.SHUTDOWN_READY_DELAY_MS },
    relay: {
      pollMs: e.RELAY_POLL_MS,
      batchSize: e.RELAY_BATCH_SIZE,
      reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
      staleAfterMs: e.RECONCILE_STALE_AFTER_MS,
      routeDeadlinePollMs: e.ROUTE_DEADLINE_POLL_MS,
      enqueueTimeoutMs: e.RELAY_ENQUEUE_TIMEOUT_MS,
    },
    channels: { webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS, concurrency: e.CHANNEL_CONCURRENCY, circuitFailures: e.CHANNEL_CIRCUIT_FAILURES, circuitOpenMs: e.CHANNEL_CIRCUIT_OPEN_MS, retryScale: e.CHANNEL_RETRY_SCALE },
    publisher: { leaseMarginMs: e.PUBLISH_LEASE_MARGIN_MS },
    faults: { ...(e.FAULT_POINT ? { point: e.FAULT_POINT } : {}), ...(e.FAULT_POINT_ONCE_FILE ? { onceFile: e.FAULT_POINT_ONCE_FILE } : {}) },
    auth: {
      signatureWindowSeconds: e.SIGNATURE_WINDOW_SECONDS,
      secretsKey: Buffer.from(secrets, 'base64'),
      secretsKeys: [secrets, ...e.SECRETS_KEY_PREVIOUS].map((k) => Buffer.from(k, 'base64')),
      secretsKeyIsDevDefault: secrets === DEV_SECRETS_KEY,
      failureLimitPerMinute: e.AUTH_FAILURE_LIMIT_PER_MINUTE,
      ...(e.ADMIN_TOKEN ? { adminToken: e.ADMIN_TOKEN } : {}),
    },
    outbound,
    poller: {
      minIntervalSeconds: e.FEED_MIN_INTERVAL_SECONDS,
      fetchTimeoutMs: e.FEED_FETCH_TIMEOUT_MS,
      syncIntervalMs: e.FEED_SYNC_INTERVAL_MS,
      concurrency: e.FEED_POLL_CONCURRENCY,
    },
    dashboard: {
      host: e.DASHBOARD_HOST,
      port: e.DASHBOARD_PORT,
      publicUrl: (e.PUBLIC_DASHBOARD_URL ?? `http://${e.DASHBOARD_HOST}:${e.DASHBOARD_PORT}`).replace(/\/$/, ''),
      ...(e.OPS_API_TOKEN ? { apiToken: e.OPS_API_TOKEN } : {}),
      sessionTtlMs: e.OPS_SESSION_HOURS * 3_600_000,
      cookieSecure: e.OPS_COOKIE_SECURE === 'true',
      loginMaxFailures: e.OPS_LOGIN_MAX_FAILURES,
      loginWindowMs: e.OPS_LOGIN_WINDOW_SECONDS * 1000,
    },
    logLevel: e.LOG_LEVEL,
    observability: {
      logFormat: e.LOG_FORMAT,
      metricsHost: e.METRICS_HOST,
      metricsPort: e.METRICS_PORT,
      queueLagReadySeconds: e.QUEUE_LAG_READY_SECONDS,
      tracesExporter: e.OTEL_TRACES_EXPORTER,
      ...(e.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    },
  });
}

/** Nest injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Nest logger levels at and above the configured one. */
export function nestLogLevels(level: Env['LOG_LEVEL']): Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
