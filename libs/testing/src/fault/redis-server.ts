/**
 * A private `redis-server` on its own port and directory, for faults that stop Redis: the shared
 * Redis on 6379 is never touched. `aof` persists every second (a kill -9 loses at most ~1 s of
 * writes, as in production); `none` comes back empty (a failover that lost the data set).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from '../ports';

export type RedisPersistence = 'aof' | 'none';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** PID of the running server; undefined while it is down. */
  readonly pid: number | undefined;
  /** Signals the server (SIGKILL: a crash, SIGSTOP: a hang) and, for fatal signals, waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory (AOF data, if any, is reloaded). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function redisServerAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0;
}

async function ping(url: string): Promise<boolean> {
  const r = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, enableOfflineQueue: false, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export async function startPrivateRedis(opts: { persistence: RedisPersistence; port?: number }): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'syndication-fault-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', opts.persistence === 'aof' ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const c = spawn('redis-server', args, { stdio: 'ignore' });
    child = c;
    exited = new Promise<void>((r) => c.once('exit', () => r()));
    for (let i = 0; i < 100; i++) {
      if (await ping(url)) return;
      if (c.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${c.exitCode}`);
      await sleep(50);
    }
    throw new Error(`redis-server on ${port} did not answer within 5 s`);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const c = child;
    if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
    process.kill(c.pid, signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') {
      await Promise.race([exited, sleep(5_000)]);
    }
  };

  await start();
  return {
    port,
    url,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    kill,
    start,
    stop: async () => {
      // SIGKILL also ends a SIGSTOPped server.
      await kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
