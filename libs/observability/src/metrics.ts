/**
 * Prometheus metrics (prom-client). One registry per process; the metric objects are module
 * singletons, so several Nest apps in one process (the test suite, the bench) share them instead
 * of registering twice. Counters and histograms are fed where the work happens (stage workers,
 * pipeline events, intake rejections, translation); gauges that describe shared state (queue
 * depth and age, the Postgres pool) are read when Prometheus scrapes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
let defaultsOn = false;

/** Process metrics (CPU, memory, GC, event-loop lag) labelled with the service; once per process. */
export function enableDefaultMetrics(service: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
}

export const stageDuration = new Histogram({
  name: 'syndication_stage_duration_seconds',
  help: 'Time one stage job took in its worker, by stage and outcome (done, retry, failed, delayed).',
  labelNames: ['stage', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const stageJobs = new Counter({
  name: 'syndication_stage_jobs_total',
  help: 'Stage jobs finished by a worker, by stage and outcome.',
  labelNames: ['stage', 'outcome'] as const,
  registers: [registry],
});

export const pipelineEvents = new Counter({
  name: 'syndication_pipeline_events_total',
  help: 'Pipeline events emitted after a stage committed, by stage and status.',
  labelNames: ['stage', 'status'] as const,
  registers: [registry],
});

export const deliveries = new Counter({
  name: 'syndication_deliveries_total',
  help: 'Delivery attempts recorded in the ledger, by channel and outcome (done, retrying, failed, skipped).',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

export const intakeRejections = new Counter({
  name: 'syndication_intake_rejections_total',
  help: 'Requests the intake refused, by partner (or "unknown" before authentication) and problem code.',
  labelNames: ['partner', 'code', 'status'] as const,
  registers: [registry],
});

export const intakeAccepted = new Counter({
  name: 'syndication_intake_stories_total',
  help: 'Stories the intake answered for, by partner and result (accepted, duplicate).',
  labelNames: ['partner', 'result'] as const,
  registers: [registry],
});

export const translationCharacters = new Counter({
  name: 'syndication_translation_characters_total',
  help: 'Characters of source text per translation provider: sent to the engine or reused from the translation memory.',
  labelNames: ['provider', 'kind'] as const,
  registers: [registry],
});

export const queueJobs = new Gauge({
  name: 'syndication_queue_jobs',
  help: 'BullMQ jobs per queue and state, read at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

export const queueOldestWaiting = new Gauge({
  name: 'syndication_queue_oldest_waiting_seconds',
  help: 'Age of the oldest job waiting in each queue (0 when none waits), read at scrape time.',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const dbPool = new Gauge({
  name: 'syndication_db_pool_connections',
  help: 'Postgres pool connections of this process: total, idle, and clients waiting for one.',
  labelNames: ['app', 'state'] as const,
  registers: [registry],
});

type Collector = () => Promise<void>;
const collectors = new Set<Collector>();

/** Runs `fn` before each scrape (to refresh gauges); returns the unregister function. */
export function onScrape(fn: Collector): () => void {
  collectors.add(fn);
  return () => collectors.delete(fn);
}

/** The exposition text; a failing collector leaves its gauges stale rather than failing the scrape. */
export async function scrape(): Promise<string> {
  await Promise.all([...collectors].map((c) => c().catch(() => undefined)));
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
