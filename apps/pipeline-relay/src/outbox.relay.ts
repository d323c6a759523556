/**
 * Moves committed outbox rows onto BullMQ. Rows are locked with SKIP LOCKED, so several relays can
 * run side by side; a row is marked dispatched only in the transaction that enqueued it, and job
 * ids are deterministic, so a crash between enqueue and commit yields a duplicate add that BullMQ
 * collapses, never a lost job. The enqueue is bounded (RELAY_ENQUEUE_TIMEOUT_MS): a Redis that
 * stopped answering rolls the batch back and releases its row locks instead of holding them. A row
 * that can never be enqueued (unknown job, payload without its id) is set aside with the reason,
 * so it cannot sit at the head of every batch. The cleanup of old rows runs on one relay at a time.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { JOB_NAMES, type JobName, type JobOf } from '@syndication/contracts';
import {
  LeaderLockService,
  deleteOldDispatchedOutbox,
  hasPendingOutbox,
  lockPendingOutbox,
  markOutboxDispatched,
  setOutboxAside,
  type PendingOutboxRow,
} from '@syndication/database';
import { JobProducer } from '@syndication/queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The id field each job's payload must carry (jobIdFor derives the job id from it). */
const ID_FIELD: Record<JobName, string> = { translate: 'versionId', tag: 'versionId', publish: 'deliveryId' };

/** Why a row can never become a job, or undefined when it can. */
function unusable(row: PendingOutboxRow): string | undefined {
  if (!(JOB_NAMES as string[]).includes(row.job)) return `unknown job "${row.job.slice(0, 64)}"`;
  const field = ID_FIELD[row.job as JobName];
  const value = typeof row.payload === 'object' && row.payload !== null ? (row.payload as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string' || value === '') return `payload has no ${field}`;
  return undefined;
}

export class EnqueueTimeoutError extends Error {}

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
    private readonly leader: LeaderLockService,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Before the producer closes: finish (commit) the current batch, take no more. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let lastCleanup = 0;
    while (this.running) {
      try {
        const moved = await this.dispatchBatch();
        failures = 0;
        if (Date.now() - lastCleanup > 60_000) {
          lastCleanup = Date.now();
          if (await this.leader.tryLead('outbox-cleanup')) await deleteOldDispatchedOutbox(this.db);
        }
        if (moved < this.config.relay.batchSize) await sleep(this.config.relay.pollMs);
      } catch (err) {
        failures += 1;
        // Redis or Postgres is away: the rows stay undispatched and are retried with backoff.
        if (failures === 1 || failures % 20 === 0) this.logger.warn(`outbox relay: ${(err as Error).message}`);
        await sleep(Math.min(5_000, this.config.relay.pollMs * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** One batch in one transaction; returns how many rows were moved or set aside. */
  async dispatchBatch(): Promise<number> {
    if (!(await hasPendingOutbox(this.db))) return 0;
    return this.db.transaction(async (m) => {
      const rows = await lockPendingOutbox(m, this.config.relay.batchSize);
      if (rows.length === 0) return 0;
      const byJob = new Map<JobName, { payloads: unknown[]; generations: number[]; traces: Array<Record<string, string> | null>; ids: string[] }>();
      for (const r of rows) {
        const problem = unusable(r);
        if (problem) {
          await setOutboxAside(m, r.id, problem);
          this.logger.error(`outbox row ${r.id} set aside: ${problem}`);
          continue;
        }
        const list = byJob.get(r.job as JobName) ?? { payloads: [], generations: [], traces: [], ids: [] };
        list.payloads.push(r.payload);
        list.generations.push(r.generation);
        list.traces.push(r.trace);
        list.ids.push(r.id);
        byJob.set(r.job as JobName, list);
      }
      await this.bounded(async () => {
        for (const [job, { payloads, generations, traces }] of byJob) {
          await this.producer.enqueueBulk(job, payloads as JobOf<typeof job>[], generations, traces);
        }
      });
      await markOutboxDispatched(m, [...byJob.values()].flatMap((l) => l.ids));
      return rows.length;
    });
  }

  /** Runs the enqueue under RELAY_ENQUEUE_TIMEOUT_MS; past it the caller's transaction rolls back. */
  private async bounded(enqueue: () => Promise<void>): Promise<void> {
    const ms = this.config.relay.enqueueTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EnqueueTimeoutError(`enqueue did not finish within ${ms} ms (Redis not answering)`)), ms);
    });
    const work = enqueue();
    // A late enqueue that fails after the timeout must not become an unhandled rejection.
    work.catch(() => undefined);
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
