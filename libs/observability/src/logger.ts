/**
 * Structured JSON logs for every process: one JSON object per line (pino), stamped with the
 * service name, the ids of the current log context and the active trace/span ids, so a log search
 * for a story id finds every line about it in every process, and a trace links to its logs.
 * `LOG_FORMAT=pretty` keeps Nest's coloured text logger for local reading.
 */
import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { type Logger as Pino } from 'pino';
import { currentLogContext } from './log-context';

const NEST_TO_PINO: Record<LogLevel, pino.Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

const ORDER: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

export class JsonLogger implements LoggerService {
  private readonly pino: Pino;

  constructor(service: string, level: LogLevel = 'log', destination: pino.DestinationStream = pino.destination({ sync: false })) {
    this.pino = pino(
      {
        level: NEST_TO_PINO[level],
        base: { service, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        // Secrets never reach a log line, whatever a caller passes in an object.
        redact: { paths: ['authorization', '*.authorization', 'cookie', '*.cookie', '*.secret', '*.signature', '*.password', '*.bot_token'], censor: '[redacted]' },
        mixin() {
          const span = trace.getActiveSpan()?.spanContext();
          return {
            ...currentLogContext(),
            ...(span && span.traceId !== '00000000000000000000000000000000' ? { traceId: span.traceId, spanId: span.spanId } : {}),
          };
        },
      },
      destination,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes the context (class name) last, and an error's stack before it. */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const stack = level === 'error' && typeof args[0] === 'string' ? (args.shift() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields['context'] = context;
    if (stack) fields['stack'] = stack;
    if (message instanceof Error) {
      fields['err'] = { message: message.message, name: message.name, stack: message.stack };
      this.pino[level](fields, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

/**
 * The logger a process boots with: JSON unless LOG_FORMAT=pretty. `level` is the lowest level
 * printed (Nest's names).
 */
export function createLogger(service: string, opts: { format: 'json' | 'pretty'; level: LogLevel }): LoggerService {
  if (opts.format === 'pretty') {
    const levels = ORDER.slice(ORDER.indexOf(opts.level));
    return new ConsoleLogger(service, { logLevels: levels });
  }
  return new JsonLogger(service, opts.level);
}
