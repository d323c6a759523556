/**
 * Moves committed outbox rows onto BullMQ. Rows are locked with SKIP LOCKED, so several relays can
 * run side by side; a row is marked dispatched only in the transaction that enqueued it, and job
 * ids are deterministic, so a crash between enqueue and commit yields a duplicate add that BullMQ
 * collapses, never a lost job.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { JOB_NAMES, type JobName, type JobOf } from '@syndication/contracts';
import { JobProducer } from '@syndication/queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
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
          await this.db.query(`DELETE FROM outbox WHERE dispatched_at < now() - interval '1 day'`);
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

  /** One batch in one transaction; returns how many rows were moved. */
  async dispatchBatch(): Promise<number> {
    // An idle poll is one indexed read, not BEGIN / SELECT FOR UPDATE / COMMIT.
    const pending: Array<{ any: boolean }> = await this.db.query(
      'SELECT EXISTS (SELECT 1 FROM outbox WHERE dispatched_at IS NULL) AS any',
    );
    if (!pending[0]?.any) return 0;
    return this.db.transaction(async (m) => {
      const rows: Array<{ id: string; job: string; payload: unknown; generation: number; trace: Record<string, string> | null }> = await m.query(
        'SELECT id, job, payload, generation, trace FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [this.config.relay.batchSize],
      );
      if (rows.length === 0) return 0;
      const byJob = new Map<JobName, { payloads: unknown[]; generations: number[]; traces: Array<Record<string, string> | null> }>();
      for (const r of rows) {
        if (!(JOB_NAMES as string[]).includes(r.job)) {
          this.logger.error(`outbox row ${r.id} names unknown job "${r.job}"; left undispatched`);
          continue;
        }
        const list = byJob.get(r.job as JobName) ?? { payloads: [], generations: [], traces: [] };
        list.payloads.push(r.payload);
        list.generations.push(r.generation);
        list.traces.push(r.trace);
        byJob.set(r.job as JobName, list);
      }
      for (const [job, { payloads, generations, traces }] of byJob) {
        await this.producer.enqueueBulk(job, payloads as JobOf<typeof job>[], generations, traces);
      }
      const ids = rows.filter((r) => byJob.has(r.job as JobName)).map((r) => r.id);
      await m.query('UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])', [ids]);
      return rows.length;
    });
  }
}
