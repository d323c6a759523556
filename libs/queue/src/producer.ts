/**
 * The typed producer (STYLE.md #2): `enqueue('publish', { deliveryId })` type-checks the payload
 * against the contracts and derives the deterministic job id, so a repeated enqueue collapses.
 * Only the outbox relay and the reconciler use it: request handlers and workers write outbox rows.
 */
import { Queue, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_NAMES, QUEUES, jobIdFor, type JobName, type JobOf } from '@syndication/contracts';
import { defaultJobOptions } from './job-options';

export interface ProducerOptions {
  connection: Redis;
  prefix: string;
  attempts: number;
  backoffMs: number;
  /** OpenTelemetry adapter (bullmq-otel): producer spans, and each job's trace carried to its worker. */
  telemetry?: Telemetry;
}

export class JobProducer {
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly opts: ProducerOptions) {
    for (const name of JOB_NAMES) {
      this.queues.set(
        name,
        new Queue(QUEUES[name], {
          connection: opts.connection,
          prefix: opts.prefix,
          defaultJobOptions: defaultJobOptions(opts.attempts, opts.backoffMs),
          ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
        }),
      );
    }
  }

  queue(name: JobName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`No queue for job ${name}`);
    return q;
  }

  async enqueue<N extends JobName>(name: N, data: JobOf<N>, generation = 0): Promise<void> {
    await this.queue(name).add(name, data, { jobId: jobIdFor(name, data, generation) });
  }

  /**
   * `generations[i]` (default 0) is the job generation of `items[i]` (see jobIdFor); `traces[i]`
   * the W3C trace carrier of the transaction that asked for it (the outbox row's), so the job
   * continues that trace.
   */
  async enqueueBulk<N extends JobName>(
    name: N,
    items: JobOf<N>[],
    generations: readonly number[] = [],
    traces: ReadonlyArray<Record<string, string> | null> = [],
  ): Promise<void> {
    if (items.length === 0) return;
    await this.queue(name).addBulk(
      items.map((data, i) => {
        const trace = traces[i];
        return {
          name,
          data,
          opts: {
            jobId: jobIdFor(name, data, generations[i] ?? 0),
            ...(trace && Object.keys(trace).length ? { telemetry: { metadata: JSON.stringify(trace) } } : {}),
          },
        };
      }),
    );
  }

  /** Closes the queues and the connection the producer was given (it owns it from then on). */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.opts.connection.disconnect();
  }
}
