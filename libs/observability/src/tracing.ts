/**
 * OpenTelemetry traces: one trace per story push, from the intake's HTTP request through every
 * queue hop (outbox row -> relay -> BullMQ job -> worker, via bullmq-otel) to each delivery.
 *
 * The outbox is the hop BullMQ cannot see: `traceCarrier()` captures the active context when a
 * row is written (in the same transaction as the state change) and the relay hands it to BullMQ
 * as the job's telemetry metadata, so the consumer span of the job is a child of the request
 * that caused it, even when the relay runs in another process much later.
 *
 * Off by default (the API is then a no-op and costs nothing). `OTEL_TRACES_EXPORTER=otlp` sends
 * spans to `OTEL_EXPORTER_OTLP_ENDPOINT` (standard OpenTelemetry variables), `console` prints
 * them; tests pass their own span processor (e.g. an in-memory exporter).
 */
import { SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BullMQOtel } from 'bullmq-otel';

export const TRACER_NAME = 'syndication';

export interface TracingOptions {
  service: string;
  exporter: 'none' | 'console' | 'otlp';
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 (the SDK appends /v1/traces). */
  otlpEndpoint?: string;
  /** Extra processors (tests: an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  shutdown(): Promise<void>;
}

/** Starts the SDK when an exporter or processor is configured; call before the app is created. */
export function startTracing(opts: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  if (opts.exporter === 'console') processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  if (opts.exporter === 'otlp') {
    const base = (opts.otlpEndpoint ?? 'http://127.0.0.1:4318').replace(/\/$/, '');
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` })));
  }
  if (processors.length === 0) return { shutdown: async () => undefined };
  const sdk = new NodeSDK({ serviceName: opts.service, spanProcessors: processors, instrumentations: [], autoDetectResources: false });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** BullMQ telemetry adapter (producer and consumer spans, context through Redis). */
export function bullmqTelemetry(): BullMQOtel {
  return new BullMQOtel({ tracerName: TRACER_NAME });
}

/** The active trace context as a W3C carrier ({traceparent, tracestate}); {} when not tracing. */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** BullMQ job telemetry metadata for a stored carrier (the format bullmq-otel reads back). */
export function jobTelemetry(carrier: Record<string, string> | null | undefined): { metadata: string } | undefined {
  return carrier && Object.keys(carrier).length > 0 ? { metadata: JSON.stringify(carrier) } : undefined;
}

/**
 * Runs `fn` inside a new span (child of the active one), ending it when `fn` settles and recording
 * an exception as the span's error.
 */
export async function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

let processTracing: Tracing | undefined;

/** Flushes and stops the process's tracing (if `bootObservability` started it). */
export async function shutdownTracing(): Promise<void> {
  const t = processTracing;
  processTracing = undefined;
  await t?.shutdown().catch(() => undefined);
}

/** For main.ts: remember the process's tracing so the app's shutdown flushes it. */
export function setProcessTracing(t: Tracing): void {
  processTracing = t;
}
