/**
 * A throwaway redis-server of our own on a loopback port, for tests that stop, kill or restart
 * Redis (never the shared one). Started without persistence unless asked; `kill()` is a crash
 * (SIGKILL), `start()` brings it back on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import IORedis from 'ioredis';
import { freePort } from './ports';

export interface TestRedisServer {
  port: number;
  url: string;
  /** PID of the running server, or undefined while it is down. */
  pid: number | undefined;
  start(): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function testRedisServer(opts: { port?: number; args?: string[]; binary?: string } = {}): Promise<TestRedisServer> {
  const port = opts.port ?? (await freePort());
  let child: ChildProcess | undefined;
  const server: TestRedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async start() {
      if (server.pid) return;
      child = spawn(opts.binary ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(opts.args ?? [])], {
        stdio: 'ignore',
      });
      const probe = new IORedis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        for (let i = 0; ; i++) {
          try {
            await probe.connect();
            await probe.ping();
            return;
          } catch (err) {
            if (i > 100 || child.exitCode !== null) throw new Error(`redis-server on ${port} did not start: ${(err as Error).message}`);
            probe.disconnect();
            await sleep(50);
          }
        }
      } finally {
        probe.disconnect();
      }
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
  };
  return server;
}
