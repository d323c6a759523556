/**
 * What every main.ts does first: start tracing (before any module loads its clients) and build
 * the process logger, both from the validated config.
 */
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { AppConfig } from '@syndication/config';
import { createLogger } from './logger';
import { setProcessTracing, startTracing } from './tracing';

export function bootObservability(service: string, config: AppConfig): LoggerService {
  const o = config.observability;
  setProcessTracing(startTracing({ service, exporter: o.tracesExporter, ...(o.otlpEndpoint ? { otlpEndpoint: o.otlpEndpoint } : {}) }));
  return createLogger(service, { format: o.logFormat, level: config.logLevel as LogLevel });
}
