/**
 * `npm run bench` (see /work/shared/PERFORMANCE.md): the product end to end against a raw BullMQ
 * baseline measured in interleaved slices of the same run.
 *
 *   npm run bench                  # default, ~3 minutes
 *   npm run bench -- --quick       # ~1 minute
 *   npm run bench -- --json        # one JSON object on stdout, progress on stderr
 *   npm run bench -- --latency-ms 50   # the fake APy and webhook endpoints answer after 50 ms
 *
 * Own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/syndication_bench,
 * dropped and recreated), own Redis key prefixes (deleted at the end with SCAN + UNLINK, never
 * FLUSHDB). The compiled apps run as child processes exactly as deployed; only the external
 * providers (APy, webhook endpoints) are faked, in a child process of their own. Everything stays
 * on 127.0.0.1 and everything started is stopped by PID.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { loadConfig } from '@syndication/config';
import { generateWebhookSecret } from '@syndication/channels';
import {
  dataSourceOptions,
  newApiKeySecret,
  recreateDatabase,
  runMigrations,
  upsertApiKey,
  upsertChannel,
  upsertPartner,
  upsertRoute,
} from '@syndication/database';
import { parsePlainText } from '@syndication/formats';
import { QUEUES, isLanguageCode, type LanguageCode } from '@syndication/contracts';
import { ApertiumProvider, findApertium, protectSegment, startApy } from '@syndication/language';
import { translateSegments } from '../../apps/translation-worker/src/translate-segments';
import { TranslationMemory } from '../../apps/translation-worker/src/translation-memory';
import {
  HttpClient,
  cpuMsOf,
  freePort,
  mean,
  median,
  memoryOf,
  percentile,
  round,
  runPool,
  sleep,
  type ChildMessage,
} from './common';
import { BENCH_LANGUAGES, StoryGenerator, type BenchLanguage, type GeneratedStory } from './stories';
import { measureOfflineTagging } from './tagging';

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  quick: boolean;
  json: boolean;
  latencyMs: number;
  /** Directory for per-app CPU profiles (inspector sampling; costs some throughput). */
  cpuProf?: string;
  /** Share of articles that are true near-duplicates of an earlier one (the rest are unique texts). */
  nearDupShare: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { quick: false, json: false, latencyMs: 0, nearDupShare: 0.05 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--latency-ms' || a?.startsWith('--latency-ms=')) {
      const raw = a.includes('=') ? a.split('=')[1] : argv[++i];
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0 || n > 30_000) throw new Error(`--latency-ms wants a number of ms (0-30000), got ${raw}`);
      opts.latencyMs = n;
    } else if (a === '--cpu-prof' || a?.startsWith('--cpu-prof=')) {
      const dir = a.includes('=') ? a.split('=')[1] : argv[++i];
      if (!dir) throw new Error('--cpu-prof wants a directory');
      opts.cpuProf = resolve(dir);
    } else if (a === '--near-dup-share' || a?.startsWith('--near-dup-share=')) {
      const raw = a.includes('=') ? a.split('=')[1] : argv[++i];
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--near-dup-share wants a share between 0 and 1, got ${raw}`);
      opts.nearDupShare = n;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run bench -- [--quick] [--json] [--latency-ms N] [--cpu-prof DIR] [--near-dup-share 0.05]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Constants

const ROOT = resolve(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');
const SEED_FILE = join(ROOT, 'tests', 'fixtures', 'seed', 'centralasia-2026-02-07-ru.txt');
/** Stories the translation figure runs through the real APy with the seed: [file, source, target]. */
const TRANSLATION_FIXTURES: Array<[string, string, string]> = [
  ['seed/centralasia-2026-02-07-ru.txt', 'ru', 'uk'],
  ['translation/ru-minerals-talks.txt', 'ru', 'uk'],
  ['translation/ru-winter-weather.txt', 'ru', 'uk'],
  ['translation/en-trade-forum.txt', 'en', 'es'],
];
const APPS = ['intake-api', 'pipeline-relay', 'translation-worker', 'tagging-worker', 'publisher-worker', 'feed-server'] as const;
type AppName = (typeof APPS)[number];
/** An app process, including extra instances started for the scale-out figure ("tagging-worker#2"). */
const isApp = (name: string) => APPS.some((a) => name === a || name.startsWith(`${a}#`));
/** The stages that can run as more than one process today (BullMQ workers, no port of their own). */
const SCALABLE: readonly AppName[] = ['translation-worker', 'tagging-worker', 'publisher-worker'];
const BENCH_APP_NAME = 'syndication-bench';
const PUSH_CONCURRENCY = 16;
const INTAKE_CONCURRENCY = 32;
const RELAY_POLL_MS = 20;

type ChannelKey = 'wh1' | 'wh2' | 'wh3' | 'feed';
type Profile = 'base' | 'plus_channel' | 'plus_language';

/**
 * base: 2 webhooks + 1 feed, one translated language (uk): 4 deliveries, 1 translation per article.
 * plus_channel: one more webhook carrying uk (+1 delivery). plus_language: en on every channel
 * (+1 translation, +3 deliveries).
 */
const PROFILES: Record<Profile, Array<{ channel: ChannelKey; languages: string[] }>> = {
  base: [
    { channel: 'wh1', languages: ['source', 'uk'] },
    { channel: 'wh2', languages: ['uk'] },
    { channel: 'feed', languages: ['uk'] },
  ],
  plus_channel: [
    { channel: 'wh1', languages: ['source', 'uk'] },
    { channel: 'wh2', languages: ['uk'] },
    { channel: 'feed', languages: ['uk'] },
    { channel: 'wh3', languages: ['uk'] },
  ],
  plus_language: [
    { channel: 'wh1', languages: ['source', 'uk', 'en'] },
    { channel: 'wh2', languages: ['uk', 'en'] },
    { channel: 'feed', languages: ['uk', 'en'] },
  ],
};
/** Delivery rows one article makes on a route: one per distinct language ('source' resolves to the story's own). */
const routeDeliveries = (languages: string[], source: BenchLanguage) => new Set(languages.map((l) => (l === 'source' ? source : l))).size;
const deliveriesPerArticle = (p: Profile, source: BenchLanguage = 'ru') => PROFILES[p].reduce((n, r) => n + routeDeliveries(r.languages, source), 0);
/** Deliveries expected for a phase, from what the intake accepted per source language. */
const expectedDeliveries = (phase: Phase) =>
  BENCH_LANGUAGES.reduce((n, l) => n + (phase.acceptedByLang[l] ?? 0) * deliveriesPerArticle(phase.profile, l), 0);

// ---------------------------------------------------------------------------------------------
// Processes

interface Managed {
  name: string;
  child: ChildProcess;
  pid: number;
  tail: string[];
  lines: number;
  exited: Promise<void>;
  exitInfo?: string;
}

interface Usage {
  wallMs: number;
  byProc: Record<string, number>;
  appsMs: number;
  pgMs: number;
  redisMs: number;
  selfMs: number;
  /** Redis commands (INFO commandstats calls, whole server) during the window. */
  redisCmds: number;
  /** BullMQ jobs added to the product's queues during the window. */
  jobs: number;
}

interface Snapshot {
  at: number;
  procs: Map<string, number>;
  pg: Map<number, number>;
  redisMs: number;
  selfMs: number;
  redisCmds: number;
  jobs: number;
}

interface Phase {
  label: string;
  profile: Profile;
  partnerId: string;
  apiKey: string;
  accepted: number;
  acceptedByLang: Partial<Record<BenchLanguage, number>>;
  duplicates: number;
  errors: number;
  errorSamples: string[];
}

interface PushResult {
  ms: number;
  respMs: number[];
}

interface SliceResult {
  kind: 'chain' | 'product';
  label: string;
  profile?: Profile;
  n: number;
  ms: number;
  perS: number;
  complete: boolean;
  usage: Usage;
}

class Bench {
  readonly runId = randomBytes(4).toString('hex');
  readonly prefix = `bench${this.runId}`;
  readonly chainPrefix = `bench${this.runId}-chain`;
  readonly dbUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/syndication_bench';
  /** Set in setup: BENCH_REDIS_URL, else a redis-server of the bench's own (so its command and CPU counts are the bench's alone), else REDIS_URL. */
  redisUrl = process.env['BENCH_REDIS_URL'] ?? '';
  redisOwn = false;
  readonly gen: StoryGenerator;
  /** BullMQ 'added' events seen on the product's queues (QueueEvents, one reader per queue). */
  private jobsAdded = 0;
  private readonly jobsByQueue: Record<string, number> = {};
  private queueEvents: QueueEvents[] = [];
  /** Statements the bench itself ran on its database (subtracted from pg_stat_database's counts). */
  private ownQueries = 0;
  readonly startedAt = Date.now();
  private readonly procs = new Map<string, Managed>();
  private readonly chainProgress = new Map<string, { done: number; lastAt: number }>();
  private readonly phases: Phase[] = [];
  private readonly stats = new Map<string, (data: unknown) => void>();
  private db?: DataSource;
  private redis?: IORedis;
  private intakeUrl = '';
  private feedUrl = '';
  private env: NodeJS.ProcessEnv = {};
  private channelIds = new Map<ChannelKey, string>();
  private seed = { headline: '', body: '', paragraphs: [] as string[] };
  private stopping = false;
  /** Processes the bench stopped itself (the scale-out's extra instance): not a death to abort on. */
  private readonly stoppedOnPurpose = new Set<string>();

  constructor(readonly opts: Options) {
    this.gen = new StoryGenerator(ROOT, this.runId, opts.nearDupShare);
  }

  /** Every statement of the bench on its database goes through here, so it can be told apart from the product's. */
  q<T = unknown>(sql: string, params?: unknown[]): Promise<T> {
    this.ownQueries += 1;
    return this.database.query(sql, params) as Promise<T>;
  }

  get ownStatementCount(): number {
    return this.ownQueries;
  }

  log(msg: string): void {
    const s = ((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(5);
    process.stderr.write(`[bench ${s}s] ${msg}\n`);
  }

  /** Measuring a half-dead system is pointless: stop as soon as a process died on its own. */
  assertAlive(): void {
    for (const m of this.procs.values()) {
      if (m.exitInfo !== undefined && !this.stopping && !this.stoppedOnPurpose.has(m.name)) throw new Error(`${m.name} exited (${m.exitInfo}): ${m.tail.slice(-5).join(' | ')}`);
    }
  }

  private get database(): DataSource {
    if (!this.db) throw new Error('database not initialised');
    return this.db;
  }

  private get redisClient(): IORedis {
    if (!this.redis) throw new Error('redis not initialised');
    return this.redis;
  }

  // ----- process management

  private track(name: string, child: ChildProcess): Managed {
    if (child.pid === undefined) throw new Error(`${name} did not start`);
    const m: Managed = {
      name,
      child,
      pid: child.pid,
      tail: [],
      lines: 0,
      exited: new Promise<void>((r) => child.once('exit', () => r())),
    };
    child.once('exit', (code, signal) => {
      m.exitInfo = `${signal ?? `code ${code}`}`;
      if (!this.stopping && !this.stoppedOnPurpose.has(name)) this.log(`${name} exited unexpectedly (${m.exitInfo}); last output:\n  ${m.tail.join('\n  ')}`);
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        m.lines += 1;
        m.tail.push(line.slice(0, 300));
        if (m.tail.length > 15) m.tail.shift();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.procs.set(name, m);
    return m;
  }

  private spawnApp(app: AppName, instance?: string): Managed {
    const profile = this.opts.cpuProf ? ['-r', join(__dirname, 'cpu-prof-hook.js')] : [];
    const child = spawn(process.execPath, [...profile, join(DIST, 'apps', app, 'src', 'main.js')], {
      env: this.opts.cpuProf ? { ...this.env, BENCH_CPU_PROF_DIR: this.opts.cpuProf } : this.env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return this.track(instance ?? app, child);
  }

  /**
   * Starts one more process of a worker stage and waits until its BullMQ workers are registered
   * on the stage's queues (the count of workers seen by Redis grows).
   */
  async addInstance(app: AppName): Promise<string> {
    const queueOf: Partial<Record<AppName, string>> = { 'translation-worker': QUEUES.translate, 'tagging-worker': QUEUES.tag, 'publisher-worker': QUEUES.publish };
    const name = queueOf[app];
    if (!name) throw new Error(`${app} is not a worker stage`);
    const queue = new Queue(name, { connection: this.redisClient, prefix: this.prefix });
    try {
      const before = await queue.getWorkersCount();
      const instance = `${app}#2`;
      this.spawnApp(app, instance);
      const deadline = Date.now() + 180_000;
      while ((await queue.getWorkersCount()) <= before) {
        this.assertAlive();
        if (Date.now() > deadline) throw new Error(`${instance} did not register a worker within 180 s`);
        await sleep(200);
      }
      return instance;
    } finally {
      await queue.close();
    }
  }

  /** A helper child (fakes, chain stage, raw intake) with IPC; resolves on its 'ready' message. */
  private async forkHelper(name: string, file: string, env: NodeJS.ProcessEnv): Promise<{ m: Managed; ports: Record<string, number> }> {
    const child = fork(join(__dirname, file), [], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const m = this.track(name, child);
    const ports = await new Promise<Record<string, number>>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready after 120 s: ${m.tail.join(' | ')}`)), 120_000);
      child.on('message', (raw: ChildMessage) => {
        if (raw.type === 'ready') {
          clearTimeout(timer);
          resolveReady(raw.ports ?? {});
        } else if (raw.type === 'progress') {
          this.chainProgress.set(name, { done: raw.done, lastAt: raw.lastAt });
        } else if (raw.type === 'stats') {
          this.stats.get(name)?.(raw.data);
          this.stats.delete(name);
        }
      });
      child.once('exit', () => reject(new Error(`${name} exited before ready: ${m.tail.join(' | ')}`)));
    });
    return { m, ports };
  }

  private askStats<T>(name: string): Promise<T> {
    const m = this.procs.get(name);
    if (!m) throw new Error(`no ${name}`);
    return new Promise<T>((resolveStats, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not answer stats`)), 10_000);
      this.stats.set(name, (data) => {
        clearTimeout(timer);
        resolveStats(data as T);
      });
      m.child.send({ type: 'stats' });
    });
  }

  async stopProcess(name: string, graceMs = 8_000): Promise<void> {
    const m = this.procs.get(name);
    if (!m || m.exitInfo !== undefined) return;
    this.stoppedOnPurpose.add(name);
    try {
      process.kill(m.pid, 'SIGTERM');
    } catch {
      return;
    }
    const graceful = await Promise.race([m.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!graceful && m.exitInfo === undefined) {
      try {
        process.kill(m.pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
      await Promise.race([m.exited, sleep(2_000)]);
    }
  }

  // ----- measurement

  private async snapshot(): Promise<Snapshot> {
    const procs = new Map<string, number>();
    for (const [name, m] of this.procs) {
      const ms = cpuMsOf(m.pid);
      if (ms !== undefined) procs.set(name, ms);
    }
    const pg = new Map<number, number>();
    const backends: Array<{ pid: number }> = await this.q(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1`,
      [BENCH_APP_NAME],
    );
    for (const b of backends) {
      const ms = cpuMsOf(b.pid);
      if (ms !== undefined) pg.set(b.pid, ms);
    }
    const info = await this.redisClient.info('cpu');
    const field = (k: string) => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
    const redisMs = (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
    const self = process.cpuUsage();
    // The bench's own INFO calls are in the count too: two per snapshot, negligible per slice.
    const stats = await this.redisClient.info('commandstats');
    let redisCmds = 0;
    for (const m of stats.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) redisCmds += Number(m[1]);
    return { at: Date.now(), procs, pg, redisMs, selfMs: (self.user + self.system) / 1000, redisCmds, jobs: this.jobsAdded };
  }

  private usage(a: Snapshot, b: Snapshot): Usage {
    const byProc: Record<string, number> = {};
    for (const [name, ms] of b.procs) byProc[name] = ms - (a.procs.get(name) ?? 0);
    let pgMs = 0;
    // A backend that appeared during the slice was started for it: its whole CPU time counts.
    for (const [pid, ms] of b.pg) pgMs += ms - (a.pg.get(pid) ?? 0);
    const appsMs = Object.entries(byProc).reduce((s, [name, ms]) => s + (isApp(name) ? ms : 0), 0);
    return {
      wallMs: b.at - a.at,
      byProc,
      appsMs,
      pgMs,
      redisMs: b.redisMs - a.redisMs,
      selfMs: b.selfMs - a.selfMs,
      redisCmds: b.redisCmds - a.redisCmds,
      jobs: b.jobs - a.jobs,
    };
  }

  // ----- setup

  async setup(): Promise<void> {
    const seed = parsePlainText(readFileSync(SEED_FILE, 'utf8'));
    this.seed = { headline: seed.headline, body: seed.paragraphs.join('\n\n'), paragraphs: seed.paragraphs };

    if (!this.redisUrl) await this.startOwnRedis();
    this.log(
      `database ${this.dbUrl.replace(/:[^:@/]*@/, ':***@')} (recreated), redis ${this.redisUrl}${this.redisOwn ? ' (own server)' : ' (shared: command counts include other clients)'} prefix ${this.prefix}`,
    );
    await recreateDatabase(this.dbUrl);
    await runMigrations(this.dbUrl);
    const base = dataSourceOptions(this.dbUrl, 3);
    this.db = new DataSource({ ...base, extra: { ...(base.extra as object), application_name: BENCH_APP_NAME } } as DataSourceOptions);
    await this.db.initialize();
    this.redis = new IORedis(this.redisUrl, { maxRetriesPerRequest: 3 });
    for (const name of Object.values(QUEUES)) {
      const events = new QueueEvents(name, { connection: { url: this.redisUrl }, prefix: this.prefix });
      events.on('added', () => {
        this.jobsAdded += 1;
        this.jobsByQueue[name] = (this.jobsByQueue[name] ?? 0) + 1;
      });
      await events.waitUntilReady();
      this.queueEvents.push(events);
    }

    // External providers, faked, in their own process.
    const secrets: Record<string, string> = {};
    const webhookSecrets = new Map<ChannelKey, string>();
    for (const key of ['wh1', 'wh2', 'wh3'] as const) {
      const secret = generateWebhookSecret();
      webhookSecrets.set(key, secret);
      secrets[`/${key}`] = secret;
    }
    const fakes = await this.forkHelper('fakes', 'fakes.js', {
      ...process.env,
      BENCH_FAKE_LATENCY_MS: String(this.opts.latencyMs),
      BENCH_WEBHOOK_SECRETS: JSON.stringify(secrets),
    });
    const apyUrl = `http://127.0.0.1:${fakes.ports['apy']}`;
    const hookBase = `http://127.0.0.1:${fakes.ports['webhooks']}`;

    // Channels through the product's own provisioning functions.
    await this.database.transaction(async (m) => {
      for (const key of ['wh1', 'wh2', 'wh3'] as const) {
        this.channelIds.set(
          key,
          await upsertChannel(m, `bench-${key}`, 'webhook', `Bench webhook ${key}`, { url: `${hookBase}/${key}`, secret: webhookSecrets.get(key) }),
        );
      }
      this.channelIds.set('feed', await upsertChannel(m, 'bench-feed', 'feed', 'Bench feed', { title: 'Bench feed' }));
    });

    const [intakePort, feedPort] = [await freePort(), await freePort()];
    // Only the fake APy: a developer's hosted-engine keys must never turn the bench into real API traffic.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(DEEPL_|AZURE_TRANSLATOR_|GOOGLE_TRANSLATE_|OPENAI_TRANSLATE_|LIBRETRANSLATE_)/.test(k)),
    );
    this.env = {
      ...inherited,
      TRANSLATION_PROVIDERS: 'apertium',
      NODE_ENV: 'production',
      // Production refuses to start without a key of its own; the bench seals nothing it keeps.
      SECRETS_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: this.dbUrl,
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.prefix,
      INTAKE_HOST: '127.0.0.1',
      INTAKE_PORT: String(intakePort),
      FEED_HOST: '127.0.0.1',
      FEED_PORT: String(feedPort),
      APERTIUM_URL: apyUrl,
      LOG_LEVEL: 'warn',
      RELAY_POLL_MS: String(RELAY_POLL_MS),
      SHUTDOWN_DEADLINE_MS: '5000',
      // The fake webhook endpoints listen on loopback, which the SSRF guard refuses by default.
      OUTBOUND_ALLOWLIST: '127.0.0.0/8,::1/128',
      // The bench is one partner pushing as fast as the intake takes it: no per-partner limit.
      PARTNER_RATE_LIMIT_RPS: '0',
    };
    loadConfig(this.env); // fail here, not in six children, on a bad inherited variable
    this.intakeUrl = `http://127.0.0.1:${intakePort}`;
    this.feedUrl = `http://127.0.0.1:${feedPort}`;
    for (const app of APPS) this.spawnApp(app);
    await this.waitHttp(`${this.intakeUrl}/health/ready`);
    await this.waitHttp(`${this.feedUrl}/health/live`);

    // The baseline chain: three stage processes with the product's per-stage concurrency.
    const config = loadConfig(this.env);
    const conc = config.workers.concurrency;
    const chainConc: Record<'a' | 'b' | 'c', number> = { a: conc.translate, b: conc.tag, c: conc.publish };
    await Promise.all(
      (['a', 'b', 'c'] as const).map((stage) =>
        this.forkHelper(`chain-${stage}`, 'chain-worker.js', {
          ...process.env,
          REDIS_URL: this.redisUrl,
          CHAIN_PREFIX: this.chainPrefix,
          CHAIN_STAGE: stage,
          CHAIN_CONCURRENCY: String(chainConc[stage]),
          CHAIN_BATCH: String(config.relay.batchSize),
          JOB_ATTEMPTS: String(config.workers.attempts),
          JOB_BACKOFF_MS: String(config.workers.backoffMs),
        }),
      ),
    );
    const raw = await this.forkHelper('raw-http', 'raw-intake.js', { ...process.env });
    this.rawUrl = `http://127.0.0.1:${raw.ports['http']}`;
    this.log(`apps up (intake ${this.intakeUrl}, feeds ${this.feedUrl}); fakes ${apyUrl} ${hookBase}; fake latency ${this.opts.latencyMs} ms`);
  }

  private rawUrl = '';
  /** The raw node:http slices get one fixed set of generated bodies (drawn once, outside the product's stream). */
  private rawStories?: GeneratedStory[];

  private rawGen(): GeneratedStory[] {
    const g = new StoryGenerator(ROOT, this.runId, 0, 0x5eed);
    return Array.from({ length: 3000 }, () => g.next('raw'));
  }

  /**
   * A redis-server of the bench's own on a free loopback port, no persistence: INFO commandstats
   * and its CPU then count the product and the baseline chain only, not seven other engineers.
   * Falls back to REDIS_URL (shared, flagged in the output) when redis-server is not installed.
   */
  private async startOwnRedis(): Promise<void> {
    const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((f) => existsSync(f));
    if (!bin) {
      this.redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
      return;
    }
    const port = await freePort();
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.track('redis', child);
    this.redisUrl = `redis://127.0.0.1:${port}`;
    this.redisOwn = true;
    const probe = new IORedis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until the server listens: retried below
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`own redis-server on ${port} did not come up`);
        await sleep(100);
      }
    }
  }

  /** BullMQ jobs added per queue since the start (the 'added' events). */
  jobCounts(): Record<string, number> {
    return { ...this.jobsByQueue };
  }

  // Generous: six Node apps booting at once on two busy cores can take more than a minute.
  private async waitHttp(url: string, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        if (res.ok) return;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  // ----- product phases

  private async newPhase(label: string, profile: Profile): Promise<Phase> {
    const slug = `bench-${label.replace(/_/g, '-')}`;
    this.ownQueries += 1;
    const phase = await this.database.transaction(async (m) => {
      const partnerId = await upsertPartner(m, slug, `Bench ${label}`);
      const apiKey = await upsertApiKey(m, partnerId, slug, newApiKeySecret());
      for (const r of PROFILES[profile]) {
        await upsertRoute(m, { name: `${label} -> ${r.channel}`, channelId: this.channelIds.get(r.channel) ?? '', languages: r.languages, partnerId });
      }
      return { label, profile, partnerId, apiKey, accepted: 0, acceptedByLang: {}, duplicates: 0, errors: 0, errorSamples: [] };
    });
    this.phases.push(phase);
    return phase;
  }

  /** The next n generated articles (see stories.ts: distinct texts, ru/en/uk, ninjs and plain text, a share of near-duplicates). */
  private articles(phase: Phase, n: number): GeneratedStory[] {
    return Array.from({ length: n }, () => this.gen.next(phase.label));
  }

  /** Pushes n articles; closed loop with `concurrency`, or open loop at `ratePerS`. */
  private async push(phase: Phase, n: number, concurrency: number, ratePerS?: number, target?: string): Promise<PushResult> {
    const stories = target ? (this.rawStories ??= this.rawGen().slice(0, n)) : this.articles(phase, n);
    const url = new URL('/v1/stories', target ?? this.intakeUrl);
    const auth = { authorization: `Bearer ${phase.apiKey}` };
    const client = new HttpClient(concurrency);
    const respMs: number[] = [];
    const one = async (i: number) => {
      const story = stories[i % stories.length];
      if (!story) return;
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await client.request('POST', url, { ...auth, ...story.headers }, story.body);
          respMs.push(res.ms);
          if (res.status === 202) {
            phase.accepted += 1;
            phase.acceptedByLang[story.language] = (phase.acceptedByLang[story.language] ?? 0) + 1;
          } else if (res.status === 200) phase.duplicates += 1;
          else {
            phase.errors += 1;
            if (phase.errorSamples.length < 3) phase.errorSamples.push(`${res.status} ${res.body.slice(0, 200)}`);
          }
          return;
        } catch (err) {
          // A keep-alive socket closed by the server between requests: the request is idempotent.
          if (attempt < 3) continue;
          phase.errors += 1;
          if (phase.errorSamples.length < 3) phase.errorSamples.push((err as Error).message);
          return;
        }
      }
    };
    const started = performance.now();
    try {
      if (ratePerS === undefined) {
        await runPool(n, concurrency, one);
      } else {
        const inflight = new Set<Promise<void>>();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          const due = t0 + (i * 1000) / ratePerS;
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          while (inflight.size >= concurrency) await Promise.race(inflight);
          const p: Promise<void> = one(i).finally(() => inflight.delete(p));
          inflight.add(p);
        }
        await Promise.all(inflight);
      }
    } finally {
      client.close();
    }
    return { ms: performance.now() - started, respMs };
  }

  /**
   * Final deliveries of the phase. Completion is judged on the delivery rows, not on
   * story_version.stage: the product can leave a fully delivered version in stage 'publish'
   * (see closeVersionIfDone), which is reported separately.
   */
  private async finalDeliveries(phase: Phase): Promise<number> {
    const rows: Array<{ n: number }> = await this.q(
      `SELECT count(*)::int AS n FROM delivery d JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
        WHERE s.partner_id = $1 AND d.status IN ('delivered', 'failed', 'in_doubt', 'skipped')`,
      [phase.partnerId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Waits until every accepted article of the phase is published on every channel. */
  private async waitDone(phase: Phase, timeoutMs: number): Promise<boolean> {
    const expected = expectedDeliveries(phase);
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      this.assertAlive();
      const done = await this.finalDeliveries(phase);
      if (done >= expected) return true;
      if (done !== last) {
        last = done;
        lastChange = Date.now();
      }
      if (Date.now() > deadline || Date.now() - lastChange > 30_000) {
        this.log(`phase ${phase.label}: only ${done}/${expected} deliveries final before the time limit`);
        return false;
      }
      await sleep(100);
    }
  }

  private async lastDeliveredAt(phase: Phase): Promise<number> {
    const rows: Array<{ t: number | null }> = await this.q(
      `SELECT (extract(epoch FROM max(d.delivered_at)) * 1000)::float8 AS t
         FROM delivery d JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
        WHERE s.partner_id = $1`,
      [phase.partnerId],
    );
    return rows[0]?.t ?? Date.now();
  }

  async productSlice(label: string, profile: Profile, n: number, timeoutMs = 150_000): Promise<SliceResult> {
    this.assertAlive();
    const phase = await this.newPhase(label, profile);
    const a = await this.snapshot();
    const t0 = Date.now();
    await this.push(phase, n, PUSH_CONCURRENCY);
    const complete = await this.waitDone(phase, timeoutMs);
    const b = await this.snapshot();
    const end = complete ? await this.lastDeliveredAt(phase) : b.at;
    const ms = Math.max(1, end - t0);
    const r: SliceResult = { kind: 'product', label, profile, n: phase.accepted, ms, perS: (phase.accepted * 1000) / ms, complete, usage: this.usage(a, b) };
    this.log(
      `product ${label} (${profile}): ${phase.accepted} articles in ${(ms / 1000).toFixed(1)} s = ${r.perS.toFixed(1)}/s, ` +
        `${(r.usage.appsMs / Math.max(1, phase.accepted)).toFixed(2)} CPU ms/article (apps)`,
    );
    return r;
  }

  async chainSlice(label: string, n: number): Promise<SliceResult> {
    this.assertAlive();
    const a = await this.snapshot();
    const before = this.chainProgress.get('chain-c')?.done ?? 0;
    const t0 = Date.now();
    this.procs.get('chain-a')?.child.send({ type: 'produce', slice: label, n });
    const deadline = t0 + 60_000;
    let complete = true;
    for (;;) {
      const p = this.chainProgress.get('chain-c');
      if (p && p.done - before >= n) break;
      if (Date.now() > deadline) {
        complete = false;
        break;
      }
      await sleep(10);
    }
    const b = await this.snapshot();
    const end = complete ? (this.chainProgress.get('chain-c')?.lastAt ?? b.at) : b.at;
    const ms = Math.max(1, end - t0);
    const r: SliceResult = { kind: 'chain', label, n, ms, perS: (n * 1000) / ms, complete, usage: this.usage(a, b) };
    const chainCpu = ['chain-a', 'chain-b', 'chain-c'].reduce((s, k) => s + (r.usage.byProc[k] ?? 0), 0);
    this.log(`chain ${label}: ${n} articles in ${(ms / 1000).toFixed(2)} s = ${r.perS.toFixed(0)}/s, ${(chainCpu / n).toFixed(3)} CPU ms/article${complete ? '' : ' (INCOMPLETE)'}`);
    return r;
  }

  /**
   * Intake alone (translate and tag queues paused, so the workers stay idle) between two slices of
   * the raw node:http server, with the same client, concurrency and body. Then the queues resume
   * and the backlog drains, which also estimates the warm pipeline's throughput.
   */
  async intakePhase(n: number, rawN: number): Promise<{ figures: Record<string, unknown>; drainPerS: number }> {
    const queues = ['translate', 'tag'].map((q) => new Queue(q, { connection: this.redisClient, prefix: this.prefix }));
    const rawPhase: Phase = { label: 'raw', profile: 'base', partnerId: '', apiKey: 'raw.raw', accepted: 0, acceptedByLang: {}, duplicates: 0, errors: 0, errorSamples: [] };
    await this.push(rawPhase, rawN, INTAKE_CONCURRENCY, undefined, this.rawUrl); // JIT warm-up of client and server
    const raw1 = await this.push(rawPhase, rawN, INTAKE_CONCURRENCY, undefined, this.rawUrl);
    const phase = await this.newPhase('intake', 'base');
    await Promise.all(queues.map((q) => q.pause()));
    let intake: PushResult;
    let usage: Usage;
    let raw2: PushResult;
    let resumedAt: number;
    try {
      const a = await this.snapshot();
      intake = await this.push(phase, n, INTAKE_CONCURRENCY);
      usage = this.usage(a, await this.snapshot());
      raw2 = await this.push(rawPhase, rawN, INTAKE_CONCURRENCY, undefined, this.rawUrl);
    } finally {
      await Promise.all(queues.map((q) => q.resume()));
      resumedAt = Date.now();
    }
    await Promise.all(queues.map((q) => q.close()));
    const rawRates = [raw1, raw2].map((r) => (rawN * 1000) / r.ms);
    const intakeRate = (phase.accepted * 1000) / intake.ms;
    const rawRate = mean(rawRates);
    this.log(`intake ${intakeRate.toFixed(0)} req/s vs raw node:http ${rawRate.toFixed(0)} req/s (${rawRates.map((x) => x.toFixed(0)).join(', ')}); draining ${phase.accepted}…`);
    const drained = await this.waitDone(phase, 150_000);
    const drainPerS = (phase.accepted * 1000) / Math.max(1, (await this.lastDeliveredAt(phase)) - resumedAt);
    this.log(`drained at ${drainPerS.toFixed(1)} articles/s`);
    return {
      drainPerS,
      figures: {
        intake_req_per_s: round(intakeRate, 1),
        raw_http_req_per_s: round(rawRate, 0),
        raw_http_slices_req_per_s: rawRates.map((x) => round(x, 0)),
        ratio_intake_vs_raw_http: round(intakeRate / rawRate, 4),
        intake_cpu_ms_per_req: round((usage.byProc['intake-api'] ?? 0) / Math.max(1, phase.accepted), 3),
        intake_relay_cpu_ms_per_req: round((usage.byProc['pipeline-relay'] ?? 0) / Math.max(1, phase.accepted), 3),
        intake_pg_cpu_ms_per_req: round(usage.pgMs / Math.max(1, phase.accepted), 3),
        intake_resp_p50_ms: round(percentile(intake.respMs, 50), 1),
        intake_resp_p99_ms: round(percentile(intake.respMs, 99), 1),
        intake_concurrency: INTAKE_CONCURRENCY,
        intake_n: phase.accepted,
        raw_n: rawN,
        raw_errors: rawPhase.errors,
        backlog_drain_articles_per_s: round(drainPerS, 1),
        backlog_drained: drained,
      },
    };
  }

  /** Open-loop pushes at `rate`/s; latency = story_version.received_at -> last delivery.delivered_at. */
  async latencyPhase(rate: number, seconds: number): Promise<Record<string, unknown>> {
    this.assertAlive();
    if (!(rate > 0)) throw new Error(`no throughput to pace the latency phase at (${rate})`);
    const n = Math.max(20, Math.round(rate * seconds));
    const phase = await this.newPhase('latency', 'base');
    this.log(`latency phase: ${n} articles at ${rate.toFixed(1)}/s (open loop)`);
    const push = await this.push(phase, n, 256, rate);
    const complete = await this.waitDone(phase, 120_000);
    const rows: Array<{ ms: number }> = await this.q(
      `SELECT (extract(epoch FROM max(d.delivered_at) - v.received_at) * 1000)::float8 AS ms
         FROM story_version v JOIN story s ON s.id = v.story_id JOIN delivery d ON d.story_version_id = v.id
        WHERE s.partner_id = $1 AND d.delivered_at IS NOT NULL GROUP BY v.id`,
      [phase.partnerId],
    );
    const ms = rows.map((r) => r.ms);
    return {
      latency_p50_ms: round(percentile(ms, 50), 1),
      latency_p90_ms: round(percentile(ms, 90), 1),
      latency_p99_ms: round(percentile(ms, 99), 1),
      latency_max_ms: round(Math.max(...ms), 1),
      latency_rate_per_s: round(rate, 1),
      latency_n: ms.length,
      latency_complete: complete,
      latency_intake_resp_p50_ms: round(percentile(push.respMs, 50), 1),
      latency_intake_resp_p99_ms: round(percentile(push.respMs, 99), 1),
    };
  }

  // ----- checks and resource figures

  async exactlyOnce(): Promise<Record<string, unknown>> {
    interface HookStats {
      requests: number;
      distinct: number;
      redelivered: number;
      ids: string[];
      verified: number;
      verifyFailed: number;
    }
    const stats = await this.askStats<{ apy: Record<string, number>; webhooks: Record<string, HookStats> }>('fakes');
    const expected = new Map<ChannelKey, number>();
    let accepted = 0;
    let intakeErrors = 0;
    let intakeDuplicates = 0;
    for (const p of this.phases) {
      accepted += p.accepted;
      intakeErrors += p.errors;
      intakeDuplicates += p.duplicates;
      for (const r of PROFILES[p.profile]) {
        const n = BENCH_LANGUAGES.reduce((s, l) => s + (p.acceptedByLang[l] ?? 0) * routeDeliveries(r.languages, l), 0);
        expected.set(r.channel, (expected.get(r.channel) ?? 0) + n);
      }
    }
    const versions: Array<{ n: number }> = await this.q('SELECT count(*)::int AS n FROM story_version');
    const rows: Array<{ slug: string; status: string; n: number }> = await this.q(
      'SELECT c.slug, d.status, count(*)::int AS n FROM delivery d JOIN channel c ON c.id = d.channel_id GROUP BY 1, 2',
    );
    const delivered: Array<{ id: string; slug: string }> = await this.q(
      `SELECT d.id, c.slug FROM delivery d JOIN channel c ON c.id = d.channel_id WHERE c.kind = 'webhook' AND d.status = 'delivered'`,
    );
    let lost = 0;
    let duplicated = 0;
    const perChannel: Record<string, Record<string, number>> = {};
    const notDelivered: Record<string, number> = {};
    for (const [key, exp] of expected) {
      const slug = `bench-${key}`;
      const deliveredRows = rows.filter((r) => r.slug === slug && r.status === 'delivered').reduce((s, r) => s + r.n, 0);
      for (const r of rows.filter((x) => x.slug === slug && x.status !== 'delivered')) notDelivered[r.status] = (notDelivered[r.status] ?? 0) + r.n;
      lost += Math.max(0, exp - deliveredRows);
      duplicated += Math.max(0, deliveredRows - exp);
      const entry: Record<string, number> = { expected: exp, delivered_rows: deliveredRows };
      if (key !== 'feed') {
        const hook = stats.webhooks[`/${key}`];
        const received = new Set(hook?.ids ?? []);
        const dbIds = new Set(delivered.filter((d) => d.slug === slug).map((d) => d.id));
        const neverArrived = [...dbIds].filter((id) => !received.has(id)).length;
        const unrecorded = [...received].filter((id) => !dbIds.has(id)).length;
        const resent = (hook?.requests ?? 0) - (hook?.distinct ?? 0);
        lost += neverArrived;
        duplicated += unrecorded + resent;
        Object.assign(entry, {
          received_distinct_ids: hook?.distinct ?? 0,
          received_requests: hook?.requests ?? 0,
          ids_posted_more_than_once: hook?.redelivered ?? 0,
          delivered_but_not_received: neverArrived,
          received_but_not_delivered: unrecorded,
          signatures_verified_sample: hook?.verified ?? 0,
          signatures_failed_sample: hook?.verifyFailed ?? 0,
        });
      }
      perChannel[key] = entry;
    }
    // Not a delivery fault, but the status API reports these stories as still publishing.
    const unclosed: Array<{ n: number }> = await this.q(
      `SELECT count(*)::int AS n FROM story_version v
        WHERE v.stage <> 'done' AND v.routed_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.story_version_id = v.id AND d.status NOT IN ('delivered', 'failed', 'in_doubt', 'skipped'))`,
    );
    const extraVersions = Math.max(0, (versions[0]?.n ?? 0) - accepted);
    duplicated += extraVersions;
    return {
      exactly_once: lost === 0 && duplicated === 0 && intakeErrors === 0,
      lost,
      duplicated,
      articles_accepted: accepted,
      story_versions_in_db: versions[0]?.n ?? 0,
      intake_errors: intakeErrors,
      intake_duplicate_answers: intakeDuplicates,
      intake_error_samples: this.phases.flatMap((p) => p.errorSamples).slice(0, 3),
      deliveries_not_delivered_by_status: notDelivered,
      versions_fully_delivered_but_stage_not_done: unclosed[0]?.n ?? 0,
      per_channel: perChannel,
      fake_apy: stats.apy,
    };
  }

  async feedCheck(): Promise<Record<string, unknown>> {
    const client = new HttpClient(1);
    try {
      const times: number[] = [];
      let items = 0;
      let status = 0;
      for (let i = 0; i < 5; i++) {
        const res = await client.request('GET', new URL('/feeds/bench-feed.json', this.feedUrl), {});
        status = res.status;
        times.push(res.ms);
        if (res.status === 200) items = ((JSON.parse(res.body) as { items?: unknown[] }).items ?? []).length;
      }
      return { feed_status: status, feed_items: items, feed_render_ms_p50: round(median(times), 1) };
    } finally {
      client.close();
    }
  }

  async redisUsedMb(): Promise<number> {
    const mem = await this.redisClient.info('memory');
    return round(Number(/^used_memory:(\d+)/m.exec(mem)?.[1] ?? NaN) / 1048576, 1);
  }

  /** Pairs the product linked as near-duplicates (stored in both directions) against what the generator made. */
  async nearDuplicateFigures(): Promise<Record<string, unknown>> {
    const rows: Array<{ n: number }> = await this.q('SELECT count(*)::int AS n FROM story_near_duplicate');
    const pairs = Math.round((rows[0]?.n ?? 0) / 2);
    return { generated: this.gen.made.nearDuplicates, linked_pairs: pairs, articles: this.gen.made.total };
  }

  async redisFigures(): Promise<Record<string, unknown>> {
    const r = this.redisClient;
    const mem = await r.info('memory');
    const used = Number(/^used_memory:(\d+)/m.exec(mem)?.[1] ?? NaN);
    let keys = 0;
    let bytes = 0;
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys += batch.length;
      if (batch.length) {
        const pipe = r.pipeline();
        for (const k of batch) pipe.memory('USAGE', k);
        for (const [err, v] of (await pipe.exec()) ?? []) if (!err) bytes += Number(v ?? 0);
      }
    } while (cursor !== '0');
    const counts: Record<string, number> = {};
    for (const q of ['translate', 'tag', 'publish']) {
      const queue = new Queue(q, { connection: r, prefix: this.prefix });
      const c = await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'completed');
      await queue.close();
      counts[q] = Object.values(c).reduce((a, b) => a + b, 0);
      if ((c['failed'] ?? 0) > 0) counts[`${q}_failed`] = c['failed'] ?? 0;
    }
    return {
      redis_used_memory_mb_after_drain: round(used / 1048576, 1),
      redis_prefix_mb_after_drain: round(bytes / 1048576, 2),
      redis_prefix_keys_after_drain: keys,
      redis_jobs_kept_by_queue: counts,
    };
  }

  /** What the translation memory saved (chars sent to the provider vs reused), from the translation rows. */
  async translationCost(): Promise<Record<string, unknown>> {
    try {
      const rows: Array<Record<string, string | null>> = await this.q(
        `SELECT status, count(*)::text AS n, sum(chars_sent)::text AS sent, sum(chars_reused)::text AS reused FROM translation GROUP BY status`,
      );
      return Object.fromEntries(rows.map((r) => [r['status'] ?? '?', { n: Number(r['n']), chars_sent: Number(r['sent'] ?? 0), chars_reused: Number(r['reused'] ?? 0) }]));
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  /** Committed + rolled-back transactions of the bench's database (pg_stat_database). */
  async pgXacts(): Promise<number> {
    const rows: Array<{ n: string }> = await this.q(
      'SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * A backend reports its transaction counts lazily (up to 10 s late when idle) but always on
   * exit: once the apps are stopped, reconnecting the bench's own pool makes the count complete.
   */
  async reconnectDatabase(): Promise<void> {
    const options = this.database.options;
    await this.database.destroy();
    this.db = new DataSource(options);
    await this.db.initialize();
    await sleep(300);
  }

  async pgSize(): Promise<number> {
    const rows: Array<{ b: string }> = await this.q('SELECT pg_database_size(current_database())::text AS b');
    return Number(rows[0]?.b ?? 0);
  }

  async pgTables(articles: number): Promise<Record<string, number>> {
    const rows: Array<{ relname: string; b: string }> = await this.q(
      'SELECT relname, pg_total_relation_size(relid)::text AS b FROM pg_statio_user_tables ORDER BY pg_total_relation_size(relid) DESC',
    );
    const out: Record<string, number> = {};
    for (const r of rows) if (Number(r.b) > 16384) out[r.relname] = Math.round(Number(r.b) / Math.max(1, articles));
    return out;
  }

  peakRss(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, m] of this.procs) {
      const mem = memoryOf(m.pid);
      if (mem) out[name] = mem.peakRssMb;
    }
    return out;
  }

  appNoise(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, m] of this.procs) if (isApp(name) && m.lines) out[name] = m.lines;
    return out;
  }

  appTails(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const app of APPS) {
      const m = this.procs.get(app);
      if (m?.lines) out[app] = m.tail.slice(-3);
    }
    return out;
  }

  /** Characters per second through the real Apertium APy on the seed text, or null when not installed. */
  async apertiumFigure(seconds: number): Promise<Record<string, unknown>> {
    if (!findApertium()) return { apertium_chars_per_s: null, apertium_note: 'Apertium APy not installed' };
    const workDir = join(tmpdir(), `syndication-bench-apy-${this.runId}`);
    const apy = await startApy({ port: 0, workDir, readyTimeoutMs: 30_000 });
    try {
      const provider = new ApertiumProvider(apy.url);
      const segments = [this.seed.headline, ...this.seed.body.split('\n\n')];
      const chars = segments.reduce((s, x) => s + x.length, 0);
      if (!(await provider.supports('ru', 'uk'))) return { apertium_chars_per_s: null, apertium_note: 'APy has no rus-ukr pair' };
      const t0 = performance.now();
      await provider.translate({ source: 'ru', target: 'uk', segments }); // loads the pipeline
      const firstMs = performance.now() - t0;
      let n = 0;
      const t1 = performance.now();
      while (performance.now() - t1 < seconds * 1000 && n < 200) {
        await provider.translate({ source: 'ru', target: 'uk', segments });
        n += 1;
      }
      const ms = performance.now() - t1;
      return {
        apertium_chars_per_s: round((n * chars * 1000) / ms, 0),
        apertium_ms_per_article: round(ms / n, 1),
        apertium_first_request_ms: round(firstMs, 0),
        apertium_pair: 'rus-ukr',
        apertium_chars_per_article: chars,
        translation: await this.translationFigure(provider),
      };
    } finally {
      await apy.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  }

  /**
   * The translate stage's own path (protect, memory lookup, engine for the misses, memory write)
   * through the real APy on the seed and a few fixture stories, three passes: first (all sent:
   * characters per second including the memory's Postgres work), the same stories again (the
   * memory's hit rate on a re-run), and corrections with one paragraph changed per story.
   */
  async translationFigure(provider: ApertiumProvider): Promise<Record<string, unknown>> {
    const memory = new TranslationMemory(this.database);
    // The product phases filled the memory from the fake APy under the same provider name.
    await this.q(`DELETE FROM translation_memory WHERE provider = $1`, [provider.name]);
    const stories = TRANSLATION_FIXTURES.map(([file, source, target]) => {
      const parsed = parsePlainText(readFileSync(join(ROOT, 'tests', 'fixtures', file), 'utf8'));
      if (!isLanguageCode(source) || !isLanguageCode(target)) throw new Error(`bad pair ${source}-${target}`);
      return { file, source: source as LanguageCode, target: target as LanguageCode, texts: [parsed.headline, ...parsed.paragraphs] };
    });
    const pass = async (edit: (texts: string[]) => string[]) => {
      let sent = 0;
      let reused = 0;
      let segments = 0;
      let reusedSegments = 0;
      const t0 = performance.now();
      for (const st of stories) {
        const protectedSegments = edit(st.texts).map((t) => protectSegment(t));
        const res = await translateSegments(provider, memory, st.source, st.target, protectedSegments);
        await memory.store(st.source, st.target, provider.name, res.fresh);
        sent += res.cost.charsSent;
        reused += res.cost.charsReused;
        segments += res.cost.segmentsSent + res.cost.segmentsReused;
        reusedSegments += res.cost.segmentsReused;
      }
      const ms = performance.now() - t0;
      return { ms: round(ms, 0), chars_sent: sent, chars_reused: reused, hit_rate: round(reused / Math.max(1, sent + reused), 3), segment_hit_rate: round(reusedSegments / Math.max(1, segments), 3) };
    };
    const first = await pass((t) => t);
    const rerun = await pass((t) => t);
    const corrected = await pass((t) => t.map((x, i) => (i === t.length - 1 ? `${x} (updated)` : x)));
    return {
      stories: stories.map((s) => `${s.file} ${s.source}->${s.target}`),
      first_pass_chars_per_s: round((first.chars_sent * 1000) / Math.max(1, first.ms), 0),
      first_pass: first,
      rerun,
      corrections: corrected,
    };
  }

  /** With --cpu-prof: starts sampling in every app (after the warm-up). */
  startProfiles(): void {
    if (!this.opts.cpuProf) return;
    mkdirSync(this.opts.cpuProf, { recursive: true });
    for (const app of APPS) rmSync(join(this.opts.cpuProf, `${app}.cpuprofile`), { force: true });
    for (const app of APPS) {
      const m = this.procs.get(app);
      if (m) process.kill(m.pid, 'SIGWINCH');
    }
  }

  /** Asks every app to write its CPU profile, then summarises self time by package and function. */
  async collectProfiles(): Promise<Record<string, unknown> | null> {
    const dir = this.opts.cpuProf;
    if (!dir) return null;
    const files = APPS.map((app) => join(dir, `${app}.cpuprofile`));
    for (const app of APPS) {
      const m = this.procs.get(app);
      if (m) process.kill(m.pid, 'SIGWINCH');
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !files.every((f) => existsSync(f))) await sleep(100);
    await sleep(300);
    const out: Record<string, unknown> = {};
    APPS.forEach((app, i) => {
      const f = files[i];
      if (f && existsSync(f)) out[app] = summariseProfile(JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
    });
    return { dir, ...out };
  }

  // ----- teardown

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.procs.keys()].filter(isApp).map((a) => this.stopProcess(a)));
    // The own redis-server goes last, in cleanup, after the QueueEvents readers are closed.
    await Promise.all([...this.procs.keys()].filter((k) => k !== 'redis').map((k) => this.stopProcess(k)));
  }

  async cleanup(): Promise<void> {
    this.stopping = true;
    await this.stopAll().catch(() => undefined);
    await Promise.all(this.queueEvents.map((e) => e.close().catch(() => undefined)));
    this.queueEvents = [];
    if (this.redis) {
      let deleted = 0;
      for (const prefix of [this.prefix, this.chainPrefix]) {
        let cursor = '0';
        do {
          const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) deleted += await this.redis.unlink(...keys);
        } while (cursor !== '0');
      }
      this.log(`deleted ${deleted} redis keys of ${this.prefix}:* and ${this.chainPrefix}:*`);
      this.redis.disconnect();
    }
    await this.stopProcess('redis');
    await this.db?.destroy().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profiles

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 14).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? 'node_modules');
  }
  if (url.startsWith('node:')) return 'node:internals';
  const own = /\/dist\/((?:apps|libs|tests)\/[^/]+)/.exec(url);
  return own?.[1] ? `own:${own[1]}` : 'other';
}

/** Self time per package and per function (top entries), in ms and % of non-idle samples. */
function summariseProfile(p: CpuProfile): Record<string, unknown> {
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const byPkg = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const f = frames.get(id);
    const us = p.timeDeltas[i] ?? 0;
    if (!f || f.functionName === '(idle)') return;
    total += us;
    const pkg = packageOf(f.url, f.functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    const file = f.url.replace(/^.*\/(node_modules|dist)\//, '');
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  });
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => `${round((100 * us) / Math.max(1, total), 1)}% ${name}`);
  return { busy_ms: Math.round(total / 1000), by_package: top(byPkg, 12), top_functions: top(byFn, 12) };
}

// ---------------------------------------------------------------------------------------------
// The run

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(n)));
}

function cpuPerArticle(slices: SliceResult[], pick: (u: Usage) => number): number {
  const n = slices.reduce((s, x) => s + x.n, 0);
  return n ? slices.reduce((s, x) => s + pick(x.usage), 0) / n : NaN;
}

async function run(b: Bench): Promise<Record<string, unknown>> {
  const { quick } = b.opts;
  const budgetS = quick ? 60 : 180;
  await b.setup();
  const pgBase = await b.pgSize();
  const xactsBase = await b.pgXacts();
  const ownBase = b.ownStatementCount;
  const redisMemBase = await b.redisUsedMb();

  // Warm-up: JIT, pools, APy pair cache; gives the first throughput estimates for sizing.
  const warm = await b.productSlice('warmup', 'base', quick ? 40 : 80);
  const warmChain = await b.chainSlice('warmup', 2000);
  b.startProfiles();
  const intakeRun = await b.intakePhase(quick ? 120 : 200, 3000);
  const intake = intakeRun.figures;

  // Warm-up is pessimistic (cold JIT), the backlog drain optimistic (no intake competing): use both.
  // --quick: 5 s worth of articles per slice, default 8 s.
  const productN = clamp(mean([warm.perS, intakeRun.drainPerS]) * (quick ? 5 : 8), 30, 1000);
  const chainN = clamp(warmChain.perS * 3, quick ? 500 : 2000, 8000);
  // Both modes measure the variants (one more channel, one more language); the default repeats base more.
  const plan: Array<{ kind: 'chain' } | { kind: 'product'; profile: Profile }> = [
    { kind: 'chain' },
    { kind: 'product', profile: 'base' },
    { kind: 'chain' },
    { kind: 'product', profile: 'plus_channel' },
    { kind: 'chain' },
    { kind: 'product', profile: 'base' },
    { kind: 'chain' },
    { kind: 'product', profile: 'plus_language' },
    { kind: 'chain' },
    ...(quick ? [] : ([{ kind: 'product', profile: 'base' }, { kind: 'chain' }] as const)),
  ];
  b.log(`slices: ${plan.length} (product ${productN} articles, chain ${chainN} articles each)`);
  const slices: SliceResult[] = [];
  let k = 0;
  for (const step of plan) {
    k += 1;
    slices.push(step.kind === 'chain' ? await b.chainSlice(`c${k}`, chainN) : await b.productSlice(`s${k}-${step.profile}`, step.profile, productN));
  }

  // Each product slice against the mean of its neighbouring chain slices.
  const ratioOf = (list: SliceResult[], i: number) => {
    const neighbours = [list[i - 1], list[i + 1]].filter((x): x is SliceResult => x?.kind === 'chain');
    return (list[i]?.perS ?? NaN) / mean(neighbours.map((x) => x.perS));
  };
  const ratios: Array<{ label: string; profile: Profile; ratio: number; perS: number }> = [];
  slices.forEach((s, i) => {
    if (s.kind !== 'product' || !s.profile) return;
    ratios.push({ label: s.label, profile: s.profile, perS: s.perS, ratio: ratioOf(slices, i) });
  });
  const chains = slices.filter((s) => s.kind === 'chain');
  const chainRates = chains.map((s) => s.perS);
  const baseSlices = slices.filter((s) => s.kind === 'product' && s.profile === 'base');
  const baseRatios = ratios.filter((r) => r.profile === 'base');
  const e2e = median(baseSlices.map((s) => s.perS));
  const productRates = baseSlices.map((s) => s.perS);

  const cpuApps = cpuPerArticle(baseSlices, (u) => u.appsMs);
  const cpuPg = cpuPerArticle(baseSlices, (u) => u.pgMs);
  const cpuRedis = cpuPerArticle(baseSlices, (u) => u.redisMs);
  const byProc: Record<string, number> = {};
  for (const name of [...APPS, 'fakes']) byProc[name] = round(cpuPerArticle(baseSlices, (u) => u.byProc[name] ?? 0), 3);
  const chainCpu = cpuPerArticle(chains, (u) => (u.byProc['chain-a'] ?? 0) + (u.byProc['chain-b'] ?? 0) + (u.byProc['chain-c'] ?? 0));
  const chainRedis = cpuPerArticle(chains, (u) => u.redisMs);
  const redisCmds = cpuPerArticle(baseSlices, (u) => u.redisCmds);
  const chainRedisCmds = cpuPerArticle(chains, (u) => u.redisCmds);
  const jobs = cpuPerArticle(baseSlices, (u) => u.jobs);
  // While the chain runs the product is idle: what its processes burn doing nothing (polling, timers).
  const idle: Record<string, number> = {};
  const chainWallS = chains.reduce((s, c) => s + c.usage.wallMs, 0) / 1000;
  for (const app of APPS) idle[app] = round(chains.reduce((s, c) => s + (c.usage.byProc[app] ?? 0), 0) / Math.max(0.001, chainWallS), 1);

  // Per-channel / per-language cost: variant slices against the base slices (same run, same mix).
  const variantCost = (p: Profile) => {
    const s = slices.filter((x) => x.kind === 'product' && x.profile === p);
    return {
      apps: cpuPerArticle(s, (u) => u.appsMs),
      all: cpuPerArticle(s, (u) => u.appsMs + u.pgMs + u.redisMs),
      cmds: cpuPerArticle(s, (u) => u.redisCmds),
      jobs: cpuPerArticle(s, (u) => u.jobs),
      perS: median(s.map((x) => x.perS)),
    };
  };
  const vBase = variantCost('base');
  const vCh = variantCost('plus_channel');
  const vLang = variantCost('plus_language');
  const variants: Record<string, unknown> = {
    per_channel_extra_cpu_ms: round(vCh.apps - vBase.apps, 2),
    per_channel_extra_cpu_ms_incl_pg_redis: round(vCh.all - vBase.all, 2),
    per_channel_extra_redis_cmds: round(vCh.cmds - vBase.cmds, 1),
    per_channel_extra_jobs: round(vCh.jobs - vBase.jobs, 2),
    per_language_extra_cpu_ms: round(vLang.apps - vBase.apps, 2),
    per_language_extra_cpu_ms_incl_pg_redis: round(vLang.all - vBase.all, 2),
    per_language_extra_redis_cmds: round(vLang.cmds - vBase.cmds, 1),
    per_language_extra_jobs: round(vLang.jobs - vBase.jobs, 2),
    variant_articles_per_s: { base: round(vBase.perS, 1), plus_channel: round(vCh.perS, 1), plus_language: round(vLang.perS, 1) },
    variant_slices: { base: baseSlices.length, plus_channel: 1, plus_language: 1 },
    variant_definition:
      'base = 2 webhooks + 1 feed, uk on every channel + the source on wh1 (4 deliveries for ru/en sources, 3 for uk); plus_channel = +1 webhook in uk (+1 delivery); ' +
      'plus_language = +en on every channel (ru/uk sources: +1 translation, +3 deliveries; en sources: +2 deliveries, no translation). Differences of CPU per article between single slices: noisy on a loaded machine',
  };

  // Cost at scale: small = the base slices, big = one long run. Default: up to 10k as the budget
  // allows; --quick: 4x a slice (the 1k vs 10k comparison does not fit a minute).
  const reserveS = quick ? 30 : 55; // scale-out slice, latency phase, checks, APy, teardown
  const leftS = budgetS - (Date.now() - b.startedAt) / 1000 - reserveS;
  const bigN = quick ? clamp(4 * productN, 4 * productN, 10_000) : clamp(Math.min(10_000, e2e * leftS * 0.85), 3 * productN, 10_000);
  const big = await b.productSlice('big', 'base', bigN, 300_000);
  const bigCost = big.usage.appsMs / Math.max(1, big.n);
  const smallN = Math.round(mean(baseSlices.map((x) => x.n)));
  const scale: Record<string, unknown> = {
    small_n: smallN,
    big_n: big.n,
    scaled_down: big.n < 10_000,
    note: quick
      ? `--quick: compared ${smallN} (base slices) with ${big.n} articles in one run, not 1k vs 10k`
      : big.n < 10_000
        ? `1k vs 10k articles do not fit the ~3 minute budget at ${e2e.toFixed(0)} articles/s: compared ${smallN} (base slices) with ${big.n} in one run`
        : undefined,
    cpu_ms_per_article_small: round(cpuApps, 2),
    cpu_ms_per_article_big: round(bigCost, 2),
    big_vs_small: round(bigCost / cpuApps, 3),
    cpu_ms_per_article_incl_pg_redis_small: round(cpuApps + cpuPg + cpuRedis, 2),
    cpu_ms_per_article_incl_pg_redis_big: round((big.usage.appsMs + big.usage.pgMs + big.usage.redisMs) / Math.max(1, big.n), 2),
    articles_per_s_small: round(e2e, 1),
    articles_per_s_big: round(big.perS, 1),
    big_complete: big.complete,
  };

  // Scale-out: the worker stage with the most CPU per article, at 1 process (the base slices) vs 2.
  const stageMs = SCALABLE.map((app) => ({ app, ms: cpuPerArticle(baseSlices, (u) => u.byProc[app] ?? 0) }));
  const bottleneck = stageMs.reduce((a, x) => (x.ms > a.ms ? x : a));
  const heaviest = [...APPS].map((app) => ({ app, ms: cpuPerArticle(baseSlices, (u) => u.byProc[app] ?? 0) })).reduce((a, x) => (x.ms > a.ms ? x : a));
  b.log(`scale-out: bottleneck stage ${bottleneck.app} (${bottleneck.ms.toFixed(1)} CPU ms/article); starting a second process`);
  let scaleOut: Record<string, unknown>;
  try {
    const instance = await b.addInstance(bottleneck.app);
    const so: SliceResult[] = [await b.chainSlice('so-c1', chainN), await b.productSlice('scaleout-2proc', 'base', productN), await b.chainSlice('so-c2', chainN)];
    const two = so[1] as SliceResult;
    const ratio2 = ratioOf(so, 1);
    const ratio1 = median(baseRatios.map((r) => r.ratio));
    await b.stopProcess(instance);
    scaleOut = {
      stage: bottleneck.app,
      stage_cpu_ms_per_article: round(bottleneck.ms, 2),
      stage_cpu_ms_per_article_by_stage: Object.fromEntries(stageMs.map((x) => [x.app, round(x.ms, 2)])),
      heaviest_process: heaviest.app,
      articles_per_s_1_process: round(e2e, 1),
      articles_per_s_2_processes: round(two.perS, 1),
      ratio_vs_chain_1_process: round(ratio1, 4),
      ratio_vs_chain_2_processes: round(ratio2, 4),
      speedup: round(ratio2 / ratio1, 3),
      complete: two.complete,
      stage_cpu_ms_per_article_2_processes: round(((two.usage.byProc[bottleneck.app] ?? 0) + (two.usage.byProc[instance] ?? 0)) / Math.max(1, two.n), 2),
      note: 'speedup = ratio vs the chain with 2 processes of the stage / with 1 (ratios, so machine load cancels); on 2 shared cores a second process can only help if the stage waits on I/O',
    };
    slices.push(...so);
  } catch (err) {
    scaleOut = { stage: bottleneck.app, error: (err as Error).message };
  }

  const latency = await b.latencyPhase(0.5 * e2e, quick ? 8 : 15);

  await sleep(500); // let the last publish jobs complete in Redis
  const once = await b.exactlyOnce();
  const feed = await b.feedCheck();
  const translations = await b.translationCost();
  const redis = await b.redisFigures();
  const accepted = Number(once['articles_accepted']);
  const pgBytes = (await b.pgSize()) - pgBase;
  const pgTables = await b.pgTables(accepted);
  const nearDup = await b.nearDuplicateFigures();
  const rss = b.peakRss();
  const appLines = b.appNoise();
  const appTails = b.appTails();
  const profiles = await b.collectProfiles();
  const jobsByQueue = b.jobCounts();
  await b.stopAll();
  // Every app backend has exited (and reported its counts); the bench's own statements are taken out.
  await b.reconnectDatabase();
  const xacts = (await b.pgXacts()) - xactsBase - (b.ownStatementCount - ownBase);
  const apertium = await b.apertiumFigure(quick ? 2 : 4).catch((err: Error) => ({ apertium_chars_per_s: null, apertium_note: err.message }));

  const spread = (xs: number[]) => (xs.length > 1 ? (Math.max(...xs) - Math.min(...xs)) / mean(xs) : 0);
  return {
    mode: quick ? 'quick' : 'default',
    e2e_articles_per_s: round(e2e, 1),
    chain_articles_per_s: round(mean(chainRates), 0),
    ratio_e2e_vs_chain: round(median(baseRatios.map((r) => r.ratio)), 4),
    latency_p50_ms: latency['latency_p50_ms'],
    latency_p90_ms: latency['latency_p90_ms'],
    latency_p99_ms: latency['latency_p99_ms'],
    cpu_ms_per_article: round(cpuApps, 2),
    cpu_ms_per_article_pg_backends: round(cpuPg, 2),
    cpu_ms_per_article_redis_server: round(cpuRedis, 2),
    cpu_ms_per_article_by_process: byProc,
    chain_cpu_ms_per_article: round(chainCpu, 3),
    chain_redis_cpu_ms_per_article: round(chainRedis, 3),
    intake_req_per_s: intake['intake_req_per_s'],
    raw_http_req_per_s: intake['raw_http_req_per_s'],
    ratio_intake_vs_raw_http: intake['ratio_intake_vs_raw_http'],
    peak_rss_mb: rss,
    redis_used_memory_mb_after_drain: redis['redis_used_memory_mb_after_drain'],
    pg_bytes_per_article: Math.round(pgBytes / Math.max(1, accepted)),
    noise: round(spread(chainRates), 3),
    redis_used_memory_mb_baseline: redisMemBase,
    redis_server: b.redisOwn ? 'own' : 'shared',
    redis_cmds_per_article: round(redisCmds, 1),
    chain_redis_cmds_per_article: round(chainRedisCmds, 1),
    pg_xacts_per_article: round(xacts / Math.max(1, accepted), 1),
    bullmq_jobs_per_article: round(jobs, 2),
    bullmq_jobs_per_article_target: 3 + PROFILES.base.length,
    scale_out: scaleOut,
    near_duplicates: nearDup,
    stories: { ...b.gen.made, near_dup_share: b.opts.nearDupShare, corpus: b.gen.corpusSize() },
    exactly_once: once['exactly_once'],
    lost: once['lost'],
    duplicated: once['duplicated'],
    per_channel_extra_cpu_ms: variants['per_channel_extra_cpu_ms'] ?? null,
    per_language_extra_cpu_ms: variants['per_language_extra_cpu_ms'] ?? null,
    cost_1k_vs_10k: scale,
    apertium_chars_per_s: apertium['apertium_chars_per_s'],
    translation_chars_per_s: translationFigures(apertium)['first_pass_chars_per_s'] ?? null,
    translation_memory_hit_rate_rerun: (translationFigures(apertium)['rerun'] as Record<string, unknown> | undefined)?.['hit_rate'] ?? null,
    translation_memory_hit_rate_corrections: (translationFigures(apertium)['corrections'] as Record<string, unknown> | undefined)?.['hit_rate'] ?? null,
    detail: {
      slices: slices.map((s) => ({
        kind: s.kind,
        label: s.label,
        n: s.n,
        s: round(s.ms / 1000, 2),
        per_s: round(s.perS, 1),
        complete: s.complete,
        ...(s.kind === 'product' ? { cpu_ms_per_article: round(s.usage.appsMs / Math.max(1, s.n), 2) } : {}),
      })),
      product_ratios: ratios.map((r) => ({ label: r.label, ratio: round(r.ratio, 4) })),
      noise_product_slices: round(spread(productRates), 3),
      idle_cpu_ms_per_s_by_app: idle,
      bench_client_cpu_ms_per_article: round(cpuPerArticle(baseSlices, (u) => u.selfMs), 2),
      warmup_articles_per_s: round(warm.perS, 1),
      intake,
      latency,
      variants,
      exactly_once: once,
      feed,
      translations,
      redis,
      pg_bytes_per_article_by_table: pgTables,
      pg_xacts_total: xacts,
      pg_xacts_note:
        'pg_stat_database xact_commit + xact_rollback of the bench database over the whole run (every phase, idle polling during the chain slices included) minus the bench\'s own statements, divided by all accepted articles',
      bullmq_jobs_added_by_queue_whole_run: jobsByQueue,
      bullmq_jobs_per_article_by_queue_whole_run: Object.fromEntries(Object.entries(jobsByQueue).map(([q, n]) => [q, round(n / Math.max(1, accepted), 2)])),
      apertium,
      app_log_lines: appLines,
      app_log_tail: appTails,
      cpu_profiles: profiles,
      config: {
        fake_latency_ms: b.opts.latencyMs,
        cpu_profiled: b.opts.cpuProf !== undefined,
        push_concurrency: PUSH_CONCURRENCY,
        relay_poll_ms: RELAY_POLL_MS,
        deliveries_per_article_base: Object.fromEntries(BENCH_LANGUAGES.map((l) => [l, deliveriesPerArticle('base', l)])),
        near_dup_share: b.opts.nearDupShare,
        node: process.version,
        cores: cpus().length,
        queue_prefix: b.prefix,
        elapsed_s: round((Date.now() - b.startedAt) / 1000, 1),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Output

function table(r: Record<string, unknown>): string {
  const lines: string[] = [];
  const fmt = (v: unknown): string => (v === null || v === undefined ? 'n/a' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const row = (k: string, v: unknown, note = '') => lines.push(`  ${k.padEnd(40)} ${fmt(v).padEnd(14)} ${note}`);
  const d = (r['detail'] ?? {}) as Record<string, Record<string, unknown>>;
  lines.push(`syndication bench (${fmt(r['mode'])}, ${fmt(d['config']?.['elapsed_s'])} s)`);
  lines.push('throughput');
  row('e2e_articles_per_s', r['e2e_articles_per_s'], 'received -> published on every channel');
  row('chain_articles_per_s', r['chain_articles_per_s'], 'raw BullMQ 3-stage no-op chain');
  row('ratio_e2e_vs_chain', r['ratio_e2e_vs_chain'], 'headline (median over base slices)');
  row('noise', r['noise'], 'spread of the chain slices (max-min)/mean');
  row('intake_req_per_s', r['intake_req_per_s']);
  row('raw_http_req_per_s', r['raw_http_req_per_s'], 'same client, same body');
  row('ratio_intake_vs_raw_http', r['ratio_intake_vs_raw_http']);
  lines.push('latency at ~50% of e2e throughput');
  row('latency_p50_ms', r['latency_p50_ms']);
  row('latency_p90_ms', r['latency_p90_ms']);
  row('latency_p99_ms', r['latency_p99_ms']);
  lines.push('cost');
  row('cpu_ms_per_article', r['cpu_ms_per_article'], 'sum of the six apps');
  row('cpu_ms_per_article_pg_backends', r['cpu_ms_per_article_pg_backends']);
  row('cpu_ms_per_article_redis_server', r['cpu_ms_per_article_redis_server'], 'whole Redis server');
  for (const [k, v] of Object.entries((r['cpu_ms_per_article_by_process'] ?? {}) as Record<string, number>)) row(`  ${k}`, v);
  row('chain_cpu_ms_per_article', r['chain_cpu_ms_per_article']);
  row('per_channel_extra_cpu_ms', r['per_channel_extra_cpu_ms']);
  row('per_language_extra_cpu_ms', r['per_language_extra_cpu_ms']);
  const scale = r['cost_1k_vs_10k'] as Record<string, unknown> | null;
  if (scale && !scale['skipped']) {
    row(`cpu_ms_per_article @${fmt(scale['small_n'])}`, scale['cpu_ms_per_article_small']);
    row(`cpu_ms_per_article @${fmt(scale['big_n'])}`, scale['cpu_ms_per_article_big'], scale['scaled_down'] ? '(scaled down from 10k)' : '');
    if (scale['note']) row('  note', scale['note']);
  } else row('cost_1k_vs_10k', scale ? scale['note'] : null);
  row('redis_cmds_per_article', r['redis_cmds_per_article'], `${fmt(r['redis_server'])} redis-server, base slices`);
  row('pg_xacts_per_article', r['pg_xacts_per_article'], 'whole run, see detail.pg_xacts_note');
  row('bullmq_jobs_per_article', r['bullmq_jobs_per_article'], `target stages + channels = ${fmt(r['bullmq_jobs_per_article_target'])}`);
  const so = (r['scale_out'] ?? {}) as Record<string, unknown>;
  row('scale_out stage', so['stage'], `${fmt(so['stage_cpu_ms_per_article'])} CPU ms/article`);
  row('scale_out articles/s 1 -> 2 processes', `${fmt(so['articles_per_s_1_process'])} -> ${fmt(so['articles_per_s_2_processes'])}`, `speedup ${fmt(so['speedup'])} (ratios vs chain)${so['error'] ? ` error: ${fmt(so['error'])}` : ''}`);
  row('near_duplicates', r['near_duplicates']);
  lines.push('resources');
  for (const [k, v] of Object.entries((r['peak_rss_mb'] ?? {}) as Record<string, number>)) row(`peak_rss_mb ${k}`, v);
  row('redis_used_memory_mb_after_drain', r['redis_used_memory_mb_after_drain'], 'whole server');
  row('pg_bytes_per_article', r['pg_bytes_per_article']);
  row('apertium_chars_per_s', r['apertium_chars_per_s'], 'real APy, rus-ukr, seed text');
  const tagging = (r['offline_tagging'] ?? {}) as Record<string, unknown>;
  row('offline_tagging_ms_p50', tagging['ms_p50'], 'seed story, one core, after warm-up');
  row('offline_tagging_ms_p99', tagging['ms_p99'], `first call ${fmt(tagging['first_call_ms'])} ms (loads data)`);
  row('translation_chars_per_s', r['translation_chars_per_s'], 'stage path (memory + APy), seed + fixtures, first pass');
  row('translation_memory_hit_rate_rerun', r['translation_memory_hit_rate_rerun'], 'same stories again (share of chars reused)');
  row('translation_memory_hit_rate_corrections', r['translation_memory_hit_rate_corrections'], 'one paragraph changed per story');
  lines.push('correctness');
  row('exactly_once', r['exactly_once'], `lost ${fmt(r['lost'])}, duplicated ${fmt(r['duplicated'])}`);
  lines.push('slices');
  for (const s of (d['slices'] as unknown as Array<Record<string, unknown>>) ?? []) {
    lines.push(`  ${String(s['kind']).padEnd(8)} ${String(s['label']).padEnd(22)} n=${String(s['n']).padEnd(6)} ${String(s['per_s']).padStart(8)}/s${s['cpu_ms_per_article'] !== undefined ? `  ${fmt(s['cpu_ms_per_article'])} CPU ms/article` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function translationFigures(apertium: Record<string, unknown>): Record<string, unknown> {
  const t = apertium['translation'];
  return t && typeof t === 'object' ? (t as Record<string, unknown>) : {};
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const bench = new Bench(opts);
  // Generous: on a loaded machine the six apps alone can take minutes to boot.
  const hardLimitMs = (opts.quick ? 900 : 1200) * 1000 + opts.latencyMs * 200;
  let finished = false;
  const abort = async (why: string, code: number) => {
    if (finished) return;
    finished = true;
    bench.log(`${why}; stopping everything`);
    await bench.cleanup().catch(() => undefined);
    process.exit(code);
  };
  const hard = setTimeout(() => void abort(`hard time limit of ${hardLimitMs / 1000} s reached`, 2), hardLimitMs);
  process.on('SIGINT', () => void abort('interrupted', 130));
  process.on('SIGTERM', () => void abort('terminated', 143));
  let result: Record<string, unknown> | undefined;
  let failure: Error | undefined;
  try {
    result = await run(bench);
  } catch (err) {
    failure = err as Error;
  }
  if (finished) return;
  finished = true;
  await bench.cleanup().catch((err: Error) => bench.log(`cleanup: ${err.message}`));
  clearTimeout(hard);
  if (failure || !result) {
    process.stderr.write(`bench failed: ${failure?.stack ?? 'no result'}\n`);
    process.exit(1);
  }
  // Offline tagging of the seed, on this process's one core, once the apps are stopped.
  result['offline_tagging'] = measureOfflineTagging(SEED_FILE);
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(table(result));
  process.exit(result['exactly_once'] === true ? 0 : 3);
}

void main();
