/**
 * Runs BullMQ workers for the stages a process handles. Each processor is wrapped so that it
 * reports, then rethrows (STYLE.md #7): BullMQ's retries still happen, and on the last attempt
 * (or an UnrecoverableError) `onFinalFailure` records the failure in Postgres before the job
 * lands in the failed set. Retry-After is honoured by re-delaying the job without spending an attempt.
 *
 * An infrastructure outage (Postgres or Redis unreachable, told by error code: isInfrastructureOutage)
 * is not the job's fault: the queue is paused for WORKER_OUTAGE_BACKOFF_MS and the job goes back to
 * waiting with its attempts untouched, so an outage of any length dead-letters nothing.
 *
 * Locks are short (lockDuration 10 s, checked every 5 s), so a killed worker's job is handed to
 * another within ~15 s. A job that stalls past maxStalledCount is failed by BullMQ without passing
 * through here; its row stays unfinished and the reconciler brings it back under a new generation.
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, payloadProblem, type JobName, type JobOf } from '@syndication/contracts';
import { stageDuration, stageJobs, withLogContext } from '@syndication/observability';
import { isInfrastructureOutage } from '@syndication/database';

export interface StageHandler<N extends JobName> {
  name: N;
  concurrency: number;
  process(job: Job<JobOf<N>>): Promise<void>;
  /** Called once, when the job will not be retried any more. Must not throw for expected DB states. */
  onFinalFailure(job: Job<JobOf<N>>, error: Error): Promise<void>;
}

/** Thrown by a processor to retry later without spending an attempt (HTTP 429 / Retry-After). */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
  }
}

export interface StageWorkerOptions {
  connection: Redis;
  prefix: string;
  shutdownDeadlineMs: number;
  /** How long the queue pauses when a job hits an outage (default 5 s). */
  outageBackoffMs?: number;
  logger: { error(msg: string): void; warn(msg: string): void; log(msg: string): void };
  /** OpenTelemetry adapter (bullmq-otel): a consumer span per job, child of the producer's context. */
  telemetry?: Telemetry;
}

/**
 * Runs one job with its ids in the log context (every line logged meanwhile carries them) and
 * records its duration and outcome (done, delayed, retry, failed) in the stage metrics.
 */
async function observed<T>(stage: JobName, job: Job, run: () => Promise<T>): Promise<T> {
  const ids = job.data as Partial<{ versionId: string; deliveryId: string }>;
  const started = process.hrtime.bigint();
  const observe = (outcome: string) => {
    stageDuration.observe({ stage, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    stageJobs.inc({ stage, outcome });
  };
  return withLogContext({ jobId: job.id, queue: stage, versionId: ids.versionId, deliveryId: ids.deliveryId }, async () => {
    try {
      const out = await run();
      observe('done');
      return out;
    } catch (err) {
      const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // A job put back by the outage back-off (RateLimitError) spent no attempt: it is delayed too.
      observe(err instanceof DelayedError || (err as Error).name === 'RateLimitError' ? 'delayed' : final ? 'failed' : 'retry');
      throw err;
    }
  });
}

export class StageWorkers {
  private readonly workers: Worker[] = [];
  private readonly names = new Set<JobName>();

  constructor(private readonly opts: StageWorkerOptions) {}

  /** Fail at boot if two handlers claim one job name (STYLE.md #3). */
  start<N extends JobName>(handler: StageHandler<N>): Worker {
    if (this.names.has(handler.name)) throw new Error(`Two handlers registered for job "${handler.name}"`);
    this.names.add(handler.name);
    const { logger } = this.opts;
    const outageBackoffMs = this.opts.outageBackoffMs ?? 5_000;
    let outageLogged = 0;
    const worker: Worker<JobOf<N>> = new Worker<JobOf<N>>(
      QUEUES[handler.name],
      async (job, token) => observed(handler.name, job, async () => {
        // A payload that can never be processed fails at once, without retries and without
        // onFinalFailure (there is no row it could name).
        const invalid = payloadProblem(handler.name, job.data);
        if (invalid) {
          logger.warn(`${handler.name} job ${job.id} refused: ${invalid}`);
          throw new UnrecoverableError(invalid);
        }
        try {
          await handler.process(job);
        } catch (raw) {
          const error = raw instanceof Error ? raw : new Error(String(raw));
          if (error instanceof RetryLaterError) {
            await job.moveToDelayed(Date.now() + error.delayMs, token);
            throw new DelayedError();
          }
          // `raw`, not `error`: an error from another realm (jest's vm) is rewrapped above without its code.
          if (isInfrastructureOutage(raw)) {
            if (Date.now() - outageLogged > 30_000) {
              outageLogged = Date.now();
              logger.warn(`${handler.name}: infrastructure unavailable (${error.message}); queue paused ${outageBackoffMs} ms, no attempt spent`);
            }
            await worker.rateLimit(outageBackoffMs);
            throw Worker.RateLimitError();
          }
          const attempts = job.opts.attempts ?? 1;
          const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= attempts;
          logger.warn(
            `${handler.name} job ${job.id} attempt ${job.attemptsMade + 1}/${attempts} failed: ${error.message}`,
          );
          if (final) await handler.onFinalFailure(job, error);
          throw error;
        }
      }),
      {
        connection: this.opts.connection,
        prefix: this.opts.prefix,
        concurrency: handler.concurrency,
        // Shorter than BullMQ's 30 s defaults: a killed worker's jobs resume within ~15 s.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 2,
        ...(this.opts.telemetry ? { telemetry: this.opts.telemetry } : {}),
      },
    );
    // Without an 'error' listener a lost Redis connection is an unhandled error that kills the process.
    worker.on('error', (err) => logger.error(`${handler.name} worker error: ${err.message}`));
    this.workers.push(worker);
    return worker;
  }

  handledJobs(): JobName[] {
    return [...this.names];
  }

  /** Graceful drain: stop fetching, let active jobs finish, force-close past the deadline. */
  async close(): Promise<void> {
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.opts.shutdownDeadlineMs);
    });
    const result = await Promise.race([graceful.then(() => 'ok' as const), deadline]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.opts.logger.warn('shutdown deadline passed; force-closing workers (active jobs become stalled and are retried)');
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
  }
}
