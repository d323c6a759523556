/**
 * Bench child process: one stage of the raw BullMQ baseline chain (A completes -> adds B -> adds C),
 * no-op jobs carrying ids only, with the product's job options, worker options, connections and
 * per-stage concurrency. Stage A also produces (addBulk in batches of RELAY_BATCH_SIZE, as the outbox
 * relay does) when the bench sends {type:'produce'}. Each stage reports its completions over IPC.
 * Env: REDIS_URL, CHAIN_PREFIX, CHAIN_STAGE (a|b|c), CHAIN_CONCURRENCY, CHAIN_BATCH, JOB_ATTEMPTS, JOB_BACKOFF_MS.
 */
import { Queue, Worker } from 'bullmq';
import { createRedis, defaultJobOptions } from '@syndication/queue';

const env = (k: string, d?: string): string => {
  const v = process.env[k] ?? d;
  if (v === undefined) throw new Error(`${k} is required`);
  return v;
};
const redisUrl = env('REDIS_URL');
const prefix = env('CHAIN_PREFIX');
const stage = env('CHAIN_STAGE') as 'a' | 'b' | 'c';
const concurrency = Number(env('CHAIN_CONCURRENCY', '10'));
const batch = Number(env('CHAIN_BATCH', '500'));
const jobOptions = defaultJobOptions(Number(env('JOB_ATTEMPTS', '8')), Number(env('JOB_BACKOFF_MS', '1000')));
const NEXT: Record<typeof stage, 'b' | 'c' | undefined> = { a: 'b', b: 'c', c: undefined };

interface ChainJob {
  id: string;
}

const queueConnection = createRedis(redisUrl, 'queue');
const workerConnection = createRedis(redisUrl, 'worker');
const queueOf = (s: string) => new Queue<ChainJob>(`chain-${s}`, { connection: queueConnection, prefix, defaultJobOptions: jobOptions });
const own = queueOf(stage);
const nextStage = NEXT[stage];
const next = nextStage ? queueOf(nextStage) : undefined;

let done = 0;
let lastAt = 0;
let reported = -1;

const worker = new Worker<ChainJob>(
  `chain-${stage}`,
  async (job) => {
    // "A completes -> adds B": the next stage's job, with a deterministic id like the product's.
    if (next && nextStage) await next.add(nextStage, job.data, { jobId: `${nextStage}.${job.data.id}` });
  },
  {
    connection: workerConnection,
    prefix,
    concurrency,
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 2,
  },
);
worker.on('completed', () => {
  done += 1;
  lastAt = Date.now();
});
worker.on('error', (err) => process.stderr.write(`chain-${stage}: ${err.message}\n`));

setInterval(() => {
  if (done !== reported) {
    reported = done;
    process.send?.({ type: 'progress', done, lastAt });
  }
}, 50).unref();

async function produce(slice: string, n: number): Promise<void> {
  for (let start = 0; start < n; start += batch) {
    const jobs = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const id = `${slice}.${i}`;
      jobs.push({ name: stage, data: { id }, opts: { jobId: `${stage}.${id}` } });
    }
    await own.addBulk(jobs);
  }
}

process.on('message', (msg: { type?: string; slice?: string; n?: number }) => {
  if (msg.type === 'produce' && msg.slice && msg.n) {
    produce(msg.slice, msg.n).catch((err: Error) => process.stderr.write(`chain produce: ${err.message}\n`));
  }
});

async function shutdown(): Promise<void> {
  await worker.close().catch(() => undefined);
  await Promise.all([own.close(), next?.close()]).catch(() => undefined);
  queueConnection.disconnect();
  workerConnection.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());

void worker.waitUntilReady().then(() => process.send?.({ type: 'ready' }));
