/**
 * `npm run chaos`: a soak of N stories across three channels (two webhook endpoints that behave
 * differently and a feed read back from the feed server) while a seeded schedule SIGKILLs
 * workers, restarts Redis once (a private redis-server with AOF, killed -9) and disrupts Postgres
 * once (black-hole, then every connection reset, through a TCP proxy). The checker then compares
 * what the partner was told (every 2xx) with what the endpoints logged.
 *
 *   npm run -s chaos -- --json                 # ~3 minutes
 *   npm run -s chaos -- --quick --json         # ~1 minute
 *   npm run -s chaos -- --seed 42 --stories 300
 *
 * Own database (CHAOS_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/syndication_chaos_test,
 * recreated and left in place for inspection), own redis-server on a free port, everything on
 * 127.0.0.1, everything started is stopped by PID. Progress goes to stderr, the result to stdout.
 * Exit code 0 when nothing was lost or duplicated, 3 when something was, 1 on error, 2 on the
 * hard time limit.
 */
import {
  behaviours,
  checkDeliveries,
  createRng,
  percentile,
  productReport,
  progressTimes,
  randomSeed,
  recoveryTimes,
  startFaultSystem,
  type EndpointExpectation,
  type FaultSystem,
  type Rng,
} from '@syndication/testing';

interface Options {
  json: boolean;
  quick: boolean;
  seed: number;
  stories: number;
}

function parseArgs(argv: string[]): Options {
  let json = false;
  let quick = false;
  let seed: number | undefined;
  let stories: number | undefined;
  const intArg = (name: string, raw: string | undefined, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} wants an integer 0-${max}, got ${raw}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    if (flag === '--json') json = true;
    else if (flag === '--quick') quick = true;
    else if (flag === '--seed') seed = intArg('--seed', inline ?? argv[++i], 2 ** 32 - 1);
    else if (flag === '--stories') stories = Math.max(1, intArg('--stories', inline ?? argv[++i], 100_000));
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: npm run -s chaos -- [--json] [--quick] [--seed N] [--stories N]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return { json, quick, seed: seed ?? randomSeed(), stories: stories ?? (quick ? 60 : 240) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WORKERS = ['publisher-worker', 'translation-worker', 'tagging-worker', 'pipeline-relay'] as const;

interface Fault {
  at: number;
  kind: 'worker_kill' | 'redis_restart' | 'postgres_disruption';
  target: string;
}

class Chaos {
  readonly startedAt = Date.now();
  readonly faults: Fault[] = [];
  private system?: FaultSystem;
  private pushed = 0;
  private pushesDone = false;
  private readonly pushPhaseMs: number;
  private readonly drainMs: number;

  constructor(
    readonly opts: Options,
    readonly rng: Rng,
  ) {
    // Sized for a small shared machine (2 cores): with --quick about a minute of pushing and
    // faults after the apps are up, plus the drain.
    this.pushPhaseMs = opts.quick ? 35_000 : 120_000;
    this.drainMs = opts.quick ? 90_000 : 150_000;
  }

  log(msg: string): void {
    process.stderr.write(`[chaos ${((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(5)}s] ${msg}\n`);
  }

  private get sys(): FaultSystem {
    if (!this.system) throw new Error('system not started');
    return this.system;
  }

  async setup(): Promise<void> {
    const databaseUrl = process.env['CHAOS_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/syndication_chaos_test';
    this.log(`seed ${this.opts.seed}; ${this.opts.stories} stories; database ${databaseUrl.replace(/:[^:@/]*@/, ':***@')} (recreated)`);
    this.system = await startFaultSystem({
      label: 'chaos',
      databaseUrl,
      redis: 'aof',
      pgProxy: true,
      env: {
        // Short leases and reconciler deadlines: a soak of minutes must see recoveries, not wait them out.
        WEBHOOK_TIMEOUT_MS: '3000',
        RECONCILE_INTERVAL_MS: '3000',
        RECONCILE_STALE_AFTER_MS: '10000',
        SHUTDOWN_DEADLINE_MS: '5000',
      },
      log: (m) => this.log(m),
    });
    const rnd = () => this.rng.next();
    await this.sys.addWebhook('steady', behaviours.latency(20, 200, rnd));
    // A flaky partner: some 500s and 429s with Retry-After, slow otherwise.
    await this.sys.addWebhook('flaky', (info) => {
      const r = rnd();
      if (info.attempt === 1 && r < 0.08) return { status: 500 };
      if (info.attempt === 1 && r < 0.12) return { status: 429, headers: { 'retry-after': '1' } };
      return { status: 204, delayMs: 100 + Math.floor(rnd() * 400) };
    });
    await this.sys.addFeed('feed', 200);
    await this.sys.startApps();
    // Story 0 warms the pipeline up (first-call model loading) before any fault is injected.
    const warm = await this.sys.client.push(`urn:chaos:${this.opts.seed}:0`, `Chaos story 0 of run ${this.opts.seed}`, 30_000);
    if (warm.status !== 202 || !warm.storyId) throw new Error(`warm-up push answered ${warm.status}`);
    this.pushed = 1;
    const warmDeadline = Date.now() + 120_000;
    while (checkDeliveries(this.sys.client.acceptedLog, this.expectations()).lost > 0) {
      if (Date.now() > warmDeadline) throw new Error('the warm-up story did not reach every endpoint within 120 s');
      await Promise.all(this.sys.feeds.map((f) => f.pollNow()));
      await sleep(500);
    }
    this.log(`apps up: intake ${this.sys.intakeUrl}, feeds ${this.sys.feedUrl}, redis ${this.sys.redisUrl} (private, AOF), postgres via proxy :${this.sys.pgProxy?.port}`);
  }

  /** The partner: paced pushes over the push phase; a refused push is retried like a real client (same uri: idempotent). */
  async push(): Promise<void> {
    const client = this.sys.client;
    const gapMs = this.pushPhaseMs / Math.max(1, this.opts.stories - 1);
    const inflight = new Set<Promise<void>>();
    for (let i = 1; i < this.opts.stories; i++) {
      const one = (async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const r = await client.push(`urn:chaos:${this.opts.seed}:${i}`, `Chaos story ${i} of run ${this.opts.seed}`, 5_000);
          if (typeof r.status === 'number' && r.status < 300) return;
          if (typeof r.status === 'number' && r.status < 500 && r.status !== 429 && r.status !== 409) return; // refused for good: not accepted
          await sleep(500 * Math.min(attempt + 1, 6));
        }
      })();
      this.pushed += 1;
      inflight.add(one);
      void one.finally(() => inflight.delete(one));
      await sleep(gapMs);
    }
    await Promise.all(inflight);
    this.pushesDone = true;
  }

  /** The seeded schedule: worker kills every 5-9 s, one Redis restart at ~35 %, one Postgres disruption at ~65 % of the push phase. */
  async inject(): Promise<void> {
    const sup = this.sys.supervisor;
    const t0 = Date.now();
    const redisAt = t0 + this.pushPhaseMs * 0.35;
    const pgAt = t0 + this.pushPhaseMs * 0.65;
    let redisDone = false;
    let pgDone = false;
    while (Date.now() - t0 < this.pushPhaseMs) {
      await sleep(this.rng.int(5_000, 9_000));
      if (!redisDone && Date.now() >= redisAt) {
        redisDone = true;
        this.fault('redis_restart', 'redis');
        await this.sys.redis!.kill('SIGKILL');
        await sleep(3_000);
        await this.sys.redis!.start();
        continue;
      }
      if (!pgDone && Date.now() >= pgAt) {
        pgDone = true;
        const proxy = this.sys.pgProxy!;
        this.fault('postgres_disruption', 'postgres');
        proxy.blackhole();
        await sleep(5_000);
        proxy.forward();
        proxy.resetAll();
        continue;
      }
      const target = this.rng.pick(WORKERS);
      this.fault('worker_kill', target);
      await sup.kill(target);
      await sleep(this.rng.int(500, 1_500));
      sup.respawn(target);
    }
  }

  private fault(kind: Fault['kind'], target: string): void {
    this.faults.push({ at: Date.now(), kind, target });
    this.log(`fault: ${kind} ${target}`);
  }

  expectations(): EndpointExpectation[] {
    return [
      ...this.sys.webhooks.map((w) => ({ name: w.name, logFile: w.logFile, idempotentByKey: true })),
      ...this.sys.feeds.map((f) => ({ name: f.name, logFile: f.logFile, idempotentByKey: false })),
    ];
  }

  progressLine(): string {
    const check = checkDeliveries(this.sys.client.acceptedLog, this.expectations());
    const per = Object.entries(check.perEndpoint)
      .map(([n, e]) => `${n} ${e.received}`)
      .join(', ');
    return `pushed ${this.pushed}/${this.opts.stories}, accepted ${check.accepted}, received: ${per}; faults ${this.faults.length}`;
  }

  async run(): Promise<Record<string, unknown>> {
    await this.setup();
    const ticker = setInterval(() => this.log(this.progressLine()), 3_000);
    try {
      await Promise.all([this.push(), this.inject()]);
      this.log(`pushes done; draining (up to ${this.drainMs / 1000} s)`);
      const deadline = Date.now() + this.drainMs;
      for (;;) {
        await Promise.all(this.sys.feeds.map((f) => f.pollNow()));
        const check = checkDeliveries(this.sys.client.acceptedLog, this.expectations());
        if ((check.lost === 0 && this.pushesDone) || Date.now() > deadline) break;
        await sleep(1_000);
      }
    } finally {
      clearInterval(ticker);
    }
    const endAt = Date.now();
    const check = checkDeliveries(this.sys.client.acceptedLog, this.expectations());
    const report = await productReport(this.sys.db, this.sys.partner.id);
    const progress = progressTimes(this.expectations().map((e) => e.logFile));
    const recovery = recoveryTimes(
      this.faults.map((f) => f.at),
      progress,
      endAt,
      check.lost > 0,
    );
    const byKind = (k: Fault['kind']) => this.faults.filter((f) => f.kind === k).length;
    const kills: Record<string, number> = {};
    for (const f of this.faults) if (f.kind === 'worker_kill') kills[f.target] = (kills[f.target] ?? 0) + 1;
    return {
      stories: this.opts.stories,
      accepted: check.accepted,
      lost: check.lost,
      duplicates: check.duplicates,
      in_doubt: report.inDoubt,
      dead_letters: report.deadLetters,
      recovery_p99_s: Math.round(percentile(recovery, 99) * 100) / 100,
      faults: {
        worker_kills: byKind('worker_kill'),
        redis_restarts: byKind('redis_restart'),
        postgres_disruptions: byKind('postgres_disruption'),
        kills_by_app: kills,
      },
      seed: this.opts.seed,
      quick: this.opts.quick,
      duration_s: Math.round((endAt - this.startedAt) / 1000),
      per_endpoint: check.perEndpoint,
      push_statuses: Object.fromEntries(this.sys.client.statuses),
      delivery_statuses: report.byStatus,
      ...(check.lostSamples.length ? { lost_samples: check.lostSamples } : {}),
      ...(check.duplicateSamples.length ? { duplicate_samples: check.duplicateSamples } : {}),
    };
  }

  async stop(): Promise<void> {
    await this.system?.stop();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const chaos = new Chaos(opts, createRng(opts.seed));
  const hardLimitMs = (opts.quick ? 4 : 8) * 60_000 + opts.stories * 100;
  const limit = setTimeout(() => {
    chaos.log(`hard time limit (${hardLimitMs / 1000} s) reached; stopping`);
    void chaos.stop().finally(() => process.exit(2));
  }, hardLimitMs);
  limit.unref();
  const interrupt = () => {
    chaos.log('interrupted; stopping');
    void chaos.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let code = 1;
  try {
    const result = await chaos.run();
    await chaos.stop();
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    code = result['lost'] === 0 && result['duplicates'] === 0 ? 0 : 3;
  } catch (err) {
    chaos.log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await chaos.stop();
  }
  clearTimeout(limit);
  process.exit(code);
}

void main();
