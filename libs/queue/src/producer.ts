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

/** States in which BullMQ will still run (or is running) a job. */
const LIVE_STATES = new Set<string>(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * After this many failed or completed generations the work is not revived again: something kills
 * it every time (a poison job crashing its worker), and an operator has to look.
 */
export const MAX_REVIVE_GENERATIONS = 10;

export interface ReviveResult {
  /** Items added under a fresh job id. */
  added: number;
  /** Items whose job is waiting, delayed or running: left alone. */
  live: number;
  /** Plain job ids of items whose every generation already ran out. */
  exhausted: string[];
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

  /**
   * Brings back work Postgres says is unfinished, whatever BullMQ did with its job. For each item
   * the generations `jobIdFor(name, data, 0..)` are probed in order: a live job (waiting, active,
   * delayed) means the work is in hand and nothing is added; otherwise the item is added under
   * the first generation BullMQ does not hold, because re-adding under an id BullMQ still keeps
   * as failed or completed (failed jobs are kept for days) is a silent no-op.
   */
  async revive<N extends JobName>(name: N, items: JobOf<N>[]): Promise<ReviveResult> {
    const queue = this.queue(name);
    const probe = async (data: JobOf<N>): Promise<number | 'live' | 'exhausted'> => {
      for (let g = 0; g < MAX_REVIVE_GENERATIONS; g++) {
        const state = await queue.getJobState(jobIdFor(name, data, g));
        if (state === 'unknown') return g;
        if (LIVE_STATES.has(state)) return 'live';
      }
      return 'exhausted';
    };
    const result: ReviveResult = { added: 0, live: 0, exhausted: [] };
    for (let i = 0; i < items.length; i += 100) {
      const chunk = items.slice(i, i + 100);
      const found = await Promise.all(chunk.map(probe));
      const add: JobOf<N>[] = [];
      const generations: number[] = [];
      found.forEach((f, j) => {
        const data = chunk[j]!;
        if (f === 'live') result.live += 1;
        else if (f === 'exhausted') result.exhausted.push(jobIdFor(name, data));
        else {
          add.push(data);
          generations.push(f);
        }
      });
      await this.enqueueBulk(name, add, generations);
      result.added += add.length;
    }
    return result;
  }

  /** Closes the queues and the connection the producer was given (it owns it from then on). */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.opts.connection.disconnect();
  }
}
