/** Retry policy shared by every stage (STYLE.md #6): exponential backoff, failures kept for operators. */
import type { JobsOptions } from 'bullmq';

export function defaultJobOptions(attempts: number, backoffMs: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    // Completed jobs are bookkeeping only (Postgres has the result); keep a bounded tail for the queue UI.
    removeOnComplete: { count: 1000, age: 3600 },
    // Failures are kept for the dashboard; bounded so a poison storm cannot fill Redis.
    removeOnFail: { count: 50_000, age: 14 * 24 * 3600 },
  };
}
