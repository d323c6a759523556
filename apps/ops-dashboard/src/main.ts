/** Ops dashboard: server-rendered pages (htmx + SSE) and the ops API, behind sessions and roles. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig, loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { OpsDashboardModule } from './ops-dashboard.module';
import { configureDashboardApp } from './setup';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(OpsDashboardModule, {
    bodyParser: false,
    logger: bootObservability('ops-dashboard', loadConfig()),
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  await configureDashboardApp(app);
  await app.listen(config.dashboard.port, config.dashboard.host);
}

void bootstrap();
