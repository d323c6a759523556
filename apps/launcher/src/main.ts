/**
 * `npm start`: the whole system on one machine. Finds or starts Postgres and Redis, runs the
 * migrations, starts Apertium APy when it is installed, starts every app as its own process,
 * provisions the demo partner and channels, pushes the seed story and prints where to look.
 * Ctrl-C stops everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDatabase, createDataSource, runMigrations } from '@syndication/database';
import { loadConfig } from '@syndication/config';
import { findApertium, startApy } from '@syndication/language';
import { startWebhookReceiver } from '@syndication/testing';
import { DEMO_ADMIN_TOKEN, DEMO_API_KEY, DEMO_SIGNING_KEY_ID, DEMO_SIGNING_SECRET } from '../../partner-cli/src/demo';
import { DEMO_FEED, DEMO_OPS_PASSWORD, DEMO_OPS_USER, DEMO_WEBHOOK_SECRET, provisionDemo, provisionDemoOpsUser } from './demo';
import { repoRoot } from './paths';
import { resolvePostgres, resolveRedis } from './services';

const APPS = ['intake-api', 'pipeline-relay', 'translation-worker', 'tagging-worker', 'publisher-worker', 'feed-server', 'feed-poller', 'ops-dashboard'] as const;
/** Apps without HTTP of their own serve /metrics and /health/* on METRICS_PORT_BASE + n. */
const STANDALONE_METRICS: ReadonlyArray<(typeof APPS)[number]> = ['pipeline-relay', 'translation-worker', 'tagging-worker', 'publisher-worker', 'feed-poller'];

const log = (m: string) => process.stdout.write(`[start] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const root = repoRoot();
  const dataDir = process.env['SYNDICATION_DATA_DIR'] ?? join(root, '.data');
  const stops: Array<() => Promise<void>> = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const pg = await resolvePostgres(process.env, dataDir, log);
    stops.push(pg.stop);
    const redis = await resolveRedis(process.env, dataDir, log);
    stops.push(redis.stop);
    log(`postgres: ${pg.url.replace(/:[^:@/]*@/, ':***@')} (${pg.origin})`);
    log(`redis:    ${redis.url} (${redis.origin})`);
    await ensureDatabase(pg.url);
    const applied = await runMigrations(pg.url);
    log(`migrations: ${applied.length ? applied.join(', ') : 'up to date'}`);

    let apertiumUrl = process.env['APERTIUM_URL'];
    if (!apertiumUrl && findApertium()) {
      const apy = await startApy({ port: Number(process.env['APY_PORT'] ?? 2737), workDir: join(dataDir, 'apertium') });
      stops.push(apy.stop);
      apertiumUrl = apy.url;
    }
    log(apertiumUrl ? `translation: Apertium APy at ${apertiumUrl}` : 'translation: Apertium is not installed (apt-get install apertium-apy apertium-rus-ukr); stories publish untranslated and the missing languages are recorded as unsupported');

    // Apps log warnings and errors only, unless LOG_LEVEL says otherwise: the launcher's own output stays readable.
    // The demo webhook receiver listens on loopback, which the SSRF guard refuses by default:
    // loopback is allowlisted for this local demo (added to any OUTBOUND_ALLOWLIST given).
    const allowlist = [process.env['OUTBOUND_ALLOWLIST'], '127.0.0.0/8', '::1/128'].filter(Boolean).join(',');
    // A local demo enables the admin API with a public token unless ADMIN_TOKEN says otherwise.
    const env: NodeJS.ProcessEnv = {
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
      ...process.env,
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      OUTBOUND_ALLOWLIST: allowlist,
      ...(apertiumUrl ? { APERTIUM_URL: apertiumUrl } : {}),
    };
    const config = loadConfig(env);

    const receiver = await startWebhookReceiver({ secret: DEMO_WEBHOOK_SECRET, port: Number(process.env['DEMO_WEBHOOK_PORT'] ?? 3090) });
    stops.push(receiver.stop);
    const db = createDataSource(pg.url, 2);
    await db.initialize();
    await provisionDemo(db, receiver.url, config.auth.secretsKey);
    await provisionDemoOpsUser(db);
    await db.destroy();

    const metricsBase = Number(process.env['METRICS_PORT_BASE'] ?? 9100);
    const metricsUrls = new Map<string, string>();
    for (const app of APPS) {
      const n = STANDALONE_METRICS.indexOf(app);
      const appEnv = n >= 0 ? { ...env, METRICS_PORT: String(metricsBase + 1 + n) } : env;
      if (n >= 0) metricsUrls.set(app, `http://${config.observability.metricsHost}:${metricsBase + 1 + n}`);
      const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'src', 'main.js')], { env: appEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      const prefix = `[${app}] `;
      const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) =>
        stream.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n')) if (line.trim()) out.write(`${prefix}${line}\n`);
        });
      relay(child.stdout!, process.stdout);
      relay(child.stderr!, process.stderr);
      child.on('exit', (code, signal) => {
        if (!stopping) {
          log(`${app} exited (${signal ?? code}); stopping everything`);
          void shutdown(1);
        }
      });
      children.push(child);
    }
    const intakeUrl = `http://${config.intake.host}:${config.intake.port}`;
    const feedUrl = `http://${config.feeds.host}:${config.feeds.port}`;
    // Eight Node processes load at once: on a small, busy machine that takes more than a minute.
    await waitHttp(`${intakeUrl}/health/ready`, 120_000);
    await waitHttp(`${feedUrl}/health/live`, 60_000);
    const dashboardUrl = config.dashboard.publicUrl;
    await waitHttp(`http://${config.dashboard.host}:${config.dashboard.port}/login`, 60_000);

    if (process.env['START_PUSH_SEED'] !== 'false') {
      const seed = readFileSync(join(root, 'tests', 'fixtures', 'seed', 'centralasia-2026-02-07-ru.txt'));
      const res = await fetch(`${intakeUrl}/v1/stories`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'text/plain; charset=utf-8' },
        body: seed,
      });
      const body = (await res.json()) as { id: string; status: string; status_url: string };
      log(`seed story pushed: ${res.status} ${body.status} ${body.id}`);
    }
    process.stdout.write(
      [
        '',
        'The syndication system is running. Try:',
        `  npm run -s cli -- push tests/fixtures/seed/centralasia-2026-02-07-ru.txt --json`,
        `  npm run -s cli -- wait <id>`,
        `  intake API:        ${intakeUrl}/v1/stories   (demo key: Authorization: Bearer ${DEMO_API_KEY})`,
        `  signed pushes:     SYNDICATION_SIGNING_KEY_ID=${DEMO_SIGNING_KEY_ID} SYNDICATION_SIGNING_SECRET=${DEMO_SIGNING_SECRET} npm run -s cli -- push <file>`,
        `  API reference:     ${intakeUrl}/docs  (OpenAPI: ${intakeUrl}/openapi.json)`,
        `  admin API:         ${intakeUrl}/v1/admin/partners  (Authorization: Bearer ${!config.auth.adminToken ? '<set ADMIN_TOKEN>' : config.auth.adminToken === DEMO_ADMIN_TOKEN ? DEMO_ADMIN_TOKEN : '$ADMIN_TOKEN'})`,
        `  feed (Ukrainian):  ${feedUrl}/feeds/${DEMO_FEED}.rss  (.atom, .json)`,
        `  ops dashboard:     ${dashboardUrl}  (log in as ${DEMO_OPS_USER} / ${DEMO_OPS_PASSWORD}; the seed story is on the overview)`,
        `  demo webhook receiver: ${receiver.url} (received deliveries are logged below)`,
        `  metrics & health:  ${intakeUrl}/metrics, ${feedUrl}/metrics, ${dashboardUrl}/metrics; ${[...metricsUrls].map(([app, url]) => `${app} ${url}/metrics`).join(', ')}`,
        `                     (each also answers /health/live and /health/ready)`,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    let seen = 0;
    setInterval(() => {
      for (const r of receiver.received.slice(seen)) {
        const data = (r.payload as { data?: { headlines?: Array<{ value: string }>; language?: string } }).data;
        log(`webhook received ${r.id} [${data?.language}] verified=${r.verified}: ${data?.headlines?.[0]?.value ?? ''}`);
      }
      seen = receiver.received.length;
    }, 500).unref();
  } catch (err) {
    process.stderr.write(`[start] ${(err as Error).message}\n`);
    await shutdown(1);
  }
}

void main();
