/**
 * `ObservabilityModule.forRoot({ service, http })` gives any process /metrics, /health/live and
 * /health/ready, and JSON logs. HTTP apps (`http: 'app'`) serve them on their own port and get
 * the request-tracing interceptor; processes without HTTP (workers, relay, poller) get a small
 * server of their own on METRICS_PORT. Readiness covers Postgres, Redis and, with
 * `queues: true` (the relay), the age of the oldest waiting job.
 */
import {
  Controller,
  type DynamicModule,
  Get,
  Header,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
  Res,
  SetMetadata,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HealthCheckService, TerminusModule, type HealthCheckResult } from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import IORedis, { type Redis } from 'ioredis';
import { ReadinessIndicators } from './health';
import { HttpTraceInterceptor } from './http-instrumentation';
import { METRICS_CONTENT_TYPE, dbPool, enableDefaultMetrics, onScrape, scrape } from './metrics';
import { QueueProbe } from './queue-probe';
import { shutdownTracing } from './tracing';

export interface ObservabilityOptions {
  service: string;
  /** 'app': the app serves HTTP itself; 'standalone': start a server on METRICS_PORT. */
  http: 'app' | 'standalone';
  /** Export queue depth/age gauges and include queue lag in readiness (one process: the relay). */
  queues?: boolean;
  /** The app already has its own /health routes (the intake's readiness flips on shutdown). */
  ownHealthRoutes?: boolean;
}

const OBS_OPTIONS = Symbol('OBS_OPTIONS');

interface PgPoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

@Injectable()
export class ObservabilityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Observability');
  private server?: Server;
  private probe?: QueueProbe;
  private readonly unregister: Array<() => void> = [];
  private redis?: Redis;

  constructor(
    @Inject(OBS_OPTIONS) private readonly opts: ObservabilityOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
    @Optional() @Inject(getDataSourceToken()) private readonly db?: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    enableDefaultMetrics(this.opts.service);
    const db = this.db;
    if (db) {
      this.unregister.push(
        onScrape(async () => {
          const pool = (db.driver as unknown as { master?: PgPoolLike }).master;
          if (!pool) return;
          dbPool.set({ app: this.opts.service, state: 'total' }, pool.totalCount);
          dbPool.set({ app: this.opts.service, state: 'idle' }, pool.idleCount);
          dbPool.set({ app: this.opts.service, state: 'waiting' }, pool.waitingCount);
        }),
      );
    }
    if (this.opts.queues) {
      // Its own short-timeout connection: a scrape must never wait on a hung Redis.
      this.redis = new IORedis(this.config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1_000, commandTimeout: 2_000 });
      this.redis.on('error', () => undefined);
      const probe = new QueueProbe(this.redis, this.config.redis.prefix);
      this.probe = probe;
      this.unregister.push(onScrape(() => probe.collect()));
    }
    if (this.opts.http === 'standalone') await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const u of this.unregister.splice(0)) u();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    await this.probe?.close().catch(() => undefined);
    this.redis?.disconnect();
    await shutdownTracing();
  }

  /** Where the standalone server listens (tests, the launcher's printout). */
  address(): string | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a ? `http://${a.address}:${a.port}` : undefined;
  }

  async readiness(): Promise<{ ok: boolean; body: HealthCheckResult | unknown }> {
    const checks = [
      ...(this.db ? [() => this.indicators.postgres(this.db!)] : []),
      () => this.indicators.redis(this.config.redis.url),
      ...(this.probe ? [() => this.indicators.queueLag(this.probe!, this.config.observability.queueLagReadySeconds)] : []),
    ];
    try {
      return { ok: true, body: await this.health.check(checks) };
    } catch (err) {
      return { ok: false, body: (err as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' } };
    }
  }

  private async listen(): Promise<void> {
    const { metricsHost, metricsPort } = this.config.observability;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const reply = (status: number, type: string, body: string) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      if (req.method !== 'GET') return reply(405, 'text/plain', 'method not allowed\n');
      if (path === '/metrics') {
        void scrape().then((text) => reply(200, METRICS_CONTENT_TYPE, text), (e: Error) => reply(500, 'text/plain', e.message));
      } else if (path === '/health/live') {
        reply(200, 'application/json', JSON.stringify({ status: 'ok', service: this.opts.service }));
      } else if (path === '/health/ready') {
        void this.readiness().then(({ ok, body }) => reply(ok ? 200 : 503, 'application/json', JSON.stringify(body)));
      } else reply(404, 'text/plain', 'not found\n');
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(metricsPort, metricsHost, () => resolve());
    });
    this.logger.log(`metrics and health on ${this.address()}`);
  }
}

/**
 * Metadata on the metrics and health controllers: an app whose global guard demands a session
 * (the ops dashboard) lets these through, so probes and Prometheus need no credentials.
 */
export const PUBLIC_ROUTE = 'syndication:public-route';

@Controller()
@SetMetadata(PUBLIC_ROUTE, true)
class MetricsController {
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() res: { type(t: string): { send(b: string): void } }): Promise<void> {
    res.type(METRICS_CONTENT_TYPE).send(await scrape());
  }
}

@Controller('health')
@SetMetadata(PUBLIC_ROUTE, true)
class HealthRoutesController {
  constructor(private readonly obs: ObservabilityService) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res() res: { status(n: number): { json(b: unknown): void } }): Promise<void> {
    const { ok, body } = await this.obs.readiness();
    res.status(ok ? 200 : 503).json(body);
  }
}

@Module({})
export class ObservabilityModule {
  static forRoot(opts: ObservabilityOptions): DynamicModule {
    const providers: Provider[] = [{ provide: OBS_OPTIONS, useValue: opts }, ReadinessIndicators, ObservabilityService];
    if (opts.http === 'app') providers.push({ provide: APP_INTERCEPTOR, useClass: HttpTraceInterceptor });
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: opts.http === 'app' ? [MetricsController, ...(opts.ownHealthRoutes ? [] : [HealthRoutesController])] : [],
      providers,
      exports: [ObservabilityService],
    };
  }
}
