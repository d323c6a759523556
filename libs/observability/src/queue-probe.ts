/**
 * Reads BullMQ's own counters for every stage queue: depth per state and the age of the oldest
 * waiting job. Feeds the queue gauges at scrape time and the relay's queue-lag readiness check.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_NAMES, QUEUES } from '@syndication/contracts';
import { queueJobs, queueOldestWaiting } from './metrics';
import type { QueueLagSource } from './health';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export class QueueProbe implements QueueLagSource {
  private readonly queues: Queue[];

  constructor(connection: Redis, prefix: string) {
    this.queues = JOB_NAMES.map((n) => new Queue(QUEUES[n], { connection, prefix }));
  }

  async oldestWaitingSeconds(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    await Promise.all(
      this.queues.map(async (q) => {
        // asc = true: oldest first (BullMQ adds to the head of the wait list and takes from the tail).
        const [oldest] = await q.getJobs(['wait'], 0, 0, true);
        out[q.name] = oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0;
      }),
    );
    return out;
  }

  async collect(): Promise<void> {
    await Promise.all(
      this.queues.map(async (q) => {
        const counts = await q.getJobCounts(...STATES);
        for (const s of STATES) queueJobs.set({ queue: q.name, state: s }, counts[s] ?? 0);
      }),
    );
    for (const [queue, seconds] of Object.entries(await this.oldestWaitingSeconds())) queueOldestWaiting.set({ queue }, seconds);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
